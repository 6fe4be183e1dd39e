import { FaultlineError } from '../errors.js';
import type { JavaToolCommand } from './java-tool.js';
import { runJavaTool, type JavaToolResult } from './run-java-tool.js';
import { parseCopierOutput, transactionalCopierCommand, type CopierProgress, type TransactionalCopierOptions } from './transactional-copier.js';

export interface RunTransactionalCopierOptions {
  /** Wall-clock of the journal's origin: `Date.now() - journal.elapsedMs()`. */
  readonly runStartEpochMs: number;
  /** Hard bound on the tool's run (then SIGTERM, SIGKILL after the grace). */
  readonly timeoutMs: number;
  /** Stop it early (SIGTERM: its hook prints the shutdown line; the transaction in flight may still commit). */
  readonly signal?: AbortSignal;
  /** Told of each stdout line as it comes (e.g. to wait for the first status line). */
  readonly onStdoutLine?: (line: string) => void;
  /** Test seam: run this instead of the built command. */
  readonly command?: JavaToolCommand;
}

export interface TransactionalCopierRun {
  readonly tool: JavaToolResult;
  readonly progress: CopierProgress;
}

/**
 * Runs TransactionalMessageCopier to its end (it stops by itself once it copied up to the input's end offset
 * at its start) or until stopped, and parses its progress. Records come after, from `copierQueueRecords`
 * with the input and output partitions read back. Throws when it printed no status line at all.
 */
export async function runTransactionalCopier(copier: TransactionalCopierOptions, options: RunTransactionalCopierOptions): Promise<TransactionalCopierRun> {
  const lines: string[] = [];
  const tool = await runJavaTool(options.command ?? transactionalCopierCommand(copier), {
    timeoutMs: options.timeoutMs,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    onStdoutLine: (line) => {
      lines.push(line);
      options.onStdoutLine?.(line);
    },
  });
  const progress = parseCopierOutput(lines, { runStartEpochMs: options.runStartEpochMs });
  if (progress.statusLines === 0) {
    throw new FaultlineError(`TransactionalMessageCopier printed no status line (exit ${tool.exitCode ?? tool.signal}): ${tool.stderrTail.split('\n').slice(-5).join('\n') || progress.firstIgnoredLines.join(' | ')}`);
  }
  return { tool, progress };
}

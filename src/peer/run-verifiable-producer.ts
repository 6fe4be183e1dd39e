import { FaultlineError } from '../errors.js';
import type { OpRecord } from '../history/operation.js';
import type { JavaToolCommand } from './java-tool.js';
import { runJavaTool, type JavaToolResult } from './run-java-tool.js';
import {
  VerifiableProducerConverter,
  verifiableProducerCommand,
  type VerifiableProducerOptions,
  type VerifiableProducerSummary,
} from './verifiable-producer.js';

export interface RunVerifiableProducerOptions {
  /** Wall-clock of the journal's origin: `Date.now() - journal.elapsedMs()`. */
  readonly runStartEpochMs: number;
  /** Receives every op record, in order (append it to the journal). */
  readonly onRecord: (record: OpRecord) => void;
  /** Hard bound on the tool's run (then SIGTERM, SIGKILL after the grace). */
  readonly timeoutMs: number;
  /** Stop a --max-messages -1 run: SIGTERM lets its shutdown hook flush and report. */
  readonly signal?: AbortSignal;
  /** The producer config's `retries` (VerifiableProducer's own default is 0). */
  readonly retries?: number;
  /** Test seam: run this instead of the built command. */
  readonly command?: JavaToolCommand;
  /**
   * After a SIGKILL with --max-messages -1: how many sends may have happened (e.g. the highest
   * seq read back + 1). Default: see FinishOptions.
   */
  readonly sentCount?: number;
}

export interface VerifiableProducerRun {
  readonly tool: JavaToolResult;
  readonly summary: VerifiableProducerSummary;
}

/**
 * Runs VerifiableProducer and turns its stdout into op records as they arrive; closes the history
 * with `finish()` once the JVM is gone. Throws when the tool never started producing.
 */
export async function runVerifiableProducer(producer: VerifiableProducerOptions, options: RunVerifiableProducerOptions): Promise<VerifiableProducerRun> {
  const converter = new VerifiableProducerConverter({
    runStartEpochMs: options.runStartEpochMs,
    maxMessages: producer.maxMessages,
    topic: producer.topic,
    ...(producer.valuePrefix !== undefined ? { valuePrefix: producer.valuePrefix } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
  });
  const command = options.command ?? verifiableProducerCommand(producer);
  const tool = await runJavaTool(command, {
    timeoutMs: options.timeoutMs,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    onStdoutLine: (line) => {
      for (const record of converter.line(line)) options.onRecord(record);
    },
  });
  const before = converter.summary();
  if (before.startupTimeMs === null) {
    throw new FaultlineError(`VerifiableProducer did not start (exit ${tool.exitCode ?? tool.signal}): ${tool.stderrTail.split('\n').slice(-5).join('\n') || before.firstIgnoredLines.join(' | ')}`);
  }
  for (const record of converter.finish(options.sentCount !== undefined ? { sentCount: options.sentCount } : {})) options.onRecord(record);
  return { tool, summary: converter.summary() };
}

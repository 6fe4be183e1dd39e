import { FaultlineError } from '../errors.js';
import type { QueueOpRecord } from '../history/queue-op.js';
import type { JavaToolCommand } from './java-tool.js';
import { runJavaTool, type JavaToolResult } from './run-java-tool.js';
import { verifiableConsumerCommand, type VerifiableConsumerOptions } from './verifiable-consumer.js';
import { VerifiableConsumerConverter, type VerifiableConsumerSummary } from './verifiable-consumer-converter.js';

export interface RunVerifiableConsumerOptions {
  /** Wall-clock of the journal's origin: `Date.now() - journal.elapsedMs()`. */
  readonly runStartEpochMs: number;
  /** Partitions of the topic (for the `subscribe` op). */
  readonly partitions: number;
  /** Process name in the history; default 'vc'. */
  readonly process?: string;
  /** Receives every queue record, in order (append it to the journal). */
  readonly onRecord: (record: QueueOpRecord) => void;
  /** Hard bound on the tool's run (then SIGTERM, SIGKILL after the grace). */
  readonly timeoutMs: number;
  /** Stop it (SIGTERM: its hook wakes the consumer, which closes and prints shutdown_complete). */
  readonly signal?: AbortSignal;
  /** Test seam: run this instead of the built command. */
  readonly command?: JavaToolCommand;
}

export interface VerifiableConsumerRun {
  readonly tool: JavaToolResult;
  readonly summary: VerifiableConsumerSummary;
}

/** Runs VerifiableConsumer, turning its stdout into queue records as they arrive; throws when it never started. */
export async function runVerifiableConsumer(consumer: VerifiableConsumerOptions, options: RunVerifiableConsumerOptions): Promise<VerifiableConsumerRun> {
  const converter = new VerifiableConsumerConverter({ runStartEpochMs: options.runStartEpochMs, topic: consumer.topic, partitions: options.partitions, ...(options.process !== undefined ? { process: options.process } : {}) });
  const tool = await runJavaTool(options.command ?? verifiableConsumerCommand(consumer), {
    timeoutMs: options.timeoutMs,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    onStdoutLine: (line) => {
      for (const record of converter.line(line)) options.onRecord(record);
    },
  });
  for (const record of converter.finish()) options.onRecord(record);
  const summary = converter.summary();
  if (summary.startupTimeMs === null) {
    throw new FaultlineError(`VerifiableConsumer did not start (exit ${tool.exitCode ?? tool.signal}): ${tool.stderrTail.split('\n').slice(-5).join('\n') || summary.firstIgnoredLines.join(' | ')}`);
  }
  return { tool, summary };
}

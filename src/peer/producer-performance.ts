import { FaultlineError, UsageError } from '../errors.js';
import { javaToolCommand, toolAcks, type JavaToolCommand, type JavaToolJvmOptions, type ToolDistribution } from './java-tool.js';

import { runJavaTool } from './run-java-tool.js';

export { runJavaTool, type JavaToolResult, type RunJavaToolOptions } from './run-java-tool.js';

export const PRODUCER_PERFORMANCE_CLASS = 'org.apache.kafka.tools.ProducerPerformance';

export interface ProducerPerformanceOptions extends JavaToolJvmOptions {
  readonly dist: ToolDistribution;
  readonly bootstrapServers: string;
  readonly topic: string;
  readonly numRecords: number;
  /** Value size; default 100 bytes (the benchmark's size). */
  readonly recordSizeBytes?: number;
  /** Approximate cap in records/s; -1 (default) for none. */
  readonly throughputPerSec?: number;
  /** Default 'all'. */
  readonly acks?: string;
  /** Extra producer properties (linger.ms, batch.size, …); `acks` and `bootstrap.servers` come from the options. */
  readonly producerProps?: Readonly<Record<string, string | number>>;
  /** Records left out of the steady-state line (4.x only; 3.x has no --warmup-records). */
  readonly warmupRecords?: number;
}

/**
 * `java … org.apache.kafka.tools.ProducerPerformance …`. 4.x takes --bootstrap-server and
 * --command-property (its --producer-props is deprecated); 3.x only --producer-props.
 */
export function producerPerformanceCommand(options: ProducerPerformanceOptions): JavaToolCommand {
  if (options.bootstrapServers.trim() === '') throw new UsageError('bootstrapServers is empty');
  if (options.topic.trim() === '') throw new UsageError('topic is empty');
  if (!Number.isSafeInteger(options.numRecords) || options.numRecords < 1) throw new UsageError(`numRecords must be a whole number >= 1, got ${options.numRecords}`);
  const size = options.recordSizeBytes ?? 100;
  if (!Number.isSafeInteger(size) || size < 1 || size > 2_147_483_647) throw new UsageError(`recordSizeBytes must be a whole number >= 1, got ${size}`);
  const throughput = options.throughputPerSec ?? -1;
  if (throughput !== -1 && !(Number.isFinite(throughput) && throughput > 0)) throw new UsageError(`throughputPerSec must be -1 or > 0, got ${throughput}`);
  const props: string[] = [`acks=${toolAcks(options.acks ?? 'all')}`];
  for (const [key, value] of Object.entries(options.producerProps ?? {})) {
    if (!/^[A-Za-z0-9._-]+$/.test(key)) throw new UsageError(`producer property name '${key}' is not a plain Kafka config name`);
    if (key === 'acks' || key === 'bootstrap.servers') throw new UsageError(`set ${key} through the options, not producerProps`);
    const text = String(value);
    if (/\s/.test(text)) throw new UsageError(`producer property ${key}: value must not contain whitespace`);
    props.push(`${key}=${text}`);
  }
  const args = ['--topic', options.topic, '--num-records', String(options.numRecords), '--record-size', String(size), '--throughput', String(throughput)];
  if (options.dist.major >= 4) {
    args.push('--bootstrap-server', options.bootstrapServers, '--command-property', ...props);
  } else {
    args.push('--producer-props', `bootstrap.servers=${options.bootstrapServers}`, ...props);
  }
  if (options.warmupRecords !== undefined) {
    if (options.dist.major < 4) throw new UsageError('warmupRecords needs Kafka 4.x (3.x ProducerPerformance has no --warmup-records)');
    if (!Number.isSafeInteger(options.warmupRecords) || options.warmupRecords < 0 || options.warmupRecords >= options.numRecords) {
      throw new UsageError(`warmupRecords must be a whole number from 0 to numRecords-1, got ${options.warmupRecords}`);
    }
    args.push('--warmup-records', String(options.warmupRecords));
  }
  return javaToolCommand(options.dist, PRODUCER_PERFORMANCE_CLASS, args, options);
}

/** ProducerPerformance's final summary line. */
export interface ProducerPerformanceSummary {
  /** Records acknowledged without error (the tool counts only successful sends). */
  readonly records: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  readonly avgLatencyMs: number;
  readonly maxLatencyMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  /** True for the 4.x " steady state" line (after --warmup-records). */
  readonly steadyState: boolean;
}

export interface ProducerPerformanceResult extends ProducerPerformanceSummary {
  /** The steady-state line when the run had --warmup-records (4.x), else null. */
  readonly steadyStateSummary: ProducerPerformanceSummary | null;
}

// 4.3.1: "%d%s records sent, %f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency,
// %d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th." with %s = " steady state" or "";
// 3.9.2 prints records/sec with %.1f. Progress lines lack the percentiles and do not match.
const NUMBER = '([0-9]+(?:\\.[0-9]+)?|NaN|Infinity)';
const SUMMARY = new RegExp(
  `^(\\d+)( steady state)? records sent, ${NUMBER} records/sec \\(${NUMBER} MB/sec\\), ${NUMBER} ms avg latency, ${NUMBER} ms max latency, ` +
    `(\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th, (\\d+) ms 99\\.9th\\.$`,
);

/** Parses one summary line; null for any other line. */
export function parseProducerPerformanceSummaryLine(line: string): ProducerPerformanceSummary | null {
  const m = SUMMARY.exec(line.trim());
  if (m === null) return null;
  const n = (i: number): number => Number(m[i]);
  return {
    records: n(1),
    steadyState: m[2] !== undefined,
    recordsPerSec: n(3),
    mbPerSec: n(4),
    avgLatencyMs: n(5),
    maxLatencyMs: n(6),
    p50Ms: n(7),
    p95Ms: n(8),
    p99Ms: n(9),
    p999Ms: n(10),
  };
}

/**
 * The final summary of a ProducerPerformance run's stdout (the whole-run line; with warm-up records
 * the steady-state line too). Throws when there is none: the tool failed before finishing.
 */
export function parseProducerPerformanceOutput(text: string): ProducerPerformanceResult {
  let total: ProducerPerformanceSummary | null = null;
  let steady: ProducerPerformanceSummary | null = null;
  for (const line of text.split('\n')) {
    const summary = parseProducerPerformanceSummaryLine(line);
    if (summary === null) continue;
    if (summary.steadyState) steady = summary;
    else total = summary;
  }
  if (total === null) {
    const tail = text.trim().split('\n').slice(-3).join(' | ');
    throw new FaultlineError(`ProducerPerformance printed no final summary line${tail ? `; last output: ${tail}` : ' (no output)'}`);
  }
  return { ...total, steadyStateSummary: steady };
}

/** Runs ProducerPerformance to completion and parses its summary; throws with the stderr tail on failure. */
export async function runProducerPerformance(options: ProducerPerformanceOptions, run: { readonly timeoutMs: number }): Promise<ProducerPerformanceResult> {
  const lines: string[] = [];
  const result = await runJavaTool(producerPerformanceCommand(options), { timeoutMs: run.timeoutMs, onStdoutLine: (line) => lines.push(line) });
  if (result.exitCode !== 0) {
    throw new FaultlineError(`ProducerPerformance failed (${result.timedOut ? `timed out after ${run.timeoutMs} ms` : `exit ${result.exitCode ?? result.signal}`}): ${result.stderrTail.split('\n').slice(-5).join('\n')}`);
  }
  return parseProducerPerformanceOutput(lines.join('\n'));
}

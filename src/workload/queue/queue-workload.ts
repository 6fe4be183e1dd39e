import { UsageError } from '../../errors.js';
import { withAdmin } from '../../kafka/admin.js';
import { DEFAULT_QUEUE_CALL_TIMEOUT_MS, DEFAULT_QUEUE_DRAIN_MS, DEFAULT_QUEUE_DURATION_MS, queueOptionProblems, type QueueWorkloadOptions } from './queue-options.js';
import { drainQueue, type QueueDrainSummary } from './queue-drain.js';
import { QueueProcess, type QueueProcessCounts } from './queue-process.js';

export interface QueueWorkloadSummary {
  /** Completed operations by outcome, over every process (invokes not counted). */
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  readonly crashes: number;
  /** Times a process could not open its clients (it tried again on its next operation). */
  readonly openFailures: number;
  readonly perProcess: Readonly<Record<string, QueueProcessCounts>>;
  readonly drain: QueueDrainSummary;
  readonly durationMs: number;
}

/** Bound on reading the topic's offsets before the run. */
const OFFSETS_TIMEOUT_MS = 15_000;

/** The history must account for every record the drain reads: a topic that already holds records is refused. */
async function requireEmptyTopic(bootstrap: string, topic: string): Promise<void> {
  const offsets = await withAdmin(bootstrap, (admin) => admin.offsets(topic), OFFSETS_TIMEOUT_MS);
  const held = offsets.reduce((sum, p) => sum + Math.max(0, p.highWatermark - Math.max(0, p.logStartOffset)), 0);
  if (held > 0) throw new UsageError(`topic: ${topic} already holds ${held} records; the queue workload needs a topic of its own, fresh for each run (every record it reads must be in its history)`);
}

/** Process names: q0, q1, ... */
function processName(index: number): string {
  return `q${index}`;
}

/**
 * The queue workload (issue 10): `processes` clients, each with a producer and a consumer, run a bounded mix
 * of sends, polls and transactions (ops journalled as `queue` records), optionally crashing; then one final
 * drain reads every partition from the start. Throws UsageError on options a validator refuses, before
 * connecting anything.
 */
export async function runQueueWorkload(options: QueueWorkloadOptions): Promise<QueueWorkloadSummary> {
  const problems = queueOptionProblems(options);
  if (problems.length > 0) throw new UsageError(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  await requireEmptyTopic(options.bootstrap, options.topic);
  const startedMs = performance.now();
  let value = 0;
  let completedOps = 0;
  const shared = { options, nextValue: () => value++, opDone: () => options.onOp?.(++completedOps) };
  const processes = Array.from({ length: options.processes }, (_, i) => new QueueProcess(processName(i), i, shared));
  const deadline = startedMs + (options.durationMs ?? DEFAULT_QUEUE_DURATION_MS);
  const keepGoing = (): boolean => performance.now() < deadline && options.signal?.aborted !== true;
  try {
    await Promise.all(processes.map((p) => p.run(keepGoing)));
  } finally {
    await Promise.all(processes.map((p) => p.close()));
  }
  const drain = await drainQueue({
    bootstrap: options.bootstrap,
    topic: options.topic,
    partitions: options.partitions,
    isolation: options.isolation,
    group: options.group,
    timeoutMs: Math.max(options.drainTimeoutMs ?? DEFAULT_QUEUE_DRAIN_MS, options.callTimeoutMs ?? DEFAULT_QUEUE_CALL_TIMEOUT_MS),
    sink: options.sink,
  });
  const perProcess = Object.fromEntries(processes.map((p) => [p.name, { ...p.counts }]));
  const total = (key: 'ok' | 'fail' | 'info' | 'crashes' | 'openFailures'): number => processes.reduce((sum, p) => sum + p.counts[key], 0);
  return { ok: total('ok'), fail: total('fail'), info: total('info'), crashes: total('crashes'), openFailures: total('openFailures'), perProcess, drain, durationMs: performance.now() - startedMs };
}

import type { ReadBackPartition } from '../../history/operation.js';
import { withAdmin } from '../../kafka/admin.js';
import type { OpSink } from '../op-sink.js';
import type { IsolationMode } from '../read-back.js';
import { QueueConsumer } from './queue-consumer.js';

/** The drain's process name in the journal. */
export const DRAIN_PROCESS = 'drain';
/** Bound on fetching the end offsets before the drain. */
const OFFSETS_TIMEOUT_MS = 15_000;

export interface QueueDrainOptions {
  readonly bootstrap: string;
  readonly topic: string;
  readonly partitions: number;
  readonly isolation: IsolationMode;
  readonly group: string;
  readonly timeoutMs: number;
  readonly sink: OpSink;
}

export interface QueueDrainSummary {
  readonly complete: boolean;
  readonly records: number;
  readonly partitions: ReadBackPartition[];
  /** Partitions whose last stable offset stayed below the high watermark (an open transaction) when the drain began. */
  readonly unstable: number[];
}

/**
 * The final drain: a fresh consumer assigned every partition from the log start polls until its position
 * reaches each partition's high watermark (taken when the drain begins, after the processes stopped), so
 * values never polled can be told apart from values lost. Each poll is a `poll` op of process `drain`; the
 * `read-back` record at the end says how far each partition got (the checker's evidence of completeness).
 * With read_committed the position passes the high watermark only once every transaction below it ended.
 */
export async function drainQueue(options: QueueDrainOptions): Promise<QueueDrainSummary> {
  const sink = options.sink;
  const offsets = await withAdmin(options.bootstrap, (admin) => admin.offsets(options.topic), OFFSETS_TIMEOUT_MS);
  const state = offsets.map((p) => ({ partition: p.partition, startOffset: Math.max(0, p.logStartOffset), endOffset: p.highWatermark, position: Math.max(0, p.logStartOffset), read: 0 }));
  const unstable = offsets.filter((p) => p.lastStableOffset >= 0 && p.lastStableOffset < p.highWatermark).map((p) => p.partition);
  const all = state.map((p) => p.partition);
  sink.append({ kind: 'queue', type: 'invoke', f: 'assign', process: DRAIN_PROCESS, timeMs: sink.elapsedMs(), partitions: all, seekToBeginning: true });
  const startOffsets = new Map(state.map((p) => [p.partition, p.startOffset]));
  const consumer = await QueueConsumer.open({ ...options, group: `${options.group}-drain`, mode: 'assign', clientId: 'faultline-drain', startOffsets, nowMs: () => sink.elapsedMs() });
  let records = 0;
  try {
    sink.append({ kind: 'queue', type: 'ok', f: 'assign', process: DRAIN_PROCESS, timeMs: sink.elapsedMs(), partitions: all, seekToBeginning: true });
    const deadline = performance.now() + options.timeoutMs;
    // Bounded by the deadline; each poll waits at most the consumer's call timeout.
    while (state.some((p) => p.position < p.endOffset) && performance.now() < deadline) {
      sink.append({ kind: 'queue', type: 'invoke', f: 'poll', process: DRAIN_PROCESS, timeMs: sink.elapsedMs(), mops: [{ f: 'poll', partitions: [] }] });
      const polled = await consumer.poll();
      sink.append({ kind: 'queue', type: 'ok', f: 'poll', process: DRAIN_PROCESS, timeMs: sink.elapsedMs(), mops: [{ f: 'poll', partitions: polled }] });
      for (const part of polled) {
        const entry = state.find((p) => p.partition === part.partition);
        if (entry === undefined) continue;
        entry.read += part.records.length;
        records += part.records.length;
        for (const [offset] of part.records) entry.position = Math.max(entry.position, offset + 1);
      }
      notePositions(consumer, state);
    }
  } finally {
    await consumer.close();
  }
  const stable = await stableOffsets(options.bootstrap, options.topic);
  const partitions = state.map((p) => ({ partition: p.partition, startOffset: p.startOffset, endOffset: p.endOffset, read: p.read, reachedEnd: p.position >= p.endOffset, ...lastStable(stable, p.partition) }));
  sink.append({ kind: 'read-back', timeMs: sink.elapsedMs(), process: DRAIN_PROCESS, topic: options.topic, isolation: options.isolation, partitions });
  return { complete: partitions.length > 0 && partitions.every((p) => p.reachedEnd), records, partitions, unstable };
}

/** Last stable offsets per partition now; empty when they cannot be read (the drain's record then goes without). */
async function stableOffsets(bootstrap: string, topic: string): Promise<Map<number, number>> {
  try {
    const offsets = await withAdmin(bootstrap, (admin) => admin.offsets(topic), OFFSETS_TIMEOUT_MS);
    return new Map(offsets.filter((p) => p.lastStableOffset >= 0).map((p) => [p.partition, p.lastStableOffset]));
  } catch {
    return new Map();
  }
}

function lastStable(stable: ReadonlyMap<number, number>, partition: number): { lastStableOffset?: number } {
  const offset = stable.get(partition);
  return offset === undefined ? {} : { lastStableOffset: offset };
}

/** The consumer's positions count too: past control records (transaction markers) and aborted data no record shows. */
function notePositions(consumer: QueueConsumer, state: { partition: number; position: number }[]): void {
  try {
    for (const p of consumer.client.position()) {
      const entry = state.find((s) => s.partition === p.partition);
      if (entry !== undefined && p.offset >= 0) entry.position = Math.max(entry.position, p.offset);
    }
  } catch {
    // No position before the first fetch.
  }
}

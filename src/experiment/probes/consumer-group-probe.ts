import { withAdmin } from '../../kafka/admin.js';
import type { ProbeContext } from './probe-context.js';
import type { ConsumerGroupProbe } from './probe-spec.js';

/** The value of a consumer-group probe. */
export interface ConsumerGroupValue {
  /** Kafka's name of the group state: Stable, Empty, PreparingRebalance, CompletingRebalance, Dead, Unknown. */
  readonly state: string;
  readonly members: number;
  /** Per partition (`topic/partition` when no topic is given): high watermark minus committed offset. */
  readonly lag: Readonly<Record<string, number>>;
  /** The largest lag, 0 when there is none. */
  readonly maxLag: number;
}

/**
 * Describes the group (state, members) and measures its lag: per partition, the high watermark minus the
 * committed offset; a partition of `topic` with no commit lags by all it holds (high watermark - log start).
 */
export async function measureConsumerGroup(spec: ConsumerGroupProbe, context: ProbeContext, timeoutMs: number): Promise<ConsumerGroupValue> {
  return withAdmin(
    context.bootstrap,
    async (admin) => {
      const { state, members } = await admin.groupState(spec.group);
      const committed = (await admin.committedOffsets(spec.group)).filter((c) => spec.topic === undefined || c.topic === spec.topic);
      const topics = spec.topic !== undefined ? [spec.topic] : [...new Set(committed.map((c) => c.topic))].sort();
      const lag: Record<string, number> = {};
      for (const topic of topics) {
        for (const p of await admin.offsets(topic)) {
          const commit = committed.find((c) => c.topic === topic && c.partition === p.partition);
          const from = commit !== undefined && commit.offset >= 0 ? commit.offset : p.logStartOffset;
          lag[spec.topic !== undefined ? String(p.partition) : `${topic}/${p.partition}`] = Math.max(0, p.highWatermark - from);
        }
      }
      return { state, members, lag, maxLag: Math.max(0, ...Object.values(lag)) };
    },
    timeoutMs,
  );
}

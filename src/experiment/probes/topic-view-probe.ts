import { FaultlineError } from '../../errors.js';
import { sampleTopic } from '../../workload/cluster-sampler.js';
import type { ProbeContext } from './probe-context.js';
import type { TopicViewProbe } from './probe-spec.js';

/** The value of a topic-view probe: one partition as the newest leader epoch says, and its high watermark. */
export interface TopicViewValue {
  readonly leader: number | null;
  readonly isr: readonly number[];
  readonly highWatermark: number | null;
}

/** Leader, ISR and high watermark of `topic`/`partition` (default 0), as the cluster sampler sees them. */
export async function measureTopicView(spec: TopicViewProbe, context: ProbeContext, timeoutMs: number): Promise<TopicViewValue> {
  const partition = spec.partition ?? 0;
  const sample = await sampleTopic(context.brokers, context.bootstrap, spec.topic, timeoutMs);
  const p = sample.partitions.find((x) => x.partition === partition);
  if (!p) throw new FaultlineError(`${spec.topic}/${partition}: no broker described it (${sample.partitions.length} partitions seen)`);
  return { leader: p.leader, isr: p.isr, highWatermark: p.highWatermark };
}

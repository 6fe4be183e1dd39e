import type { PartitionSample, SampleRecord } from '../history/operation.js';
import { withAdmin } from '../kafka/admin.js';
import { describeTopicView, type BrokerAddress } from '../kafka/topic-view.js';
import { sleep } from '../util/time.js';
import type { OpSink } from './op-sink.js';

/** One look at a topic: leader and ISR as the newest leader epoch says, high watermark per partition. */
export async function sampleTopic(brokers: readonly BrokerAddress[], bootstrap: string, topic: string, timeoutMs = 2000): Promise<Omit<SampleRecord, 'timeMs'>> {
  const view = await describeTopicView(brokers, topic, Math.min(timeoutMs, 1000)).catch(() => undefined);
  const offsets = await withAdmin(bootstrap, (admin) => admin.offsets(topic), timeoutMs).catch(() => undefined);
  const partitionIds = new Set<number>([...(view?.partitions.map((p) => p.partition) ?? []), ...(offsets?.map((o) => o.partition) ?? [])]);
  const partitions: PartitionSample[] = [...partitionIds].sort((a, b) => a - b).map((partition) => {
    const p = view?.partitions.find((x) => x.partition === partition);
    const o = offsets?.find((x) => x.partition === partition);
    return { partition, leader: p && p.leader >= 0 ? p.leader : null, isr: p?.isr ?? [], highWatermark: o && o.highWatermark >= 0 ? o.highWatermark : null };
  });
  return { kind: 'sample', topic, partitions };
}

/** Samples the topic every intervalMs into the sink until stopped; one sample at a time, never overlapping. */
export function startSampler(brokers: readonly BrokerAddress[], bootstrap: string, topic: string, sink: OpSink, intervalMs = 1000): { stop(): Promise<void> } {
  let stopped = false;
  // Read through a function: `stop` sets the flag while the loop awaits.
  const running = (): boolean => !stopped;
  const loop = (async () => {
    while (running()) {
      const sample = await sampleTopic(brokers, bootstrap, topic);
      if (running()) sink.append({ ...sample, timeMs: sink.elapsedMs() });
      for (let waited = 0; waited < intervalMs && running(); waited += 100) await sleep(100);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

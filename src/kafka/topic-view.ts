import { FaultlineError, UsageError } from '../errors.js';
import type { PartitionDescription } from './admin.js';
import { fetchWireMetadata, type WireMetadata, type WirePartition } from './wire-metadata.js';

export interface BrokerAddress {
  readonly host: string;
  readonly port: number;
}

export interface PartitionView extends PartitionDescription {
  readonly leaderEpoch: number;
  /** How many brokers answered with this exact view. */
  readonly agreeing: number;
}

export interface TopicView {
  readonly topic: string;
  readonly partitions: PartitionView[];
  /** Brokers that answered (a paused or cut-off broker does not). */
  readonly answered: number;
  readonly asked: number;
  /** The controller most brokers name (meaningful in ZooKeeper mode; KRaft brokers name a random live broker). */
  readonly controllerId: number;
}

const UNKNOWN_TOPIC_OR_PARTITION = 3;

/**
 * The cluster's current view of a topic: every broker is asked, and per partition the answer with the
 * highest leader epoch wins (ties: the view most brokers share). A leader cut off from the quorum keeps
 * answering with its old epoch and is outvoted, where a single client request could land on it.
 */
export async function describeTopicView(brokers: readonly BrokerAddress[], topic: string, timeoutMs = 1000): Promise<TopicView> {
  const answers = await Promise.allSettled(brokers.map((b) => fetchWireMetadata(b.host, b.port, [topic], timeoutMs)));
  const metadata = answers.filter((a): a is PromiseFulfilledResult<WireMetadata> => a.status === 'fulfilled').map((a) => a.value);
  if (metadata.length === 0) {
    const reason = answers.find((a): a is PromiseRejectedResult => a.status === 'rejected')?.reason as Error | undefined;
    throw new FaultlineError(`no broker answered a metadata request for ${topic}${reason ? ` (${reason.message})` : ''}`);
  }
  const topics = metadata.map((m) => m.topics.find((t) => t.name === topic));
  if (topics.every((t) => !t || t.errorCode === UNKNOWN_TOPIC_OR_PARTITION)) throw new UsageError(`unknown topic ${topic}`);
  const byPartition = new Map<number, WirePartition[]>();
  for (const t of topics) {
    if (t?.errorCode !== 0) continue;
    for (const p of t.partitions) byPartition.set(p.partition, [...(byPartition.get(p.partition) ?? []), p]);
  }
  const partitions: PartitionView[] = [];
  for (const [partition, views] of [...byPartition.entries()].sort((a, b) => a[0] - b[0])) {
    const newest = Math.max(...views.map((v) => v.leaderEpoch));
    const counts = new Map<string, { view: WirePartition; count: number }>();
    for (const view of views.filter((v) => v.leaderEpoch === newest)) {
      const key = `${view.leader}|${view.replicas.join(',')}|${view.isr.join(',')}`;
      const entry = counts.get(key) ?? { view, count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
    const best = [...counts.values()].sort((a, b) => b.count - a.count)[0];
    if (!best) continue;
    partitions.push({ partition, leader: best.view.leader, leaderEpoch: newest, replicas: best.view.replicas, isr: best.view.isr, agreeing: best.count });
  }
  const controllerVotes = new Map<number, number>();
  for (const m of metadata) controllerVotes.set(m.controllerId, (controllerVotes.get(m.controllerId) ?? 0) + 1);
  const controllerId = [...controllerVotes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? -1;
  return { topic, partitions, answered: metadata.length, asked: brokers.length, controllerId };
}

/** The controller most reachable brokers name, from any topic-less metadata request. */
export async function controllerIdView(brokers: readonly BrokerAddress[], timeoutMs = 1000): Promise<number> {
  const answers = await Promise.allSettled(brokers.map((b) => fetchWireMetadata(b.host, b.port, [], timeoutMs)));
  const votes = new Map<number, number>();
  for (const a of answers) if (a.status === 'fulfilled') votes.set(a.value.controllerId, (votes.get(a.value.controllerId) ?? 0) + 1);
  const best = [...votes.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!best || best[0] < 0) throw new FaultlineError('no broker named a controller');
  return best[0];
}

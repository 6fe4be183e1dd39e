import { activeKraftController } from '../../nemesis/target.js';
import { fetchWireMetadata, type WireMetadata, type WirePartition } from '../../kafka/wire-metadata.js';
import type { ProbeContext } from './probe-context.js';
import type { ClusterHealthProbe } from './probe-spec.js';

/** The value of a cluster-health probe. */
export interface ClusterHealth {
  /** No problem below. */
  readonly healthy: boolean;
  /** Expected brokers that answered a metadata request and that the answers list as registered. */
  readonly brokersUp: number;
  readonly brokersExpected: number;
  /** Partitions with no leader. */
  readonly offlinePartitions: number;
  /** Partitions whose ISR is smaller than their replica set. */
  readonly underReplicated: number;
  /** The active controller's id, or null when none is known. */
  readonly controller: number | null;
  /** What is wrong, one line each (at most MAX_HEALTH_PROBLEMS). */
  readonly problems: readonly string[];
}

const MAX_HEALTH_PROBLEMS = 20;
/** Per-broker bound on one metadata request. */
const METADATA_TIMEOUT_MS = 2000;
const UNKNOWN_TOPIC_OR_PARTITION = 3;

/**
 * Asks every expected broker for metadata (of `topics`, or of every topic) and judges the answers: every
 * broker answering and registered, every partition led and fully replicated, a controller known.
 */
export async function measureClusterHealth(spec: ClusterHealthProbe, context: ProbeContext, timeoutMs: number): Promise<ClusterHealth> {
  const perBrokerMs = Math.min(timeoutMs, METADATA_TIMEOUT_MS);
  const answers = await Promise.all(context.brokers.map((b) => fetchWireMetadata(b.host, b.port, spec.topics ?? null, perBrokerMs).catch(() => undefined)));
  const answered = answers.filter((a): a is WireMetadata => a !== undefined);
  const problems: string[] = [];
  const registered = registeredIds(answered);
  let brokersUp = 0;
  context.brokers.forEach((broker, i) => {
    if (answers[i] === undefined) problems.push(`broker ${broker.id} did not answer`);
    else if (!registered.has(broker.id)) problems.push(`broker ${broker.id} answers but is not registered`);
    else brokersUp++;
  });
  const partitions = newestPartitions(answered, spec.topics ?? [], problems);
  let offlinePartitions = 0;
  let underReplicated = 0;
  for (const [key, p] of partitions) {
    if (p.leader < 0) {
      offlinePartitions++;
      problems.push(`${key} has no leader`);
    } else if (p.isr.length < p.replicas.length) {
      underReplicated++;
      problems.push(`${key} ISR [${p.isr.join(',')}] of replicas [${p.replicas.join(',')}]`);
    }
  }
  const controller = await knownController(context, answered);
  if (controller === null) problems.push('no controller is known');
  const shown = problems.length > MAX_HEALTH_PROBLEMS ? [...problems.slice(0, MAX_HEALTH_PROBLEMS - 1), `... and ${problems.length - MAX_HEALTH_PROBLEMS + 1} more`] : problems;
  return { healthy: problems.length === 0, brokersUp, brokersExpected: context.brokers.length, offlinePartitions, underReplicated, controller, problems: shown };
}

/** Broker ids that most answers list (a fenced or dead broker drops out of the metadata). */
function registeredIds(answers: readonly WireMetadata[]): Set<number> {
  const votes = new Map<number, number>();
  for (const a of answers) for (const b of a.brokers) votes.set(b.id, (votes.get(b.id) ?? 0) + 1);
  return new Set([...votes].filter(([, n]) => n * 2 > answers.length).map(([id]) => id));
}

/** Per `topic/partition`, the answer with the newest leader epoch; topics asked for but unknown become problems. */
function newestPartitions(answers: readonly WireMetadata[], asked: readonly string[], problems: string[]): Map<string, WirePartition> {
  const newest = new Map<string, WirePartition>();
  const known = new Set<string>();
  for (const answer of answers) {
    for (const topic of answer.topics) {
      if (topic.errorCode === UNKNOWN_TOPIC_OR_PARTITION) continue;
      known.add(topic.name);
      for (const p of topic.partitions) {
        const key = `${topic.name}/${p.partition}`;
        const seen = newest.get(key);
        if (!seen || p.leaderEpoch > seen.leaderEpoch) newest.set(key, p);
      }
    }
  }
  if (answers.length > 0) for (const topic of asked) if (!known.has(topic)) problems.push(`topic ${topic} does not exist`);
  return new Map([...newest].sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true })));
}

/** KRaft: the quorum's elected leader, if it is running; ZooKeeper (or no cluster state): the controller most answers name. */
async function knownController(context: ProbeContext, answers: readonly WireMetadata[]): Promise<number | null> {
  const state = context.cluster?.();
  if (state !== undefined && state.mode !== 'zookeeper') {
    try {
      const node = await activeKraftController(state);
      return node.state === 'running' ? node.id : null;
    } catch {
      return null;
    }
  }
  const votes = new Map<number, number>();
  for (const a of answers) if (a.controllerId >= 0) votes.set(a.controllerId, (votes.get(a.controllerId) ?? 0) + 1);
  const best = [...votes].sort((a, b) => b[1] - a[1])[0];
  return best ? best[0] : null;
}

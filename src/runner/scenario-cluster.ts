import { FaultlineError } from '../errors.js';
import { clusterDown, clusterUp, type ClusterSummary } from '../cluster/local-cluster.js';
import { requireClusterState } from '../cluster/cluster-state.js';
import { isBroker } from '../cluster/topology.js';
import { withAdmin } from '../kafka/admin.js';
import { describeTopicView } from '../kafka/topic-view.js';
import type { ScenarioCluster, ScenarioTopic } from '../scenario/scenario.js';
import { pollUntil } from '../util/time.js';
import { attachedCluster, createAttachedTopics, deleteAttachedTopics, useAttachedCluster } from './attached-cluster.js';

/** How long a new topic may take to get leaders and a full ISR. */
const TOPIC_READY_TIMEOUT_MS = 30_000;

/** Waits until every partition has a leader, a full ISR, and every broker answers. */
export async function waitForSettled(topic: string, replicationFactor: number, timeoutMs: number): Promise<boolean> {
  const brokers = requireClusterState().nodes.filter(isBroker);
  const ok = await pollUntil(async () => {
    const view = await describeTopicView(brokers, topic).catch(() => undefined);
    if (!view || view.answered < brokers.length || view.partitions.length === 0) return undefined;
    return view.partitions.every((p) => p.leader >= 0 && p.isr.length >= replicationFactor) ? true : undefined;
  }, timeoutMs, 500);
  return ok === true;
}

/**
 * The cluster phase of a scenario or an experiment: a fresh cluster of the given shape (recorded as a suite's own,
 * so the next scenario or suite may replace it), with every topic created and settled. On an attached cluster
 * (`cluster attach`) the cluster stays: its shape must match, and the topics are created there (attached-cluster.ts).
 */
export async function startFreshCluster(shape: ScenarioCluster, topics: readonly ScenarioTopic[], log: (line: string) => void, signal?: AbortSignal): Promise<ClusterSummary> {
  const attached = attachedCluster();
  if (attached) {
    const cluster = useAttachedCluster(attached, shape, log);
    await createAttachedTopics(cluster, topics);
    await settleTopics(topics);
    return cluster;
  }
  log(`fresh ${shape.metadata} cluster of ${shape.brokers}`);
  await clusterDown();
  const cluster = await clusterUp({
    brokers: shape.brokers,
    metadata: shape.metadata,
    ...(shape.kafkaVersion ? { kafkaVersion: shape.kafkaVersion } : {}),
    settings: shape.settings,
    owner: 'suite',
    ...(signal !== undefined ? { signal } : {}),
  });
  for (const topic of topics) {
    await withAdmin(cluster.bootstrap, (admin) => admin.createTopic({ name: topic.name, partitions: topic.partitions, replicationFactor: topic.replicationFactor, config: topic.config }));
  }
  await settleTopics(topics);
  return cluster;
}

async function settleTopics(topics: readonly ScenarioTopic[]): Promise<void> {
  for (const topic of topics) {
    if (!(await waitForSettled(topic.name, topic.replicationFactor, TOPIC_READY_TIMEOUT_MS))) {
      throw new FaultlineError(`topic ${topic.name} did not get leaders and a full ISR within ${TOPIC_READY_TIMEOUT_MS / 1000} s`);
    }
  }
}

/**
 * The other half of the cluster phase: tear the scenario's cluster down unless it is to be kept; on an attached
 * cluster, delete the topics the scenario created there instead. Never throws.
 */
export async function stopScenarioCluster(keepCluster: boolean, topics: readonly string[] = []): Promise<void> {
  if (attachedCluster()) await deleteAttachedTopics(topics).catch(() => undefined);
  else if (!keepCluster) await clusterDown().catch(() => undefined);
}

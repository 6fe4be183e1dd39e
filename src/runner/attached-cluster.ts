/**
 * Scenarios and experiments on an attached cluster (`cluster attach`): the user's own cluster is never replaced
 * or stopped. A scenario runs there when its shape matches; its topics are created there (a topic of that name
 * already there is an error: faultline deletes only what it created) and deleted after it; its faults need the
 * confirmation the run was given (`--yes`).
 */
import { readClusterState, type ClusterState } from '../cluster/cluster-state.js';
import { summarize, type ClusterSummary } from '../cluster/cluster-summary.js';
import { isBroker } from '../cluster/topology.js';
import { UsageError } from '../errors.js';
import { withAdmin } from '../kafka/admin.js';
import type { ScenarioCluster, ScenarioTopic } from '../scenario/scenario.js';
import { pollUntil } from '../util/time.js';

/** Bound on a deleted topic disappearing from the attached cluster's metadata. */
const TOPIC_GONE_TIMEOUT_MS = 30_000;

/** The recorded cluster when it is an attached one (faultline did not install it), else undefined. */
export function attachedCluster(): ClusterState | undefined {
  const state = readClusterState();
  return state?.ssh?.attached === true ? state : undefined;
}

/** The attached cluster for a scenario of this shape; a shape it does not have is one error naming the field. */
export function useAttachedCluster(state: ClusterState, shape: ScenarioCluster, log: (line: string) => void): ClusterSummary {
  const brokers = state.nodes.filter(isBroker).length;
  if (state.mode !== shape.metadata || brokers !== shape.brokers) {
    throw new UsageError(`cluster: the scenario needs a ${shape.metadata} cluster of ${shape.brokers} brokers; the attached cluster is ${state.mode} with ${brokers} (faultline does not reshape a cluster it did not install)`);
  }
  log(`attached ${state.mode} cluster of ${brokers} (${state.bootstrap})`);
  return summarize(state);
}

/** Creates the topics on the attached cluster; refuses (before creating any) when one of them is there already. */
export async function createAttachedTopics(cluster: ClusterSummary, topics: readonly ScenarioTopic[]): Promise<void> {
  await withAdmin(cluster.bootstrap, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const taken = topics.find((t) => existing.has(t.name));
    if (taken) throw new UsageError(`topic: ${taken.name} exists on the attached cluster; faultline creates its scenario topics there and deletes only those, so it does not use (or delete) one it did not create`);
    for (const topic of topics) await admin.createTopic({ name: topic.name, partitions: topic.partitions, replicationFactor: topic.replicationFactor, config: topic.config });
  });
}

/** Deletes the scenario's topics from the attached cluster (they were created by createAttachedTopics). */
export async function deleteAttachedTopics(topics: readonly string[]): Promise<void> {
  const state = attachedCluster();
  if (!state || topics.length === 0) return;
  await withAdmin(state.bootstrap, async (admin) => {
    for (const topic of topics) await admin.deleteTopic(topic);
    // Kafka deletes in the background: the next scenario creates a topic of the same name.
    await pollUntil(async () => ((await admin.listTopics()).some((t) => topics.includes(t)) ? undefined : true), TOPIC_GONE_TIMEOUT_MS, 250);
  });
}

/** Before a suite or experiment: an attached cluster is used only with confirmation (its faults hit the user's hosts). */
export function assertAttachedConfirmed(confirmed: boolean): void {
  const state = attachedCluster();
  if (state && !confirmed) {
    throw new UsageError(`confirmed: the cluster on ${state.ssh?.hosts.join(', ') ?? state.bootstrap} was attached, not installed by faultline; its scenarios create and delete topics there and inject faults on its hosts, which needs confirmation (--yes)`);
  }
}

import { clusterDown, clusterUp } from '../../cluster/local-cluster.js';
import type { ClusterSummary } from '../../cluster/cluster-summary.js';
import { FaultlineError } from '../../errors.js';
import { withAdmin } from '../../kafka/admin.js';
import { waitForSettled } from '../../runner/scenario-cluster.js';
import type { Experiment } from '../experiment.js';

/** How long new topics may take to get leaders and a full ISR. */
const TOPIC_READY_TIMEOUT_MS = 30_000;

/** A fresh local cluster of the experiment's shape (recorded as a suite's own), with every topic created and settled. */
export async function startExperimentCluster(experiment: Experiment, log: (line: string) => void, signal: AbortSignal): Promise<ClusterSummary> {
  const shape = experiment.cluster;
  log(`fresh ${shape.metadata} cluster of ${shape.brokers}`);
  await clusterDown();
  const cluster = await clusterUp({
    brokers: shape.brokers,
    metadata: shape.metadata,
    ...(shape.kafkaVersion ? { kafkaVersion: shape.kafkaVersion } : {}),
    settings: shape.settings,
    owner: 'suite',
    signal,
  });
  for (const topic of experiment.topics) {
    await withAdmin(cluster.bootstrap, (admin) => admin.createTopic({ name: topic.name, partitions: topic.partitions, replicationFactor: topic.replicationFactor, config: topic.config }));
    if (!(await waitForSettled(topic.name, topic.replicationFactor, TOPIC_READY_TIMEOUT_MS))) {
      throw new FaultlineError(`topic ${topic.name} did not get leaders and a full ISR within ${TOPIC_READY_TIMEOUT_MS / 1000} s`);
    }
  }
  return cluster;
}

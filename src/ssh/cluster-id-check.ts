import { UsageError } from '../errors.js';
import type { ClusterMetadataView, HostedKafka } from './cluster-view.js';

/** The metadata's cluster id, else the one most attached Kafka processes' log dirs carry (the first on a tie). */
function expectedClusterId(kafka: readonly HostedKafka[], metadata: ClusterMetadataView): string | undefined {
  if (metadata.clusterId !== undefined) return metadata.clusterId;
  const counts = new Map<string, number>();
  for (const { process } of kafka) {
    if (process.clusterId !== undefined) counts.set(process.clusterId, (counts.get(process.clusterId) ?? 0) + 1);
  }
  let best: [string, number] | undefined;
  for (const entry of counts) if (best === undefined || entry[1] > best[1]) best = entry;
  return best?.[0];
}

/** Every Kafka process whose log dirs name a cluster must name the cluster's; returns that id (undefined: unknown). */
export function checkClusterIds(kafka: readonly HostedKafka[], metadata: ClusterMetadataView): string | undefined {
  const expected = expectedClusterId(kafka, metadata);
  for (const { host, process } of kafka) {
    if (process.clusterId === undefined || expected === undefined || process.clusterId === expected) continue;
    const others = metadata.clusterId === undefined ? 'the other hosts to' : 'but the cluster\'s metadata says';
    throw new UsageError(`host ${host.sshHost} belongs to cluster ${process.clusterId}, ${others} ${expected}`);
  }
  return expected;
}

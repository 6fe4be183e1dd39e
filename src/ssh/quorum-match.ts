import { UsageError } from '../errors.js';
import type { DiscoveredKafka, DiscoveredZooKeeper } from './discovered-process.js';
import type { AttachedHost, ClusterMetadataView, HostedKafka } from './cluster-view.js';
import { hostNames } from './broker-match.js';

function ids(values: Iterable<number>): string {
  return [...values].sort((a, b) => a - b).join(', ');
}

/**
 * A controller-only process belongs to the cluster when its id is among the metadata's controller ids; without
 * those, among the attached Kafka processes' controller.quorum.voters; without those, when its log dirs carry the
 * cluster's id.
 */
export function checkController(
  host: AttachedHost, process: DiscoveredKafka, id: number, metadata: ClusterMetadataView,
  kafka: readonly HostedKafka[], clusterId: string | undefined,
): void {
  const where = `host ${host.sshHost} runs KRaft controller ${id}`;
  if (metadata.controllerIds !== undefined) {
    if (metadata.controllerIds.includes(id)) return;
    throw new UsageError(`${where}, which is not one of the cluster's controllers (${ids(metadata.controllerIds) || 'none'})`);
  }
  const voters = new Set(kafka.flatMap((b) => b.process.config.quorumVoters.map((v) => v.id)));
  if (voters.size > 0) {
    if (voters.has(id)) return;
    throw new UsageError(`${where}, which is not in the attached nodes' controller.quorum.voters (${ids(voters)})`);
  }
  if (clusterId !== undefined && process.clusterId === clusterId) return;
  throw new UsageError(`${where}, and nothing tells whether it belongs to the cluster (no controller ids in the metadata, no controller.quorum.voters on the attached nodes, no cluster.id in its log dirs)`);
}

const isLoopback = (host: string): boolean => host === 'localhost' || host.startsWith('127.') || host === '::1';

/**
 * Why a ZooKeeper server does not belong to the cluster, or undefined when it does: an attached broker's
 * zookeeper.connect names its client port at this host, under one of the host's names or as loopback from a broker
 * on the same host.
 */
export function zooKeeperMismatch(host: AttachedHost, process: DiscoveredZooKeeper, clientPort: number, brokers: readonly HostedKafka[]): string | undefined {
  const where = `host ${host.sshHost} runs a ZooKeeper server (pid ${process.pid}, client port ${clientPort})`;
  const servers = brokers.flatMap((b) => (b.process.config.zookeeperConnect?.servers ?? []).map((server) => ({ server, from: b.host })));
  if (servers.length === 0) return `${where}, but no attached broker uses ZooKeeper (no zookeeper.connect)`;
  const names = hostNames(host);
  const named = servers.some(({ server, from }) =>
    server.port === clientPort && (names.has(server.host.toLowerCase()) || (isLoopback(server.host) && from === host)));
  if (named) return undefined;
  const listed = [...new Set(servers.map(({ server }) => `${server.host}:${server.port}`))].join(', ');
  return `${where}, which no attached broker's zookeeper.connect names (${listed})`;
}

import { UsageError } from '../errors.js';
import { CONTROLLER_PORT, ZOOKEEPER_PORT, type NodeRole } from '../cluster/topology.js';
import { posix } from 'node:path';
import { controllerEndpoint } from './kafka-config.js';
import { isWildcardHost } from './kafka-endpoints.js';
import type { DiscoveredKafka } from './discovered-process.js';
import { matchBroker, nodeIdOf } from './broker-match.js';
import { checkController, zooKeeperMismatch } from './quorum-match.js';
import { checkClusterIds } from './cluster-id-check.js';
import { nameNodes, type UnnamedNode } from './node-names.js';
import type { AttachedHost, AttachedNode, ClusterMetadataView, HostedKafka } from './cluster-view.js';

/**
 * The attached cluster's nodes, from what discovery found on each host and the cluster's metadata, or one
 * UsageError naming the host for the first of: a host named twice or running no Kafka or ZooKeeper; a host whose
 * log dirs belong to another cluster; a config whose node id differs from its log dirs'; two processes with one
 * node id; a broker the metadata does not list, or lists at another address; a controller or ZooKeeper server the
 * cluster does not use (a ZooKeeper server beside a broker is then left out); a broker or controller of the
 * metadata on none of the hosts (docs/ssh.md, "Attaching").
 */
export function matchHostsToCluster(hosts: readonly AttachedHost[], metadata: ClusterMetadataView): AttachedNode[] {
  checkHostsRunSomething(hosts);
  const kafka: HostedKafka[] = hosts.flatMap((host) =>
    host.processes.flatMap((process) => (process.kind === 'kafka' ? [{ host, process }] : [])));
  const clusterId = checkClusterIds(kafka, metadata);
  const ids = kafka.map(({ host, process }) => nodeIdOf(host, process));
  checkUniqueIds(kafka, ids);
  const nodes = kafka.map((k, index) => kafkaNode(k, ids[index] ?? -1, metadata, kafka, clusterId));
  const zooKeepers = zooKeeperNodes(hosts, kafka);
  checkAllAttached(hosts, metadata, new Set(ids));
  return nameNodes([...zooKeepers, ...nodes]);
}

function checkHostsRunSomething(hosts: readonly AttachedHost[]): void {
  const seen = new Set<string>();
  for (const host of hosts) {
    if (seen.has(host.sshHost)) throw new UsageError(`host ${host.sshHost} is named twice`);
    seen.add(host.sshHost);
    if (host.processes.length === 0) {
      throw new UsageError(`host ${host.sshHost} runs no Kafka (no kafka.Kafka or ZooKeeper QuorumPeerMain process)`);
    }
  }
}

function checkUniqueIds(kafka: readonly HostedKafka[], ids: readonly number[]): void {
  const first = new Map<number, HostedKafka>();
  kafka.forEach((k, index) => {
    const id = ids[index] ?? -1;
    const earlier = first.get(id);
    if (earlier === undefined) {
      first.set(id, k);
      return;
    }
    if (earlier.host === k.host) throw new UsageError(`host ${k.host.sshHost} runs Kafka node ${id} twice (pids ${earlier.process.pid} and ${k.process.pid})`);
    throw new UsageError(`hosts ${earlier.host.sshHost} and ${k.host.sshHost} both run Kafka node ${id}`);
  });
}

function roleOf(process: DiscoveredKafka): NodeRole {
  const { roles } = process.config;
  if (!roles.includes('controller')) return 'broker';
  return roles.includes('broker') ? 'broker+controller' : 'controller';
}

function kafkaNode(
  k: HostedKafka, id: number, metadata: ClusterMetadataView, kafka: readonly HostedKafka[], clusterId: string | undefined,
): UnnamedNode {
  const { host, process } = k;
  const role = roleOf(process);
  const where = { sshHost: host.sshHost, pid: process.pid, startTime: process.startTime, configFile: process.configFile, dataDirs: process.logDirs };
  if (role !== 'controller') {
    const entry = matchBroker(host, process, id, metadata);
    return { id, role, host: entry.host, port: entry.port, ...where };
  }
  checkController(host, process, id, metadata, kafka, clusterId);
  const endpoint = controllerEndpoint(process.config);
  const address = endpoint === undefined || isWildcardHost(endpoint.host) ? host.sshHost : endpoint.host;
  return { id, role, host: address, port: endpoint?.port ?? CONTROLLER_PORT, ...where };
}

/**
 * The ZooKeeper servers the cluster uses. One it does not use is an error on a host that runs nothing else of the
 * cluster, and left alone beside a broker (a host may run a ZooKeeper for something else).
 */
function zooKeeperNodes(hosts: readonly AttachedHost[], kafka: readonly HostedKafka[]): UnnamedNode[] {
  return hosts.flatMap((host) => host.processes.flatMap((process) => {
    if (process.kind !== 'zookeeper') return [];
    const port = process.config.clientPort ?? ZOOKEEPER_PORT;
    const mismatch = zooKeeperMismatch(host, process, port, kafka);
    if (mismatch !== undefined && host.processes.some((p) => p.kind === 'kafka')) return [];
    if (mismatch !== undefined) throw new UsageError(mismatch);
    const { dataDir } = process.config;
    return [{
      id: 0, role: 'zookeeper' as const, host: host.sshHost, port, sshHost: host.sshHost, pid: process.pid,
      startTime: process.startTime, configFile: process.configFile,
      dataDirs: dataDir === undefined ? [] : [posix.resolve(process.cwd, dataDir)],
    }];
  }));
}

/** Every broker (and known controller) of the metadata must run on an attached host: faults reach only those. */
function checkAllAttached(hosts: readonly AttachedHost[], metadata: ClusterMetadataView, attached: ReadonlySet<number>): void {
  const names = hosts.map((h) => h.sshHost).join(', ');
  for (const broker of metadata.brokers) {
    if (attached.has(broker.nodeId)) continue;
    throw new UsageError(`broker ${broker.nodeId} (${broker.host}:${broker.port}) of the cluster's metadata runs on none of the attached hosts (${names}); attach every host of the cluster`);
  }
  for (const id of metadata.controllerIds ?? []) {
    if (!attached.has(id)) throw new UsageError(`controller ${id} of the cluster runs on none of the attached hosts (${names}); attach every host of the cluster`);
  }
}

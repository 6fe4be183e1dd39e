import type { ClusterState, NodeState } from '../../../src/cluster/cluster-state.js';
import { planTopology, type MetadataMode } from '../../../src/cluster/topology.js';
import { addressPlan, hostVethName, namespaceName } from '../../../src/net/address-plan.js';

/** A ClusterState as clusterUp would record it, without any process or namespace behind it. */
export function fakeCluster(mode: MetadataMode, brokers = 3, subnet = '10.77.0.0/24'): ClusterState {
  const plan = addressPlan(subnet);
  const nodes = planTopology(plan, mode, brokers).map((n): NodeState => ({
    ...n,
    namespace: namespaceName(n.name),
    hostVeth: hostVethName(n.name),
    dir: `/tmp/fl-fake/${n.name}`,
    dataDir: `/tmp/fl-fake/${n.name}/data`,
    configFile: `/tmp/fl-fake/${n.name}/server.properties`,
    logFile: `/tmp/fl-fake/${n.name}/server.log`,
    marker: `-Dfaultline.node=${n.name}@fake`,
    pid: 0,
    state: 'running',
  }));
  return {
    formatVersion: 1,
    status: 'running',
    createdAt: '2024-01-01T00:00:00.000Z',
    clusterId: 'fake',
    mode,
    kafkaVersion: mode === 'zookeeper' ? '3.9.2' : '4.3.1',
    libDir: '/nonexistent',
    dir: '/tmp/fl-fake',
    addressPrefix: plan.prefix,
    bridge: plan.bridge,
    bootstrap: nodes.filter((n) => n.role !== 'zookeeper' && n.role !== 'controller').map((n) => `${n.host}:${n.port}`).join(','),
    settings: {},
    heapMb: 512,
    diskMb: 256,
    nodes,
  };
}

export const HOST = '10.77.0.1';

export function node(state: ClusterState, name: string): NodeState {
  const found = state.nodes.find((n) => n.name === name);
  if (!found) throw new Error(`fake cluster has no ${name}`);
  return found;
}

export function nodes(state: ClusterState, ...names: string[]): NodeState[] {
  return names.map((name) => node(state, name));
}

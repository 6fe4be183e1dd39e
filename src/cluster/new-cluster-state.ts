import { join } from 'node:path';
import { hostVethName, namespaceName, type AddressPlan } from '../net/address-plan.js';
import type { ClusterState, NodeState } from './cluster-state.js';
import type { ResolvedUpOptions } from './cluster-options.js';
import { NODE_MARKER_PREFIX } from './node-process.js';
import { isBroker, type NodePlan } from './topology.js';

export interface NewClusterInput {
  readonly options: ResolvedUpOptions;
  readonly plan: AddressPlan;
  readonly nodes: readonly NodePlan[];
  readonly libDir: string;
  /** $FAULTLINE_HOME/cluster */
  readonly dir: string;
  readonly clusterId: string;
  readonly ownerPid: number;
  readonly createdAt: string;
}

function nodeState(dir: string, clusterId: string, node: NodePlan): NodeState {
  const nodeDir = join(dir, node.name);
  return {
    ...node,
    namespace: namespaceName(node.name),
    hostVeth: hostVethName(node.name),
    dir: nodeDir,
    dataDir: join(nodeDir, 'data'),
    configFile: join(nodeDir, node.role === 'zookeeper' ? 'zookeeper.properties' : 'server.properties'),
    logFile: join(nodeDir, 'server.log'),
    marker: `${NODE_MARKER_PREFIX}${node.name}@${clusterId}`,
    pid: 0,
    state: 'stopped',
  };
}

/** The state file of a cluster about to start: every node planned, none running yet. */
export function newClusterState(input: NewClusterInput): ClusterState {
  const { options, plan } = input;
  return {
    formatVersion: 1,
    status: 'starting',
    createdAt: input.createdAt,
    clusterId: input.clusterId,
    mode: options.mode,
    kafkaVersion: options.kafkaVersion,
    libDir: input.libDir,
    dir: input.dir,
    addressPrefix: plan.prefix,
    bridge: plan.bridge,
    bootstrap: input.nodes.filter(isBroker).map((b) => `${b.host}:${b.port}`).join(','),
    settings: options.settings,
    heapMb: options.heapMb,
    diskMb: options.diskMb,
    owner: { kind: options.owner, pid: input.ownerPid },
    provider: 'local',
    nodes: input.nodes.map((n) => nodeState(input.dir, input.clusterId, n)),
  };
}

import { FaultlineError, UsageError } from '../errors.js';
import type { ClusterState, NodeState } from '../cluster/cluster-state.js';
import { CONTROLLER_PORT, ZOOKEEPER_PORT, isController } from '../cluster/topology.js';

/** One cut: `node` stops hearing from (and, unless one-way, talking to) `peer`, optionally on one port only. */
export interface Cut {
  readonly node: NodeState;
  readonly peerAddress: string;
  readonly peerName: string;
  /** Only connections to this port are cut (the controller or ZooKeeper port); all traffic when undefined. */
  readonly port?: number;
  /** When true only traffic *into* node is dropped. */
  readonly oneWay: boolean;
}

/** Who drops whom, by node name: Jepsen's grudge. Each entry is one-way (the node drops what the peers send). */
export type Grudge = ReadonlyMap<string, readonly NodeState[]>;

export interface PartitionPlanInput {
  readonly state: ClusterState;
  readonly hostAddress: string;
  /** Nodes being isolated (target mode). */
  readonly isolated?: readonly NodeState[];
  /** With `isolated`: all | controllers | zookeeper | explicit peers (resolved). */
  readonly from?: 'all' | 'controllers' | 'zookeeper' | readonly NodeState[];
  /** Group mode: each group talks only within itself; nodes in no group are left alone. Disjoint. */
  readonly groups?: readonly (readonly NodeState[])[];
  /** Grudge mode (majorities-ring): one-way drops, node by node. */
  readonly grudge?: Grudge;
  readonly oneWay: boolean;
  readonly clients: boolean;
}

/** Computes the cuts of a partition; pure, so it is unit-tested without a cluster. */
export function planPartition(input: PartitionPlanInput): Cut[] {
  if (input.groups) return groupCuts(input, input.groups);
  if (input.grudge) return grudgeCuts(input, input.grudge);
  return isolationCuts(input);
}

function hostCut(input: PartitionPlanInput, node: NodeState): Cut {
  return { node, peerAddress: input.hostAddress, peerName: 'clients', oneWay: input.oneWay };
}

function groupCuts(input: PartitionPlanInput, groups: readonly (readonly NodeState[])[]): Cut[] {
  const groupOf = new Map<string, number>();
  groups.forEach((group, index) => {
    for (const node of group) {
      // claimGroups made them disjoint: a node twice is a bug, not bad input.
      if (groupOf.has(node.name)) throw new FaultlineError(`partition plan: node ${node.name} is in more than one group`);
      groupOf.set(node.name, index);
    }
  });
  const cuts: Cut[] = [];
  for (const node of input.state.nodes) {
    const mine = groupOf.get(node.name);
    if (mine === undefined) continue;
    for (const peer of input.state.nodes) {
      const theirs = groupOf.get(peer.name);
      if (peer.name === node.name || theirs === undefined || theirs === mine) continue;
      cuts.push({ node, peerAddress: peer.host, peerName: peer.name, oneWay: input.oneWay });
    }
    if (input.clients) cuts.push(hostCut(input, node));
  }
  return cuts;
}

function grudgeCuts(input: PartitionPlanInput, grudge: Grudge): Cut[] {
  const cuts: Cut[] = [];
  for (const node of input.state.nodes) {
    const peers = grudge.get(node.name);
    if (peers === undefined) continue;
    for (const peer of peers) cuts.push({ node, peerAddress: peer.host, peerName: peer.name, oneWay: true });
    if (input.clients) cuts.push(hostCut(input, node));
  }
  return cuts;
}

function isolationCuts(input: PartitionPlanInput): Cut[] {
  const { state, oneWay } = input;
  const isolated = input.isolated ?? [];
  if (isolated.length === 0) throw new UsageError('target: name a target (e.g. leader:t, from all), groups or a shape');
  const from = input.from ?? 'all';
  const cuts: Cut[] = [];
  for (const node of isolated) {
    if (from === 'zookeeper') {
      const zk = state.nodes.find((n) => n.role === 'zookeeper');
      if (!zk) throw new UsageError(`from: zookeeper needs a ZooKeeper-mode cluster; this one runs ${state.mode}, without ZooKeeper (use controllers)`);
      cuts.push({ node, peerAddress: zk.host, peerName: zk.name, port: ZOOKEEPER_PORT, oneWay });
    } else if (from === 'controllers') {
      if (state.mode === 'zookeeper') throw new UsageError('from: controllers needs a KRaft cluster; this is a ZooKeeper-mode cluster (use zookeeper)');
      for (const peer of state.nodes.filter(isController)) {
        if (peer.name !== node.name) cuts.push({ node, peerAddress: peer.host, peerName: peer.name, port: CONTROLLER_PORT, oneWay });
      }
    } else {
      for (const peer of from === 'all' ? state.nodes : from) {
        if (peer.name === node.name || isolated.some((n) => n.name === peer.name)) continue;
        cuts.push({ node, peerAddress: peer.host, peerName: peer.name, oneWay });
      }
    }
    if (input.clients) cuts.push(hostCut(input, node));
  }
  return cuts;
}

/**
 * Overlapping groups resolved in order: a node belongs to the first group that names it; 'rest' takes every
 * node of `universe` no other group took. A group left empty is an error naming it.
 */
export function claimGroups(groups: readonly (readonly NodeState[] | 'rest')[], universe: readonly NodeState[], labels: readonly string[]): NodeState[][] {
  const claimed = new Set<string>();
  const out: (NodeState[] | 'rest')[] = groups.map((group) => {
    if (group === 'rest') return 'rest';
    const mine = group.filter((node) => !claimed.has(node.name));
    for (const node of mine) claimed.add(node.name);
    return [...new Map(mine.map((n) => [n.name, n])).values()];
  });
  const resolved = out.map((group) => (group === 'rest' ? universe.filter((n) => !claimed.has(n.name)) : group));
  resolved.forEach((group, index) => {
    if (group.length === 0) throw new FaultlineError(`partition group ${index + 1} (${labels[index] ?? '?'}) has no node left: earlier groups took ${[...claimed].join(', ') || 'none'}`);
  });
  return resolved;
}

import { UsageError } from '../errors.js';
import type { ClusterState, NodeState } from '../cluster/cluster-state.js';
import { CONTROLLER_PORT, ZOOKEEPER_PORT, isController } from '../cluster/topology.js';
import { faultComment, type IptablesTable } from '../net/iptables-loss.js';

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

export interface RuleLine {
  readonly table: IptablesTable;
  readonly args: readonly string[];
}

/**
 * iptables lines for a cut, all in the cut node's own namespace. For a port cut both directions of
 * connections to that port are covered: node → peer:port (OUTPUT --dport) and peer → node:port (INPUT --dport).
 */
export function cutRules(cut: Cut, faultId: string): RuleLine[] {
  const tag = ['-m', 'comment', '--comment', faultComment(faultId)];
  const rules: RuleLine[] = [];
  if (cut.port === undefined) {
    rules.push({ table: 'filter', args: ['-I', 'INPUT', '-s', cut.peerAddress, ...tag, '-j', 'DROP'] });
    if (!cut.oneWay) rules.push({ table: 'filter', args: ['-I', 'OUTPUT', '-d', cut.peerAddress, ...tag, '-j', 'DROP'] });
    return rules;
  }
  const port = String(cut.port);
  // Connections the peer opens to this node's port, and replies from the peer's port to this node.
  rules.push({ table: 'filter', args: ['-I', 'INPUT', '-s', cut.peerAddress, '-p', 'tcp', '--sport', port, ...tag, '-j', 'DROP'] });
  rules.push({ table: 'filter', args: ['-I', 'INPUT', '-s', cut.peerAddress, '-p', 'tcp', '--dport', port, ...tag, '-j', 'DROP'] });
  if (!cut.oneWay) {
    rules.push({ table: 'filter', args: ['-I', 'OUTPUT', '-d', cut.peerAddress, '-p', 'tcp', '--dport', port, ...tag, '-j', 'DROP'] });
    rules.push({ table: 'filter', args: ['-I', 'OUTPUT', '-d', cut.peerAddress, '-p', 'tcp', '--sport', port, ...tag, '-j', 'DROP'] });
  }
  return rules;
}

export interface PartitionPlanInput {
  readonly state: ClusterState;
  readonly hostAddress: string;
  /** Nodes being isolated (target mode). */
  readonly isolated?: readonly NodeState[];
  /** all | controllers | zookeeper | brokers | explicit peers (resolved). */
  readonly from?: 'all' | 'controllers' | 'zookeeper' | readonly NodeState[];
  /** Group mode: each group talks only within itself. */
  readonly groups?: readonly (readonly NodeState[])[];
  readonly oneWay: boolean;
  readonly clients: boolean;
}

/** Computes the cuts of a partition; pure, so it is unit-tested without a cluster. */
export function planPartition(input: PartitionPlanInput): Cut[] {
  const { state, oneWay } = input;
  const cuts: Cut[] = [];
  const hostCut = (node: NodeState): Cut => ({ node, peerAddress: input.hostAddress, peerName: 'clients', oneWay });
  if (input.groups) {
    const groupOf = new Map<string, number>();
    input.groups.forEach((group, index) => {
      for (const node of group) {
        if (groupOf.has(node.name)) throw new UsageError(`partition --groups: node ${node.name} is in more than one group`);
        groupOf.set(node.name, index);
      }
    });
    for (const node of state.nodes) {
      const mine = groupOf.get(node.name);
      if (mine === undefined) continue;
      for (const peer of state.nodes) {
        const theirs = groupOf.get(peer.name);
        if (peer.name === node.name || theirs === undefined || theirs === mine) continue;
        cuts.push({ node, peerAddress: peer.host, peerName: peer.name, oneWay });
      }
      if (input.clients) cuts.push(hostCut(node));
    }
    return cuts;
  }
  const isolated = input.isolated ?? [];
  if (isolated.length === 0) throw new UsageError('partition: name a target (partition leader:t --from all) or --groups');
  const from = input.from ?? 'all';
  for (const node of isolated) {
    if (from === 'zookeeper') {
      const zk = state.nodes.find((n) => n.role === 'zookeeper');
      if (!zk) throw new UsageError(`partition --from zookeeper: this cluster runs in ${state.mode} mode, without ZooKeeper (use --from controllers)`);
      cuts.push({ node, peerAddress: zk.host, peerName: zk.name, port: ZOOKEEPER_PORT, oneWay });
    } else if (from === 'controllers') {
      if (state.mode === 'zookeeper') throw new UsageError('partition --from controllers: this is a ZooKeeper-mode cluster (use --from zookeeper)');
      for (const peer of state.nodes.filter(isController)) {
        if (peer.name === node.name) continue;
        cuts.push({ node, peerAddress: peer.host, peerName: peer.name, port: CONTROLLER_PORT, oneWay });
      }
    } else {
      const peers = from === 'all' ? state.nodes : from;
      for (const peer of peers) {
        if (peer.name === node.name || isolated.some((n) => n.name === peer.name)) continue;
        cuts.push({ node, peerAddress: peer.host, peerName: peer.name, oneWay });
      }
    }
    if (input.clients) cuts.push(hostCut(node));
  }
  return cuts;
}

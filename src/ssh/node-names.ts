import type { NodeRole } from '../cluster/topology.js';
import type { AttachedNode } from './cluster-view.js';

export type UnnamedNode = Omit<AttachedNode, 'name'>;

const ROLE_RANK: Readonly<Record<NodeRole, number>> = { zookeeper: 0, controller: 1, 'broker+controller': 2, broker: 2 };

/**
 * Names as the local topology has them: n<id> for brokers and combined nodes, c1.. for controller-only nodes in
 * id order, zk for the ZooKeeper server (zk1.. in host order when there are several). Sorted: ZooKeeper,
 * controllers, then brokers by id.
 */
export function nameNodes(nodes: readonly UnnamedNode[]): AttachedNode[] {
  const zooKeepers = nodes.filter((n) => n.role === 'zookeeper');
  const controllers = nodes.filter((n) => n.role === 'controller').sort((a, b) => a.id - b.id);
  const named = nodes.map((node): AttachedNode => {
    if (node.role === 'controller') return { name: `c${controllers.indexOf(node) + 1}`, ...node };
    if (node.role !== 'zookeeper') return { name: `n${node.id}`, ...node };
    return { name: zooKeepers.length === 1 ? 'zk' : `zk${zooKeepers.indexOf(node) + 1}`, ...node };
  });
  return named.sort((a, b) => ROLE_RANK[a.role] - ROLE_RANK[b.role] || a.id - b.id || a.name.localeCompare(b.name));
}

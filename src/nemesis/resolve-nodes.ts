import type { ClusterState, NodeState } from '../cluster/cluster-state.js';
import { resolveTarget, type Target } from './target.js';

/** Resolves targets to the nodes holding those roles now, each node once, in order. */
export async function resolveNodes(state: ClusterState, targets: readonly Target[], seed: number | undefined): Promise<NodeState[]> {
  const nodes: NodeState[] = [];
  for (const target of targets) {
    for (const node of await resolveTarget(state, target, seed === undefined ? {} : { seed })) {
      if (!nodes.some((n) => n.name === node.name)) nodes.push(node);
    }
  }
  return nodes;
}

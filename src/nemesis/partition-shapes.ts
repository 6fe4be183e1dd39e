import type { NodeState } from '../cluster/cluster-state.js';
import { SeededRandom } from '../util/seeded-random.js';
import type { Grudge } from './partition-plan.js';

/**
 * Jepsen's named partitions over a list of nodes (faultline uses the Kafka nodes: brokers and controllers;
 * ZooKeeper stays reachable). Pure: the order of `nodes` and the seed decide everything.
 */

/** First floor(n/2) nodes against the rest. */
export function halves(nodes: readonly NodeState[]): NodeState[][] {
  const cut = Math.floor(nodes.length / 2);
  return [nodes.slice(0, cut), nodes.slice(cut)];
}

export function randomHalves(nodes: readonly NodeState[], seed: number): NodeState[][] {
  return halves(new SeededRandom(seed).shuffle(nodes));
}

/**
 * Two halves, and the first node of the second half (the bridge) keeps both: as groups, the bridge is in
 * none, so it is cut from nobody, while the halves are cut from each other.
 */
export function bridge(nodes: readonly NodeState[]): NodeState[][] {
  const [first, second] = halves(nodes);
  return [first ?? [], (second ?? []).slice(1)];
}

/** Largest minority of n nodes (at least 1). */
export function minoritySize(n: number): number {
  return Math.max(1, Math.floor((n - 1) / 2));
}

/** The target plus seeded others up to a minority, against everyone else. */
export function minorityWith(nodes: readonly NodeState[], target: NodeState, seed: number): NodeState[][] {
  const others = new SeededRandom(seed).shuffle(nodes.filter((n) => n.name !== target.name));
  const side = [target, ...others.slice(0, minoritySize(nodes.length) - 1)];
  return [side, nodes.filter((n) => !side.some((s) => s.name === n.name))];
}

/**
 * Every node sees a majority (itself included), and no two nodes see the same majority: the nodes go around a
 * shuffled ring; for each window of m = floor(n/2)+1 consecutive nodes, the middle node of the window drops
 * everything from the nodes outside it (one-way drops, as Jepsen's grudge). Needs n >= 3.
 */
export function majoritiesRing(nodes: readonly NodeState[], seed: number): Grudge {
  const ring = new SeededRandom(seed).shuffle(nodes);
  const n = ring.length;
  const m = Math.floor(n / 2) + 1;
  const grudge = new Map<string, NodeState[]>();
  for (let start = 0; start < n; start++) {
    const window = Array.from({ length: m }, (_, k) => ring[(start + k) % n] as NodeState);
    const middle = window[Math.floor(m / 2)] as NodeState;
    grudge.set(middle.name, ring.filter((node) => !window.includes(node)));
  }
  return grudge;
}

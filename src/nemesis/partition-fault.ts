import type { ClusterState, NodeState } from '../cluster/cluster-state.js';
import type { ClusterProvider } from '../cluster/provider.js';
import { cutRules, type RuleLine } from '../net/iptables.js';
import { UsageError } from '../errors.js';
import type { PartitionFaultRequest, PartitionShape } from './fault-request.js';
import { finishFault, type FaultResult, type NemesisOptions } from './fault-result.js';
import { faultTargetText, formatGroup } from './fault-text.js';
import { registerFault } from './heal-registry.js';
import { claimGroups, planPartition, type Cut, type PartitionPlanInput } from './partition-plan.js';
import { bridge, halves, majoritiesRing, minorityWith, randomHalves } from './partition-shapes.js';
import { resolveNodes } from './resolve-nodes.js';

/** What a partition resolved to when it fired: isolated nodes, disjoint groups, or a grudge. */
type Layout = Pick<PartitionPlanInput, 'isolated' | 'from' | 'groups' | 'grudge'>;

const kafkaNodes = (state: ClusterState): NodeState[] => state.nodes.filter((n) => n.role !== 'zookeeper');

async function shapeLayout(state: ClusterState, shape: PartitionShape, seed: number): Promise<Layout> {
  const nodes = kafkaNodes(state);
  switch (shape.kind) {
    case 'halves':
      return { groups: halves(nodes) };
    case 'random-halves':
      return { groups: randomHalves(nodes, seed) };
    case 'bridge':
      return { groups: bridge(nodes) };
    case 'majorities-ring':
      if (nodes.length < 3) throw new UsageError(`shape: majorities-ring needs at least 3 Kafka nodes, this cluster has ${nodes.length}`);
      return { grudge: majoritiesRing(nodes, seed) };
    case 'minority-with': {
      const [target] = await resolveNodes(state, [shape.target], seed);
      if (target === undefined || target.role === 'zookeeper') throw new UsageError('shape: minority-with needs a Kafka node as its target');
      return { groups: minorityWith(nodes, target, seed) };
    }
  }
}

async function resolveLayout(state: ClusterState, request: PartitionFaultRequest, seed: number | undefined): Promise<Layout> {
  if (request.shape) return shapeLayout(state, request.shape, seed ?? 1);
  if (request.groups) {
    const resolved = await Promise.all(request.groups.map((g) => (g === 'rest' ? Promise.resolve('rest' as const) : resolveNodes(state, g, seed))));
    return { groups: claimGroups(resolved, state.nodes, request.groups.map(formatGroup)) };
  }
  const isolated = await resolveNodes(state, request.target ? [request.target] : [], seed);
  const from = request.from ?? 'all';
  return { isolated, from: typeof from === 'string' ? from : await resolveNodes(state, from.nodes, seed) };
}

/** The resolution as plain names, for the journal: who ended up on which side. */
function describeLayout(layout: Layout): Record<string, unknown> {
  if (layout.groups) return { groups: layout.groups.map((g) => g.map((n) => n.name)) };
  if (layout.grudge) return { grudge: Object.fromEntries([...layout.grudge].map(([name, peers]) => [name, peers.map((p) => p.name)])) };
  return { isolated: (layout.isolated ?? []).map((n) => n.name), from: typeof layout.from === 'string' ? layout.from : (layout.from ?? []).map((n) => n.name) };
}

function describeCut(cut: Cut): string {
  return `${cut.node.name}${cut.oneWay ? ' <-' : ' <->'} ${cut.peerName}${cut.port ? `:${cut.port}` : ''}`;
}

/** Cuts with iptables DROP rules on the cut nodes (the local provider: inside their namespaces); the undo sweeps this fault's tagged rules. */
export async function partitionFault(state: ClusterState, provider: ClusterProvider, request: PartitionFaultRequest, options: NemesisOptions, startedMs: number): Promise<FaultResult> {
  const layout = await resolveLayout(state, request, options.seed);
  const cuts = planPartition({ state, hostAddress: provider.clientAddress(), ...layout, oneWay: request.oneWay ?? false, clients: request.clients ?? false });
  if (cuts.length === 0) throw new UsageError('partition: nothing to cut (the target has no peers in from)');
  const cutNodes = [...new Set(cuts.map((c) => c.node.name))];
  const record = registerFault((id) => ({
    kind: 'partition',
    target: faultTargetText(request),
    nodes: cutNodes,
    options: { ...request },
    undo: [{ type: 'rules-sweep', nodes: cutNodes, faultId: id }],
  }));
  const rules = new Map<string, RuleLine[]>();
  for (const cut of cuts) rules.set(cut.node.name, [...(rules.get(cut.node.name) ?? []), ...cutRules({ ...cut, faultId: record.id })]);
  await provider.applyRules(rules);
  return finishFault(record, startedMs, { ...describeLayout(layout), cuts: cuts.map(describeCut) });
}

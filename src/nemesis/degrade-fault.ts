import type { ClusterState, NodeState } from '../cluster/cluster-state.js';
import type { ClusterProvider } from '../cluster/provider.js';
import { lossRule, redirectRule, resetEstablishedRule, type RuleLine } from '../net/iptables.js';
import { planProxiedLinks, type ProxiedLink } from './degrade-plan.js';
import type { DegradeFaultRequest } from './fault-request.js';
import { finishFault, type FaultResult, type NemesisOptions } from './fault-result.js';
import { faultTargetText } from './fault-text.js';
import { registerFault, updateFault } from './heal-registry.js';
import { resolveNodes } from './resolve-nodes.js';

/** Adds a rule to the tables of the named node. */
type AddRule = (node: string, rule: RuleLine) => void;

function hasProxyEffect(request: DegradeFaultRequest): boolean {
  return (request.latencyMs ?? 0) > 0 || (request.jitterMs ?? 0) > 0 || request.bandwidthBytesPerSec !== undefined || request.flaky !== undefined;
}

/** Random loss both ways between the target and each peer address, in the target's tables. */
function addLossRules(faultId: string, target: NodeState, addresses: readonly string[], lossPercent: number, add: AddRule): void {
  const probability = lossPercent / 100;
  for (const address of addresses) {
    add(target.name, lossRule({ faultId, probability, chain: 'INPUT', sourceIp: address }));
    add(target.name, lossRule({ faultId, probability, chain: 'OUTPUT', destinationIp: address }));
  }
}

/** One proxy per link in the receiving namespace, registered for heal before its redirect exists. */
async function addProxy(provider: ClusterProvider, faultId: string, request: DegradeFaultRequest, link: ProxiedLink, seed: number, add: AddRule): Promise<Record<string, unknown>> {
  const proxy = await provider.startProxy(
    link.to.name,
    {
      listenHost: '0.0.0.0',
      listenPort: 0,
      targetHost: link.to.host,
      targetPort: link.port,
      ...(request.latencyMs !== undefined ? { latencyMs: request.latencyMs } : {}),
      ...(request.jitterMs !== undefined ? { jitterMs: request.jitterMs } : {}),
      ...(request.bandwidthBytesPerSec !== undefined ? { bandwidthBytesPerSec: request.bandwidthBytesPerSec } : {}),
      ...(request.flaky !== undefined ? { flaky: request.flaky } : {}),
      seed,
    },
    faultId,
  );
  updateFault(faultId, (r) => r.undo.push({ type: 'stop-proxy', node: link.to.name, pid: proxy.pid, faultId }));
  for (const from of link.fromAddresses) {
    const connection = { faultId, sourceIp: from, destinationIp: link.to.host, destinationPort: link.port };
    add(link.to.name, redirectRule({ ...connection, proxyPort: proxy.port }));
    // Connections open before the redirect would stay direct: reset them so clients reconnect through the proxy.
    add(link.to.name, resetEstablishedRule(connection));
  }
  return { node: link.to.name, port: link.port, proxyPort: proxy.port, pid: proxy.pid };
}

async function resolvePeers(state: ClusterState, request: DegradeFaultRequest, seed: number | undefined): Promise<NodeState[]> {
  const peers = request.peers ?? 'clients';
  if (peers === 'clients') return [];
  return peers === 'all' ? state.nodes : resolveNodes(state, peers.nodes, seed);
}

/**
 * Latency, jitter, bandwidth and flaky links through userspace proxies; random loss through iptables. Rules and
 * proxies go through the provider: a proxy runs where the receiving node runs (its namespace; over SSH its host).
 */
export async function degradeFault(state: ClusterState, provider: ClusterProvider, request: DegradeFaultRequest, options: NemesisOptions, startedMs: number): Promise<FaultResult> {
  const host = provider.clientAddress();
  const targets = await resolveNodes(state, [request.target], options.seed);
  const peerNodes = await resolvePeers(state, request, options.seed);
  const withClients = (request.peers ?? 'clients') === 'clients';
  const ruleNodes = [...new Set([...targets, ...peerNodes].map((n) => n.name))];
  const record = registerFault((id) => ({ kind: 'degrade', target: faultTargetText(request), nodes: targets.map((n) => n.name), options: { ...request }, undo: [{ type: 'rules-sweep', nodes: ruleNodes, faultId: id }] }));
  const rules = new Map<string, RuleLine[]>();
  const add: AddRule = (node, rule) => rules.set(node, [...(rules.get(node) ?? []), rule]);
  const proxies: Record<string, unknown>[] = [];
  for (const target of targets) {
    const peers = peerNodes.filter((p) => p.name !== target.name);
    if (request.lossPercent !== undefined) addLossRules(record.id, target, [...peers.map((p) => p.host), ...(withClients ? [host] : [])], request.lossPercent, add);
    if (!hasProxyEffect(request)) continue;
    for (const link of planProxiedLinks(target, peers, withClients ? host : undefined)) proxies.push(await addProxy(provider, record.id, request, link, options.seed ?? 1, add));
  }
  await provider.applyRules(rules);
  return finishFault(record, startedMs, { peers: withClients ? ['clients'] : peerNodes.map((p) => p.name), proxies });
}

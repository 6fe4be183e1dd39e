import type { NodeState } from '../cluster/cluster-state.js';
import { BROKER_PORT, CONTROLLER_PORT, ZOOKEEPER_PORT, isBroker, isController } from '../cluster/topology.js';

/** The ports a node accepts connections on; a degraded link slows connections to each of them. */
export function listeningPorts(node: NodeState): number[] {
  if (node.role === 'zookeeper') return [ZOOKEEPER_PORT];
  const ports: number[] = [];
  if (isBroker(node)) ports.push(BROKER_PORT);
  if (isController(node)) ports.push(CONTROLLER_PORT);
  return ports;
}

/**
 * One degraded direction of connection set-up: connections that `from` opens to `to:port` pass through
 * a proxy running in `to`'s namespace (nat PREROUTING REDIRECT there, so the proxy's own local
 * connection to `to:port` is never redirected again).
 */
export interface ProxiedLink {
  readonly to: NodeState;
  readonly port: number;
  readonly fromAddresses: readonly string[];
}

/**
 * Links for degrading `target` against `peers` (nodes) and/or the workload host:
 * connections from the peers or the host to the target, and from the target to each peer.
 */
export function planProxiedLinks(target: NodeState, peers: readonly NodeState[], hostAddress: string | undefined): ProxiedLink[] {
  const links: ProxiedLink[] = [];
  const intoTarget = [...peers.map((p) => p.host), ...(hostAddress ? [hostAddress] : [])];
  if (intoTarget.length > 0) {
    for (const port of listeningPorts(target)) links.push({ to: target, port, fromAddresses: intoTarget });
  }
  for (const peer of peers) {
    for (const port of listeningPorts(peer)) links.push({ to: peer, port, fromAddresses: [target.host] });
  }
  return links;
}

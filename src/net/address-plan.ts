import { UsageError } from '../errors.js';

/**
 * The address plan: one /24 (default 10.213.0.0/24, override with FAULTLINE_SUBNET) on a host bridge.
 *   .1         the host (the workload side), on the bridge `flbr0`
 *   .2         ZooKeeper
 *   .10+id     broker or combined node `id` (1..89)
 *   .100+k     dedicated KRaft controller k (1..9)
 * Each node lives in namespace `fl-<name>` and reaches the bridge through veth `flh-<name>` (host side).
 */
export interface AddressPlan {
  /** First three octets, e.g. "10.213.0". */
  readonly prefix: string;
  readonly bridge: string;
  readonly hostAddress: string;
}

const BRIDGE_NAME = 'flbr0';
export const NAMESPACE_PREFIX = 'fl-';
export const HOST_VETH_PREFIX = 'flh-';

export function addressPlan(subnet = process.env['FAULTLINE_SUBNET'] ?? '10.213.0.0/24'): AddressPlan {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/24$/.exec(subnet);
  if (!match || match.slice(1).some((octet) => Number(octet) > 255)) {
    throw new UsageError(`FAULTLINE_SUBNET: expected a /24 like 10.213.0.0/24, got '${subnet}'`);
  }
  const prefix = `${match[1]}.${match[2]}.${match[3]}`;
  return { prefix, bridge: BRIDGE_NAME, hostAddress: `${prefix}.1` };
}

export function namespaceName(nodeName: string): string {
  return `${NAMESPACE_PREFIX}${nodeName}`;
}

/** Interface names are limited to 15 bytes; node names are short (n1, c2, zk). */
export function hostVethName(nodeName: string): string {
  return `${HOST_VETH_PREFIX}${nodeName}`;
}

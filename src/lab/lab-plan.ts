import { UsageError } from '../errors.js';

/**
 * The lab: stand-ins for other machines on this one, so the SSH provider can be tried and tested without any.
 * Each lab host is a network namespace running its own OpenSSH server, in its own PID namespace (its pids are
 * not the control node's) and mount namespace (its own tmpfs at the remote directory and at /tmp). They sit on
 * a bridge and subnet of their own, apart from the local provider's, so neither provider's clean-up touches the other.
 *   .1      the control node (this machine's side of the bridge)
 *   .10+k   lab host hk (k = 1..MAX_LAB_HOSTS)
 */
export interface LabPlan {
  readonly prefix: string;
  readonly bridge: string;
  readonly controlAddress: string;
}

export const LAB_BRIDGE = 'fllab0';
export const LAB_NAMESPACE_PREFIX = 'fllab-';
export const LAB_VETH_PREFIX = 'fllv-';
/** Addresses .11-.22. */
export const MAX_LAB_HOSTS = 12;
/** The default subnet, apart from the local provider's 10.213.0.0/24. */
const DEFAULT_LAB_SUBNET = '10.214.0.0/24';

export function labPlan(subnet = process.env['FAULTLINE_LAB_SUBNET'] ?? DEFAULT_LAB_SUBNET): LabPlan {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/24$/.exec(subnet);
  if (!match || match.slice(1).some((octet) => Number(octet) > 255)) {
    throw new UsageError(`FAULTLINE_LAB_SUBNET: expected a /24 like ${DEFAULT_LAB_SUBNET}, got '${subnet}'`);
  }
  const prefix = `${match[1]}.${match[2]}.${match[3]}`;
  return { prefix, bridge: LAB_BRIDGE, controlAddress: `${prefix}.1` };
}

export function labHostName(index: number): string {
  return `h${index}`;
}

export function labHostAddress(plan: LabPlan, index: number): string {
  return `${plan.prefix}.${10 + index}`;
}

export function labNamespace(hostName: string): string {
  return `${LAB_NAMESPACE_PREFIX}${hostName}`;
}

export function labVeth(hostName: string): string {
  return `${LAB_VETH_PREFIX}${hostName}`;
}

export function checkLabHostCount(count: number): number {
  if (!Number.isInteger(count) || count < 1 || count > MAX_LAB_HOSTS) {
    throw new UsageError(`hosts: expected 1..${MAX_LAB_HOSTS} lab hosts, got ${count}`);
  }
  return count;
}

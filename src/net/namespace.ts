import { execCapture, execOrThrow } from '../util/exec.js';
import { FaultlineError } from '../errors.js';
import { hostVethName, namespaceName, NAMESPACE_PREFIX, HOST_VETH_PREFIX, type AddressPlan } from './address-plan.js';

/** Requires root (CAP_NET_ADMIN) for namespaces, veth and iptables; says exactly what is missing. */
export function assertNetworkAdmin(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new FaultlineError(
      'faultline needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to create network namespaces, veth pairs and iptables rules ' +
        'for the local cluster; run it as root (sudo) — user namespaces are not supported by the local provider yet',
    );
  }
}

export async function listNamespaces(): Promise<string[]> {
  const result = await execCapture('ip', ['netns', 'list']);
  if (result.code !== 0) return [];
  return result.stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.length > 0);
}

export async function listFaultlineNamespaces(): Promise<string[]> {
  return (await listNamespaces()).filter((name) => name.startsWith(NAMESPACE_PREFIX));
}

export async function listFaultlineLinks(): Promise<string[]> {
  const result = await execCapture('ip', ['-o', 'link', 'show']);
  const names: string[] = [];
  for (const line of result.stdout.split('\n')) {
    const name = /^\d+:\s+([^:@\s]+)/.exec(line)?.[1];
    if (name && (name.startsWith(HOST_VETH_PREFIX) || name === 'flbr0')) names.push(name);
  }
  return names;
}

async function linkExists(name: string): Promise<boolean> {
  return (await execCapture('ip', ['link', 'show', name])).code === 0;
}

/** Creates the host bridge with the host's address; idempotent. */
export async function ensureBridge(plan: AddressPlan): Promise<void> {
  if (!(await linkExists(plan.bridge))) {
    await execOrThrow('ip', ['link', 'add', plan.bridge, 'type', 'bridge']);
  }
  const addresses = await execCapture('ip', ['-o', 'addr', 'show', 'dev', plan.bridge]);
  if (!addresses.stdout.includes(`${plan.hostAddress}/24`)) {
    await execOrThrow('ip', ['addr', 'add', `${plan.hostAddress}/24`, 'dev', plan.bridge]);
  }
  await execOrThrow('ip', ['link', 'set', plan.bridge, 'up']);
}

/** Creates namespace fl-<node>, a veth pair into the bridge, and the node's address inside. */
export async function createNodeNamespace(plan: AddressPlan, nodeName: string, address: string): Promise<void> {
  await createNamespaceOnBridge({ bridge: plan.bridge, namespace: namespaceName(nodeName), hostVeth: hostVethName(nodeName), address });
}

export interface BridgedNamespace {
  readonly bridge: string;
  readonly namespace: string;
  /** The pair's end on the bridge; the other end is eth0 inside the namespace. */
  readonly hostVeth: string;
  /** The namespace's address in the bridge's /24. */
  readonly address: string;
}

/** Creates a namespace, a veth pair from it into the bridge, and its address and loopback inside. */
export async function createNamespaceOnBridge(spec: BridgedNamespace): Promise<void> {
  const { namespace: ns, hostVeth: veth } = spec;
  if ((await listNamespaces()).includes(ns)) {
    throw new FaultlineError(`network namespace ${ns} already exists; run 'faultline cluster down' (or 'ip netns del ${ns}' if it is not faultline's)`);
  }
  await execOrThrow('ip', ['netns', 'add', ns]);
  await execOrThrow('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
  await execOrThrow('ip', ['link', 'set', veth, 'master', spec.bridge, 'up']);
  await execOrThrow('ip', ['-n', ns, 'addr', 'add', `${spec.address}/24`, 'dev', 'eth0']);
  await execOrThrow('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
  await execOrThrow('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
}

/** Removes every faultline namespace, veth and the bridge; idempotent; returns what it removed. */
export async function removeAllFaultlineNetworking(): Promise<string[]> {
  const removed: string[] = [];
  for (const ns of await listFaultlineNamespaces()) {
    const result = await execCapture('ip', ['netns', 'del', ns]);
    if (result.code === 0) removed.push(`netns ${ns}`);
  }
  for (const link of await listFaultlineLinks()) {
    const result = await execCapture('ip', ['link', 'del', link]);
    if (result.code === 0) removed.push(`link ${link}`);
  }
  return removed;
}

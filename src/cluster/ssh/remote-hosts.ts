import { FaultlineError } from '../../errors.js';
import { SshHost, type SshRunResult } from '../../ssh/ssh-host.js';
import { ShellHost, type RemoteRunner } from '../../ssh/shell-host.js';
import { requireClusterState, type ClusterState, type NodeState } from '../cluster-state.js';
import type { SshClusterInfo } from './ssh-cluster-info.js';
import { sshTargetOf, type SshHostsConfig } from './ssh-config.js';

/** Bound on one provider script on a host (a start wait passes its own, longer one). */
const SCRIPT_TIMEOUT_MS = 30_000;

/** One host per host name and faultline process; each opened once (the master itself outlives the process). */
const hosts = new Map<string, { host: ShellHost; opened: Promise<void> }>();

/** The host's master, opened unless one serves it already, and its persistent shell (started by the first command). */
export async function openHost(config: Pick<SshHostsConfig, 'user' | 'port' | 'keyFile'>, name: string): Promise<ShellHost> {
  const key = `${config.user ?? ''}@${name}:${config.port ?? ''}:${config.keyFile ?? ''}`;
  let entry = hosts.get(key);
  if (!entry) {
    const ssh = new SshHost(sshTargetOf(config, name));
    entry = { host: new ShellHost(ssh), opened: ssh.open() };
    hosts.set(key, entry);
    entry.opened.catch(() => hosts.delete(key));
  }
  await entry.opened;
  return entry.host;
}

export function sshInfoOf(state: ClusterState): SshClusterInfo {
  if (!state.ssh) throw new FaultlineError('the cluster state names the ssh provider but records no hosts; run \'faultline cluster detach\' and attach again');
  return state.ssh;
}

/** The host a node runs on, opened. */
export async function hostOfNode(state: ClusterState, node: NodeState): Promise<RemoteRunner> {
  const info = sshInfoOf(state);
  const name = info.sshHostByAddress[node.host];
  if (name === undefined) throw new FaultlineError(`node ${node.name}: no SSH host is recorded for its address ${node.host}`);
  return openHost(info, name);
}

export function javaOf(state: ClusterState, node: NodeState): string {
  const info = sshInfoOf(state);
  return info.javaByHost[info.sshHostByAddress[node.host] ?? ''] ?? 'java';
}

/** Runs a provider script (`sh -c SCRIPT faultline-node ARGS...`) on the host. */
export function runScript(host: RemoteRunner, script: string, args: readonly (string | number)[], timeoutMs = SCRIPT_TIMEOUT_MS, stdin?: string): Promise<SshRunResult> {
  return host.run(['sh', '-c', script, 'faultline-node', ...args.map(String)], { timeoutMs, ...(stdin === undefined ? {} : { stdin }) });
}

/** The script's first output line; throws with its stderr when it failed. */
export async function scriptAnswer(host: RemoteRunner, what: string, script: string, args: readonly (string | number)[], timeoutMs?: number, stdin?: string): Promise<string> {
  const result = await runScript(host, script, args, timeoutMs, stdin);
  if (result.code !== 0) throw new FaultlineError(`host ${host.target.host}: ${what} failed (exit ${result.code}): ${result.stderr.trim().slice(-500)}`);
  return result.stdout.trim();
}

/** The recorded cluster and one of its nodes, read afresh (another faultline process may have changed them). */
export function recordedNode(name: string): { state: ClusterState; node: NodeState } {
  const state = requireClusterState();
  const node = state.nodes.find((n) => n.name === name);
  if (!node) throw new FaultlineError(`no node ${name} in the cluster`, 2);
  return { state, node };
}

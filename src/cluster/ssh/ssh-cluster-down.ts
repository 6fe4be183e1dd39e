import { FaultlineError, UsageError } from '../../errors.js';
import { sweepUndos } from '../../ssh/remote-undo.js';
import type { ClusterState } from '../cluster-state.js';
import { NODE_MARKER_PREFIX } from '../node-process.js';
import { FILL_FILE } from '../disk-fill.js';
import { openHost, runScript, sshInfoOf } from './remote-hosts.js';
import { stopArgv } from './node-commands.js';
import { sweepSshProxies } from './ssh-proxy.js';
import { FREE_SCRIPT, gracePolls, RULES_SWEEP_SCRIPT, SIGNAL_SCRIPT } from './node-scripts.js';

/** $1 marker prefix with the cluster id: SIGKILLs every java process of this cluster's nodes on the host; prints their pids. */
const KILL_CLUSTER_SCRIPT = `for f in $(grep -lz -- "$1" /proc/[0-9]*/cmdline 2>/dev/null); do
  p=\${f#/proc/}; p=\${p%/cmdline}
  [ "$(cat "/proc/$p/comm" 2>/dev/null)" = java ] || continue
  kill -s KILL "$p" 2>/dev/null && echo "$p"
done; exit 0`;

/** Bound on a stop command (and on the script waiting after it). */
const STOP_COMMAND_TIMEOUT_MS = 90_000;
/** How long the node's process may take to end after the stop command or SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 60_000;

export interface SshDownResult {
  readonly stopped: string[];
  readonly removed: string[];
}

/**
 * Stops the cluster on its hosts: every node killed (the data is thrown away) or, with a stop command (attached
 * clusters), stopped by it and then waited for (SIGKILL after 60 s), every armed undo ended without
 * running, faultline's iptables rules and fill files removed, and, for a cluster faultline installed, the nodes'
 * folders deleted. An attached cluster (faultline did not install it) is only stopped when `yes` says so.
 */
export async function sshClusterDown(state: ClusterState, yes: boolean): Promise<SshDownResult> {
  const info = sshInfoOf(state);
  if (info.attached && !yes && state.nodes.some((n) => n.state !== 'stopped')) {
    throw new UsageError("yes: this cluster was attached, not installed by faultline; 'faultline cluster detach' forgets it without touching it, and stopping its nodes needs confirmation (--yes)");
  }
  const stopped: string[] = [];
  const removed: string[] = [];
  await Promise.all(state.nodes.map(async (node) => {
    const host = await openHost(info, info.sshHostByAddress[node.host] ?? node.host);
    const stop = node.state === 'stopped' ? undefined : stopArgv(info, node);
    if (stop) {
      const ran = await host.run(stop, { timeoutMs: STOP_COMMAND_TIMEOUT_MS });
      if (ran.code !== 0) throw new FaultlineError(`node ${node.name}: the stop command failed on ${host.target.host} (exit ${ran.code}): ${ran.stderr.trim().slice(-300)}`);
    }
    const how = stop ? 'terminate' : 'kill';
    const answer = (await runScript(host, SIGNAL_SCRIPT, [node.pid, node.marker, how, gracePolls(STOP_GRACE_MS)], STOP_COMMAND_TIMEOUT_MS)).stdout.trim();
    if (answer === 'killed' || answer === 'terminated') stopped.push(`${node.name} (${answer})`);
    else if (stop) stopped.push(`${node.name} (stop command)`);
    if ((await runScript(host, FREE_SCRIPT, [node.dataDir, FILL_FILE])).stdout.trim() === 'removed') removed.push(`fill file of ${node.name}`);
  }));
  await Promise.all(info.hosts.map(async (name) => {
    const host = await openHost(info, name);
    const undos = await sweepUndos(host, { undoDir: `${info.remoteDir}/undo` });
    removed.push(...undos.map((u) => `${name}: undo ${u.id}`));
    const rules = Number((await runScript(host, RULES_SWEEP_SCRIPT, [''])).stdout.trim());
    if (rules > 0) removed.push(`${name}: ${rules} iptables rules`);
    const proxies = await sweepSshProxies(host);
    if (proxies > 0) stopped.push(`${name}: ${proxies} proxies`);
    if (info.attached) return;
    const orphans = (await runScript(host, KILL_CLUSTER_SCRIPT, [NODE_MARKER_PREFIX])).stdout.split('\n').filter((l) => l !== '');
    stopped.push(...orphans.map((pid) => `${name}: orphan node process ${pid}`));
    if ((await runScript(host, 'rm -rf "$1" && echo ok', [`${info.remoteDir}/cluster`])).stdout.trim() === 'ok') removed.push(`${name}: ${info.remoteDir}/cluster`);
  }));
  return { stopped, removed };
}

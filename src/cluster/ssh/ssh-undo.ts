import { FaultlineError } from '../../errors.js';
import { armUndo, armUndoCommand, disarmUndo } from '../../ssh/remote-undo.js';
import type { RemoteRunner } from '../../ssh/shell-host.js';
import { shellCommand } from '../../ssh/shell-quote.js';
import type { ClusterState } from '../cluster-state.js';
import { sshInfoOf } from './remote-hosts.js';

/**
 * Every fault the SSH provider puts on a host is first armed there as a self-expiring undo (src/ssh/remote-undo.ts):
 * if faultline dies or loses the host, the host undoes the fault by itself after the cluster's undoAfterMs.
 * Ids: `<node>.down`, `<node>.pause`, `<node>.fill`, `rules.<fault id>`.
 */
export function undoId(kind: 'down' | 'pause' | 'fill', node: string): string {
  return `${node}.${kind}`;
}

export function rulesUndoId(faultId: string): string {
  return `rules.${faultId.replace(/[^A-Za-z0-9._-]/g, '_')}`.slice(0, 64);
}

/** Arms `sh -c SCRIPT ARGS...` as the undo of `id` on the host. */
export async function armScriptUndo(state: ClusterState, host: RemoteRunner, id: string, script: string, args: readonly (string | number)[]): Promise<void> {
  const undoDir = `${sshInfoOf(state).remoteDir}/undo`;
  await armUndo(host, { id, afterMs: sshInfoOf(state).undoAfterMs, undoDir, undoScript: `${shellCommand(['sh', '-c', script, 'faultline-undo', ...args.map(String)])}\n` });
}

/**
 * Arms the undo of `id` and then runs the fault's own script, in one round trip (a fault takes effect after one
 * command on the host, not two); the fault runs only once the undo is armed. Returns the fault script's answer.
 */
export async function armAndRun(state: ClusterState, host: RemoteRunner, undo: { id: string; script: string; args: readonly (string | number)[] }, act: { what: string; script: string; args: readonly (string | number)[]; timeoutMs?: number }): Promise<string> {
  const info = sshInfoOf(state);
  const arm = armUndoCommand({ id: undo.id, afterMs: info.undoAfterMs, undoDir: `${info.remoteDir}/undo`, undoScript: `${shellCommand(['sh', '-c', undo.script, 'faultline-undo', ...undo.args.map(String)])}\n` }, false);
  const fault = ['sh', '-c', act.script, 'faultline-node', ...act.args.map(String)];
  const result = await host.run(['sh', '-c', `${shellCommand(arm.argv)} >/dev/null && ${shellCommand(fault)}`], { ...(arm.stdin === '' ? {} : { stdin: arm.stdin }), ...(act.timeoutMs !== undefined ? { timeoutMs: act.timeoutMs } : {}) });
  if (result.code !== 0) throw new FaultlineError(`host ${host.target.host}: ${act.what} failed (exit ${result.code}): ${result.stderr.trim().slice(-500)}`);
  return result.stdout.trim();
}

/** Disarms the undo of `id` (the fault was healed); absent is fine. */
export async function disarm(state: ClusterState, host: RemoteRunner, id: string): Promise<void> {
  await disarmUndo(host, id, `${sshInfoOf(state).remoteDir}/undo`);
}

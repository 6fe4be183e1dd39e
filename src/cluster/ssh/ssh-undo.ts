import { armUndo, disarmUndo } from '../../ssh/remote-undo.js';
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

/** Disarms the undo of `id` (the fault was healed); absent is fine. */
export async function disarm(state: ClusterState, host: RemoteRunner, id: string): Promise<void> {
  await disarmUndo(host, id, `${sshInfoOf(state).remoteDir}/undo`);
}

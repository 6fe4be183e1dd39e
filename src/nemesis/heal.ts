import { FaultlineError, UsageError } from '../errors.js';
import { readClusterState } from '../cluster/cluster-state.js';
import { recordedProvider } from '../cluster/provider-of.js';
import { sweepRules } from '../net/iptables.js';
import { PROXY_MARKER, stopDetachedProxy } from '../net/tcp-proxy-process.js';
import { findProcessesByMarker, isProcessAlive, processState, signalProcess } from '../util/process.js';
import { findJobProcesses, jobMarkerOf, jobOwnerPid } from '../util/job-marker.js';
import { activeRunSink } from '../history/active-run.js';
import { sweepJobStateMounts } from '../job/state-mount.js';
import type { NemesisOptions } from './fault-result.js';
import { getFault, listFaults, updateFault, type UndoAction } from './heal-registry.js';
import { runUndo as runUndoWith } from './run-undo.js';

export interface HealResult {
  readonly healed: string[];
  readonly actions: string[];
  readonly tookMs: number;
}

export function markHealed(id: string): void {
  updateFault(id, (r) => {
    r.status = 'healed';
    r.healedAt = new Date().toISOString();
  });
}

/** Undoes one action through the recorded cluster's provider. */
function runUndo(action: UndoAction): Promise<string | undefined> {
  return runUndoWith(action, recordedProvider());
}

/** Runs actions, collecting what was done and what failed; never throws. */
class UndoLog {
  readonly actions: string[] = [];
  readonly failures: string[] = [];
  async attempt(what: string, action: () => Promise<string | undefined>): Promise<void> {
    try {
      const done = await action();
      if (done) this.actions.push(done);
    } catch (error) {
      this.failures.push(`${what}: ${(error as Error).message}`);
    }
  }
}

/** Undoes one fault; idempotent (healing a healed fault does nothing). */
export async function healFault(id: string, options: NemesisOptions = {}): Promise<HealResult> {
  const started = performance.now();
  const events = options.events ?? activeRunSink;
  const record = getFault(id);
  if (!record) throw new UsageError(`no fault ${id}; 'faultline fault list' shows the active ones`);
  if (record.status === 'healed') return { healed: [], actions: [], tookMs: performance.now() - started };
  // Network and signal undos first: a node restarted behind a partition would start cut off.
  const ordered = [...record.undo].sort((a, b) => (a.type === 'start-node' ? 1 : 0) - (b.type === 'start-node' ? 1 : 0));
  const log = new UndoLog();
  for (const action of ordered) await log.attempt(action.type, () => runUndo(action));
  const event = { faultId: id, fault: record.kind, target: record.target, node: record.nodes };
  if (log.failures.length > 0) {
    events({ event: 'fault-error', ...event, detail: { heal: log.failures } });
    throw new FaultlineError(`heal ${id} was incomplete (${log.failures.join('; ')}); heal all faults to retry`);
  }
  markHealed(id);
  events({ event: 'fault-heal', ...event, detail: { actions: log.actions } });
  return { healed: [id], actions: log.actions, tookMs: performance.now() - started };
}

/** A job process whose faultline is gone is killed; a paused one whose faultline lives is resumed. */
function sweepJobProcess(pid: number): string | undefined {
  const owner = jobOwnerPid(jobMarkerOf(pid) ?? '');
  if (owner === undefined || !isProcessAlive(owner)) return signalProcess(pid, 'SIGKILL') ? `killed orphaned job process ${pid}` : undefined;
  if (processState(pid) === 'T') return signalProcess(pid, 'SIGCONT') ? `resumed job process ${pid}` : undefined;
  return undefined;
}

/** What a crashed faultline may have left unregistered: tagged rules, proxies, and on the nodes (through the provider) fill files and paused nodes. */
async function sweepLeftovers(log: UndoLog): Promise<void> {
  await log.attempt('iptables sweep', async () => {
    const swept = await sweepRules('all');
    return swept > 0 ? `swept ${swept} leftover iptables rules` : undefined;
  });
  for (const pid of findProcessesByMarker(PROXY_MARKER)) await log.attempt(`proxy ${pid}`, () => stopDetachedProxy(pid, PROXY_MARKER));
  for (const pid of findJobProcesses()) await log.attempt(`job process ${pid}`, async () => sweepJobProcess(pid));
  await log.attempt('job state mounts', async () => (await sweepJobStateMounts()).join('; ') || undefined);
  if (readClusterState()) await log.attempt('nodes', async () => (await recordedProvider().sweepLeftovers()).join('; ') || undefined);
}

/**
 * Heals every registered fault, then sweeps for anything a crashed faultline may have left unregistered.
 * Node starts come last: a node started behind a leftover cut would hang. Afterwards the cluster is whole.
 */
export async function healAll(options: NemesisOptions = {}): Promise<HealResult> {
  const started = performance.now();
  const events = options.events ?? activeRunSink;
  const active = listFaults();
  const log = new UndoLog();
  const undos = active.flatMap((record) => record.undo);
  for (const action of undos.filter((a) => a.type !== 'start-node')) await log.attempt(action.type, () => runUndo(action));
  await sweepLeftovers(log);
  for (const action of undos.filter((a) => a.type === 'start-node')) await log.attempt(`start ${action.node}`, () => runUndo(action));
  for (const node of readClusterState()?.nodes ?? []) {
    await log.attempt(`start ${node.name}`, () => runUndo({ type: 'start-node', node: node.name }));
  }
  for (const record of active) {
    markHealed(record.id);
    events({ event: 'fault-heal', faultId: record.id, fault: record.kind, target: record.target, node: record.nodes, detail: { all: true } });
  }
  if (log.failures.length > 0) throw new FaultlineError(`heal of all faults could not undo everything: ${log.failures.join('; ')}`);
  return { healed: active.map((r) => r.id), actions: log.actions, tookMs: performance.now() - started };
}

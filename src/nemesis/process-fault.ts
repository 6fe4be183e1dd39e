import type { ClusterState } from '../cluster/cluster-state.js';
import type { ClusterProvider } from '../cluster/provider.js';
import { activeRunSink, type FaultEventSink } from '../history/active-run.js';
import { sleep } from '../util/time.js';
import { FAULT_LIMITS, type ProcessFaultRequest } from './fault-request.js';
import { finishFault, type FaultResult, type NemesisOptions } from './fault-result.js';
import { faultTargetText } from './fault-text.js';
import { registerFault, type FaultRecord, type UndoAction } from './heal-registry.js';
import { markHealed } from './heal.js';
import { resolveNodes } from './resolve-nodes.js';

function undoOf(kind: ProcessFaultRequest['kind'], node: string): UndoAction[] {
  if (kind === 'pause') return [{ type: 'resume-node', node }];
  if (kind === 'kill' || kind === 'terminate' || kind === 'restart') return [{ type: 'start-node', node }];
  return [];
}

type SignalKind = Exclude<ProcessFaultRequest['kind'], 'restart'>;

async function act(provider: ClusterProvider, kind: SignalKind, request: ProcessFaultRequest, name: string): Promise<unknown> {
  const graceMs = request.graceMs ?? FAULT_LIMITS.defaultGraceMs;
  switch (kind) {
    case 'kill':
      return provider.stopNode(name, 'kill');
    case 'terminate':
      return provider.stopNode(name, 'terminate', graceMs);
    case 'pause':
      return provider.pauseNode(name);
    case 'resume':
      return provider.resumeNode(name);
    case 'start':
      return provider.startNode(name);
  }
}

/**
 * A restart is a fault period of its own: `fault-start` once every target node is down, `fault-heal` once every
 * one is back, so timelines shade the downtime and recovery times count from the stop, not from the restart's end.
 */
async function restartNodes(provider: ClusterProvider, request: ProcessFaultRequest, record: FaultRecord, events: FaultEventSink, startedMs: number): Promise<Record<string, unknown>> {
  const graceMs = request.graceMs ?? FAULT_LIMITS.defaultGraceMs;
  const mode = request.restartMode ?? 'terminate';
  const detail = new Map<string, { stopped: unknown; started?: unknown }>();
  await Promise.all(record.nodes.map(async (name) => void detail.set(name, { stopped: await provider.stopNode(name, mode, graceMs) })));
  const period = { faultId: record.id, fault: record.kind, target: record.target, node: record.nodes };
  events({ event: 'fault-start', ...period, detail: { tookMs: Math.round((performance.now() - startedMs) * 10) / 10, restartMode: mode } });
  try {
    if (request.downMs) await sleep(request.downMs);
    await Promise.all(record.nodes.map(async (name) => void detail.set(name, { stopped: detail.get(name)?.stopped, started: await provider.startNode(name) })));
  } finally {
    events({ event: 'fault-heal', ...period, detail: { downMs: request.downMs ?? 0, nodes: Object.fromEntries(detail) } });
  }
  return Object.fromEntries(detail);
}

/** kill, terminate, restart, pause, resume, start: signals to the node processes the target resolves to. */
export async function processFault(state: ClusterState, provider: ClusterProvider, request: ProcessFaultRequest, options: NemesisOptions, startedMs: number): Promise<FaultResult> {
  const names = (await resolveNodes(state, [request.target], options.seed)).map((n) => n.name);
  const record = registerFault({ kind: request.kind, target: faultTargetText(request), nodes: names, options: { ...request }, undo: names.flatMap((n) => undoOf(request.kind, n)) });
  const kind = request.kind;
  let detail: Record<string, unknown> = {};
  if (kind === 'restart') detail = await restartNodes(provider, request, record, options.events ?? activeRunSink, startedMs);
  else await Promise.all(names.map(async (name) => void (detail[name] = await act(provider, kind, request, name))));
  const result = finishFault(record, startedMs, detail);
  // A restart, resume or start leaves nothing to heal: it is over once in effect.
  if (request.kind === 'restart' || request.kind === 'resume' || request.kind === 'start') markHealed(record.id);
  return result;
}

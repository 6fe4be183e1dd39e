import type { ClusterState } from '../cluster/cluster-state.js';
import { pauseNode, resumeNode, startNode, stopNode } from '../cluster/node-control.js';
import { sleep } from '../util/time.js';
import { FAULT_LIMITS, type ProcessFaultRequest } from './fault-request.js';
import { finishFault, type FaultResult, type NemesisOptions } from './fault-result.js';
import { faultTargetText } from './fault-text.js';
import { registerFault, type UndoAction } from './heal-registry.js';
import { markHealed } from './heal.js';
import { resolveNodes } from './resolve-nodes.js';

function undoOf(kind: ProcessFaultRequest['kind'], node: string): UndoAction[] {
  if (kind === 'pause') return [{ type: 'resume-node', node }];
  if (kind === 'kill' || kind === 'terminate' || kind === 'restart') return [{ type: 'start-node', node }];
  return [];
}

async function act(request: ProcessFaultRequest, name: string): Promise<unknown> {
  const graceMs = request.graceMs ?? FAULT_LIMITS.defaultGraceMs;
  switch (request.kind) {
    case 'kill':
      return stopNode(name, 'kill');
    case 'terminate':
      return stopNode(name, 'terminate', graceMs);
    case 'restart': {
      const stopped = await stopNode(name, request.restartMode ?? 'terminate', graceMs);
      if (request.downMs) await sleep(request.downMs);
      return { stopped, started: await startNode(name) };
    }
    case 'pause':
      return pauseNode(name);
    case 'resume':
      return resumeNode(name);
    case 'start':
      return startNode(name);
  }
}

/** kill, terminate, restart, pause, resume, start: signals to the node processes the target resolves to. */
export async function processFault(state: ClusterState, request: ProcessFaultRequest, options: NemesisOptions, startedMs: number): Promise<FaultResult> {
  const names = (await resolveNodes(state, [request.target], options.seed)).map((n) => n.name);
  const record = registerFault({ kind: request.kind, target: faultTargetText(request), nodes: names, options: { ...request }, undo: names.flatMap((n) => undoOf(request.kind, n)) });
  const detail: Record<string, unknown> = {};
  await Promise.all(names.map(async (name) => void (detail[name] = await act(request, name))));
  const result = finishFault(record, startedMs, detail);
  // A restart, resume or start leaves nothing to heal: it is over once in effect.
  if (request.kind === 'restart' || request.kind === 'resume' || request.kind === 'start') markHealed(record.id);
  return result;
}

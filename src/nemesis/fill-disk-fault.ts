import type { ClusterState } from '../cluster/cluster-state.js';
import type { ClusterProvider } from '../cluster/provider.js';
import type { FillDiskFaultRequest } from './fault-request.js';
import { finishFault, type FaultResult, type NemesisOptions } from './fault-result.js';
import { faultTargetText } from './fault-text.js';
import { registerFault, type UndoAction } from './heal-registry.js';
import { resolveNodes } from './resolve-nodes.js';

/** Fills each node's data directory; Kafka fails its only log dir and stops, so heal frees it and starts the node. */
export async function fillDiskFault(state: ClusterState, provider: ClusterProvider, request: FillDiskFaultRequest, options: NemesisOptions, startedMs: number): Promise<FaultResult> {
  const names = (await resolveNodes(state, [request.target], options.seed)).map((n) => n.name);
  const undo: UndoAction[] = [...names.map((node): UndoAction => ({ type: 'free-disk', node })), ...names.map((node): UndoAction => ({ type: 'start-node', node }))];
  const record = registerFault({ kind: 'fill-disk', target: faultTargetText(request), nodes: names, options: { ...request }, undo });
  const detail: Record<string, unknown> = {};
  for (const name of names) detail[name] = await provider.fillDisk(name);
  return finishFault(record, startedMs, detail);
}

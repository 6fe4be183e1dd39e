import { statfsSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterState } from '../cluster/cluster-state.js';
import { execOrThrow } from '../util/exec.js';
import type { FillDiskFaultRequest } from './fault-request.js';
import { finishFault, type FaultResult, type NemesisOptions } from './fault-result.js';
import { faultTargetText } from './fault-text.js';
import { registerFault, type UndoAction } from './heal-registry.js';
import { resolveNodes } from './resolve-nodes.js';
import { FILL_FILE } from './heal.js';


function freeBytes(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/** Fills each node's tmpfs data directory; Kafka fails its only log dir and stops, so heal frees it and starts the node. */
export async function fillDiskFault(state: ClusterState, request: FillDiskFaultRequest, options: NemesisOptions, startedMs: number): Promise<FaultResult> {
  const nodes = await resolveNodes(state, [request.target], options.seed);
  const paths = nodes.map((n) => join(n.dataDir, FILL_FILE));
  const undo: UndoAction[] = [...paths.map((path): UndoAction => ({ type: 'remove-file', path })), ...nodes.map((n): UndoAction => ({ type: 'start-node', node: n.name }))];
  const record = registerFault({ kind: 'fill-disk', target: faultTargetText(request), nodes: nodes.map((n) => n.name), options: { ...request }, undo });
  const detail: Record<string, unknown> = {};
  for (const [index, node] of nodes.entries()) {
    const filledBytes = freeBytes(node.dataDir);
    if (filledBytes > 0) await execOrThrow('fallocate', ['-l', String(filledBytes), paths[index] as string]);
    detail[node.name] = { filledBytes, freeBytesAfter: freeBytes(node.dataDir) };
  }
  return finishFault(record, startedMs, detail);
}

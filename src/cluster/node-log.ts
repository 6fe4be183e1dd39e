import { readFileSync } from 'node:fs';
import { findNode, requireClusterState } from './cluster-state.js';
import { summarize, type ClusterSummary } from './cluster-summary.js';
import { tailLog } from './node-process.js';
import { providerOf } from './provider-of.js';

/** Lines a whole remote log is read up to (a remote log is read with `tail -n`). */
const MAX_REMOTE_LOG_LINES = 1_000_000;

/** A node's log (by name or id), wherever the node runs: its last `tailLines` lines, or all of it. */
export async function readNodeLog(nameOrId: string, tailLines?: number): Promise<string> {
  const state = requireClusterState();
  const node = findNode(state, nameOrId);
  if ((state.provider ?? 'local') === 'local') return tailLines !== undefined ? tailLog(node.logFile, tailLines) : readFileSync(node.logFile, 'utf8');
  return providerOf(state).readLog(node.name, tailLines ?? MAX_REMOTE_LOG_LINES);
}

/**
 * The recorded cluster as the user sees it, every node's state observed where it runs (for SSH hosts one call
 * per node; the local summary reads /proc already). Undefined without a cluster.
 */
export async function observedClusterStatus(): Promise<ClusterSummary | undefined> {
  const state = requireClusterStateOrUndefined();
  if (!state) return undefined;
  const summary = summarize(state);
  if ((state.provider ?? 'local') === 'local') return summary;
  const provider = providerOf(state);
  const seen = await Promise.all(summary.nodes.map((n) => provider.observeNode(n.name).catch(() => undefined)));
  return { ...summary, nodes: summary.nodes.map((n, i) => ({ ...n, state: n.state === 'stopped' ? 'stopped' : seen[i]?.paused ? 'paused' : seen[i]?.alive ? 'running' : 'dead' })) };
}

function requireClusterStateOrUndefined(): ReturnType<typeof requireClusterState> | undefined {
  try {
    return requireClusterState();
  } catch {
    return undefined;
  }
}

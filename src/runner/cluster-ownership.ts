import type { ClusterSummary } from '../cluster/cluster-summary.js';
import { clusterStatus } from '../cluster/local-cluster.js';
import { UsageError } from '../errors.js';
import { assertAttachedConfirmed, attachedCluster } from './attached-cluster.js';
import { isProcessAlive } from '../util/process.js';

/** A cluster the suite finds when it starts. */
export interface FoundCluster {
  readonly summary: Pick<ClusterSummary, 'owner' | 'createdAt' | 'bootstrap' | 'nodes'>;
  /** True while the process that started it (summary.owner.pid) still runs. */
  readonly ownerRunning: boolean;
}

/** Whether the suite may tear the found cluster down, and if not, why. */
export type ClusterTakeover = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

function isLive(summary: FoundCluster['summary']): boolean {
  return summary.nodes.some((n) => n.state === 'running' || n.state === 'paused');
}

/**
 * The suite starts a fresh cluster per scenario, tearing down whatever runs. It may do so when nothing
 * runs, when told to (replaceCluster), or when the cluster is a suite's own: started by this process, or by a
 * suite run that has ended. A cluster started by hand, or by a suite still running, is refused.
 */
export function decideClusterTakeover(found: FoundCluster | undefined, replaceCluster: boolean, selfPid: number): ClusterTakeover {
  if (found === undefined || !isLive(found.summary) || replaceCluster) return { allowed: true };
  const { owner, createdAt, bootstrap } = found.summary;
  if (owner.kind === 'suite' && (owner.pid === selfPid || !found.ownerRunning)) return { allowed: true };
  const which = `(started ${createdAt}, bootstrap ${bootstrap})`;
  if (owner.kind === 'suite') {
    return { allowed: false, reason: `replaceCluster: another suite run (pid ${owner.pid}) is using the running cluster ${which}; wait for it to end, or set replaceCluster to replace the cluster anyway` };
  }
  return {
    allowed: false,
    reason: `replaceCluster: a cluster started by hand is running ${which}; the suite starts a fresh cluster for every scenario and would tear it down. Stop it first ('faultline cluster down') or set replaceCluster to replace it`,
  };
}

/**
 * Throws a UsageError naming replaceCluster when the suite may not replace the recorded cluster; touches nothing.
 * An attached cluster is never replaced: the suite runs on it, with confirmation.
 */
export function assertSuiteMayReplaceCluster(replaceCluster: boolean, confirmed = false): void {
  if (attachedCluster()) {
    assertAttachedConfirmed(confirmed);
    return;
  }
  const summary = clusterStatus();
  const found = summary ? { summary, ownerRunning: summary.owner.pid > 0 && isProcessAlive(summary.owner.pid) } : undefined;
  const decision = decideClusterTakeover(found, replaceCluster, process.pid);
  if (!decision.allowed) throw new UsageError(decision.reason);
}

/**
 * On SSH hosts every fault arms an undo that runs after the hosts' `undoAfterMs` (one per cluster): a scenario fault
 * meant to last longer would be undone by its host mid-run. Such a scenario is refused before anything starts.
 */
import { readSshHosts } from '../cluster/ssh/ssh-config.js';
import { sshHostsForUp } from '../cluster/ssh/hosts-for-up.js';
import { UsageError } from '../errors.js';
import type { ScheduledFault } from '../scenario/scenario.js';
import { attachedCluster } from './attached-cluster.js';

/** The undo expiry of the SSH hosts the scenario's cluster will be on (attached, or a fresh one there); undefined here. */
export function scenarioUndoAfterMs(): number | undefined {
  const attached = attachedCluster();
  if (attached?.ssh) return attached.ssh.undoAfterMs;
  return sshHostsForUp({}, readSshHosts)?.undoAfterMs;
}

/** One error naming the first fault whose `healAfterMs` is not below `undoAfterMs` (no check without hosts). */
export function assertFaultsWithinUndoExpiry(scenarioName: string, faults: readonly ScheduledFault[], undoAfterMs: number | undefined): void {
  if (undoAfterMs === undefined) return;
  const at = faults.findIndex((f) => f.healAfterMs !== undefined && f.healAfterMs >= undoAfterMs);
  if (at < 0) return;
  throw new UsageError(`${scenarioName}: faults[${at}].healAfterMs: ${faults[at]?.healAfterMs} ms is not below the SSH hosts' undo expiry (undoAfterMs ${undoAfterMs} ms): the host would undo the fault before the scenario heals it; bring the cluster up or attach it with a larger --undo-after-ms`);
}

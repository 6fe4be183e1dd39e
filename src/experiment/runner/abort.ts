import { readActiveRun } from '../../history/active-run.js';
import { UsageError } from '../../errors.js';
import { isProcessAlive, signalProcess } from '../../util/process.js';
import { sleep } from '../../util/time.js';

/** How long `faultline abort` waits for the run to finish its rollbacks and heal. */
export const ABORT_WAIT_MS = 180_000;
const ABORT_POLL_MS = 200;

export interface AbortOutcome {
  readonly pid: number;
  readonly runDir: string;
  /** The run's process ended within the wait. */
  readonly ended: boolean;
  readonly waitedMs: number;
}

/**
 * Stops the live run (an experiment, a suite scenario, a produce) from another terminal, the same way Ctrl-C
 * would: SIGTERM to its process, which runs its rollbacks and heal and exits; waits (bounded) for it to end.
 */
export async function abortActiveRun(waitMs = ABORT_WAIT_MS): Promise<AbortOutcome> {
  const run = readActiveRun();
  if (run === undefined) throw new UsageError('abort: no run is live (no active-run marker with a live process)');
  signalProcess(run.pid, 'SIGTERM');
  const started = performance.now();
  while (isProcessAlive(run.pid) && performance.now() - started < waitMs) await sleep(ABORT_POLL_MS);
  return { pid: run.pid, runDir: run.dir, ended: !isProcessAlive(run.pid), waitedMs: Math.round(performance.now() - started) };
}

/** Whether an on-fault probe runs now, or how long it waits before asking again. */
export type OnFaultDecision = { readonly run: true } | { readonly run: false; readonly waitMs: number };

/**
 * The scheduling rule of a probe with mode `on-fault`, pure: it runs on its interval (from the end of its last run)
 * while at least one fault is in effect, and not at all while none is. Idle, it waits at most one interval before asking again (a fault start
 * also wakes it), so it starts within one interval of a fault; a fault that starts soon after the probe's last run
 * waits out the rest of that interval, so faults in quick succession never run it faster than its interval.
 */
export function onFaultDecision(activeFaults: number, nowMs: number, lastRunMs: number | null, intervalMs: number): OnFaultDecision {
  if (activeFaults === 0) return { run: false, waitMs: intervalMs };
  const sinceLastMs = lastRunMs === null ? Number.POSITIVE_INFINITY : nowMs - lastRunMs;
  if (sinceLastMs >= intervalMs) return { run: true };
  return { run: false, waitMs: intervalMs - sinceLastMs };
}

/** What an on-fault loop acts on; a test gives a fake clock and fault feed. */
export interface OnFaultLoopDeps {
  readonly activeFaults: () => number;
  readonly nowMs: () => number;
  /** Waits up to `ms`; returns early when the faults in effect change or the loop is stopped. */
  readonly wait: (ms: number) => Promise<void>;
  readonly runProbe: () => Promise<void>;
  readonly stopped: () => boolean;
}

/** Runs one on-fault probe until stopped, by `onFaultDecision`. Bounded by the caller's stop (and `maxTurns`). */
export async function runOnFaultLoop(intervalMs: number, deps: OnFaultLoopDeps, maxTurns = Number.MAX_SAFE_INTEGER): Promise<void> {
  let lastRunMs: number | null = null;
  for (let turn = 0; turn < maxTurns && !deps.stopped(); turn++) {
    const decision = onFaultDecision(deps.activeFaults(), deps.nowMs(), lastRunMs, intervalMs);
    if (decision.run) {
      await deps.runProbe();
      // The interval counts from the end of a run, as for `during` probes: a slow probe never runs back to back.
      lastRunMs = deps.nowMs();
    } else {
      await deps.wait(decision.waitMs);
    }
  }
}

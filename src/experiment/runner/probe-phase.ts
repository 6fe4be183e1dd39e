import type { ActiveFaults } from '../../history/active-faults.js';
import type { Run } from '../../history/run.js';
import type { ProbePhase } from '../../history/operation.js';
import { sleep } from '../../util/time.js';
import { probeRecord, runProbe, type ProbeContext, type ProbeResult, type ProbeSpec } from '../probes/index.js';
import { runOnFaultLoop } from './on-fault-schedule.js';

/** Probes of one run: their shared context and the run they record into. */
export interface ProbeRunner {
  readonly context: ProbeContext;
  readonly run: Run;
}

/** Runs each probe once, in order, recording each result in the journal with its phase. */
export async function runProbesOnce(runner: ProbeRunner, probes: readonly ProbeSpec[], phase: ProbePhase): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const spec of probes) {
    const result = await runProbe(spec, runner.context);
    if (!runner.run.closed) runner.run.append(probeRecord(result, phase, result.startedAtMs));
    results.push(result);
  }
  return results;
}

/** Poll period while waiting for the steady state to come back. */
const STEADY_POLL_MS = 500;

export interface SteadyStateWait {
  readonly passed: boolean;
  /** The last round of results. */
  readonly results: readonly ProbeResult[];
  /** From the start of the wait to the round where every probe passed; null when they never all did. */
  readonly recoveredAfterMs: number | null;
  readonly rounds: number;
}

/**
 * Runs the probes round after round until every one passes in the same round, or `timeoutMs` passes, or the
 * signal fires: the steady state after a fault, and how long it took to come back.
 */
export async function waitForSteadyState(runner: ProbeRunner, probes: readonly ProbeSpec[], phase: ProbePhase, timeoutMs: number, signal: AbortSignal): Promise<SteadyStateWait> {
  const started = performance.now();
  let results: ProbeResult[] = [];
  let rounds = 0;
  const maxRounds = Math.max(1, Math.ceil(timeoutMs / STEADY_POLL_MS) + 1);
  while (rounds < maxRounds && !signal.aborted) {
    rounds++;
    results = await runProbesOnce(runner, probes, phase);
    if (results.every((r) => r.ok)) return { passed: true, results, recoveredAfterMs: Math.round(performance.now() - started), rounds };
    if (performance.now() - started >= timeoutMs) break;
    await sleep(STEADY_POLL_MS);
  }
  return { passed: false, results, recoveredAfterMs: null, rounds };
}

/**
 * Probes that run on their own while the method runs (mode `during`, and safeguards): each on its interval,
 * recorded in the journal; `onFailure` is told of every failed result (a safeguard aborts the run).
 * With `onFaultOf`, each probe runs only while a fault is in effect there (mode `on-fault`, `runOnFaultLoop`).
 */
export class ProbeLoop {
  private readonly stopped = new AbortController();
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly runner: ProbeRunner,
    private readonly probes: readonly { readonly spec: ProbeSpec; readonly intervalMs: number }[],
    private readonly phase: ProbePhase,
    private readonly onFailure: (result: ProbeResult) => void = () => undefined,
    private readonly onFaultOf?: ActiveFaults,
  ) {}

  start(): void {
    for (const probe of this.probes) this.loops.push(this.onFaultOf ? this.onFaultLoop(probe.spec, probe.intervalMs, this.onFaultOf) : this.loop(probe.spec, probe.intervalMs));
  }

  private async runOnce(spec: ProbeSpec, stopped: () => boolean): Promise<void> {
    const [result] = await runProbesOnce(this.runner, [spec], this.phase);
    if (result !== undefined && !result.ok && !stopped()) this.onFailure(result);
  }

  private async onFaultLoop(spec: ProbeSpec, intervalMs: number, faults: ActiveFaults): Promise<void> {
    const signal = this.stopped.signal;
    const stopped = (): boolean => signal.aborted;
    await runOnFaultLoop(intervalMs, {
      activeFaults: () => faults.count,
      nowMs: () => performance.now(),
      wait: (ms) => sleepUntilChange(ms, signal, faults),
      runProbe: () => this.runOnce(spec, stopped),
      stopped,
    });
  }

  private async loop(spec: ProbeSpec, intervalMs: number): Promise<void> {
    // Read through a function: stop() sets the flag while the loop awaits.
    const stopped = (): boolean => this.stopped.signal.aborted;
    while (!stopped()) {
      await this.runOnce(spec, stopped);
      await abortableSleep(intervalMs, this.stopped.signal);
    }
  }

  /** Stops every loop; resolves once the probes in flight finished (each is bounded by its timeout). */
  async stop(): Promise<void> {
    this.stopped.abort();
    await Promise.all(this.loops);
  }
}

/** Sleeps `ms`, or less when the signal fires. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Sleeps `ms`, or less when the signal fires or the faults in effect change. */
function sleepUntilChange(ms: number, signal: AbortSignal, faults: ActiveFaults): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  const changed = new AbortController();
  const unsubscribe = faults.subscribe(() => changed.abort());
  const onStop = (): void => changed.abort();
  signal.addEventListener('abort', onStop, { once: true });
  return abortableSleep(ms, changed.signal).finally(() => {
    unsubscribe();
    signal.removeEventListener('abort', onStop);
  });
}

import type { ActiveFault } from '../../history/active-faults.js';
import type { LastProbe, LiveTally, SendCounts } from '../../history/live-tally.js';
import { RateWindow } from '../../util/rate-window.js';
import type { ExperimentVariant } from '../experiment.js';
import type { ExperimentPhase, ExperimentRun } from './experiment-run.js';
import { METHOD_STEP_PREFIX, ROLLBACK_STEP_PREFIX, stepName } from './steps.js';

/** The step running now: the top-level step's place in its list, the innermost step's name. */
export interface ProgressStep {
  /** 1-based place of the top-level step among `total`; null when the name is not one of them. */
  readonly index: number | null;
  readonly total: number;
  /** The innermost step open now (a step of a repeat has its own name). */
  readonly name: string;
}

/** What an experiment is doing now, for a progress display (`runExperiment`'s `onProgress`). */
export interface ExperimentProgress {
  readonly variant: string;
  readonly phase: ExperimentPhase;
  /** Since `runExperiment` began (the fresh cluster's start included). */
  readonly elapsedMs: number;
  /** In the method or the rollbacks; null between steps and in the other phases. */
  readonly step: ProgressStep | null;
  /** Sends of the run so far (background producers and round-trip probes). */
  readonly sends: SendCounts;
  /** Acknowledged sends per second over the last PROGRESS_RATE_WINDOW_MS; null until measurable. */
  readonly ackedPerSec: number | null;
  /** Records the consumer groups received; null when the experiment has no consumer-group workload. */
  readonly consumed: number | null;
  /** Faults in effect (nemesis faults and cluster actions), oldest first. */
  readonly activeFaults: readonly ActiveFault[];
  /** The last result of each probe that ran, most recent first. */
  readonly probes: readonly LastProbe[];
}

/** Default period of `onProgress` calls (4 per second). */
export const DEFAULT_PROGRESS_INTERVAL_MS = 250;
/** Bounds on `progressIntervalMs`. */
export const MIN_PROGRESS_INTERVAL_MS = 50;
export const MAX_PROGRESS_INTERVAL_MS = 60_000;
/** The throughput in a progress report is measured over this much time. */
export const PROGRESS_RATE_WINDOW_MS = 5000;

/** What a progress report reads: an ExperimentRun (a test gives a plain object). */
export interface ProgressSource {
  readonly variant: ExperimentVariant;
  readonly phase: ExperimentPhase;
  readonly run: { readonly live: LiveTally } | null;
}

const NO_SENDS: SendCounts = { invoked: 0, acked: 0, failed: 0, unknown: 0 };

function currentStep(ctx: ProgressSource, open: readonly string[]): ProgressStep | null {
  const outer = open[0];
  const inner = open.at(-1);
  const e = ctx.variant.experiment;
  const [steps, prefix] = ctx.phase === 'method' ? [e.method, METHOD_STEP_PREFIX] : ctx.phase === 'rollbacks' ? [e.rollbacks, ROLLBACK_STEP_PREFIX] : [null, ''];
  if (steps === null || outer === undefined || inner === undefined) return null;
  const at = steps.findIndex((step, i) => stepName(step, i, prefix) === outer);
  return { index: at < 0 ? null : at + 1, total: steps.length, name: inner };
}

/** One progress report of `ctx` now; feeds `rate` with the acknowledged total. */
export function experimentProgress(ctx: ProgressSource, elapsedMs: number, rate: RateWindow): ExperimentProgress {
  const live = ctx.run?.live;
  const sends = live?.sendCounts ?? NO_SENDS;
  rate.add(elapsedMs, sends.acked);
  const hasGroups = ctx.variant.experiment.workloads.some((w) => w.kind === 'consumer-group');
  return {
    variant: ctx.variant.name,
    phase: ctx.phase,
    elapsedMs,
    step: currentStep(ctx, live?.steps() ?? []),
    sends,
    ackedPerSec: rate.perSec,
    consumed: hasGroups ? (live?.consumed ?? 0) : null,
    activeFaults: live?.faults.list() ?? [],
    probes: live?.lastProbes() ?? [],
  };
}

/**
 * Calls `onProgress` with the experiment's progress now and every `intervalMs` until the returned function is
 * called. The timer does not keep the process alive; a throwing `onProgress` is ignored (a display never fails a run).
 */
export function startProgress(ctx: ExperimentRun, onProgress: (progress: ExperimentProgress) => void, intervalMs: number): () => void {
  const startedMs = performance.now();
  const rate = new RateWindow(PROGRESS_RATE_WINDOW_MS);
  const tick = (): void => {
    try {
      onProgress(experimentProgress({ variant: ctx.variant, phase: ctx.phase, run: ctx.run }, performance.now() - startedMs, rate));
    } catch {
      // The display's problem, not the run's.
    }
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

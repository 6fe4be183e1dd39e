/**
 * The checking loop: runs many schedules of a model under a strategy, stops at the first violation,
 * shrinks it and rebuilds its readable trace by replaying the (shrunk) schedule with tracing on.
 */
import { Coverage, type CoverageSummary } from './coverage.js';
import type { ModelDef } from './model.js';
import { formatTrace, toMermaid } from './report.js';
import { exploreRange, type FirstViolation } from './explore.js';
import { executeRun, type RunOutcome, type Violation } from './runtime.js';
import { modelVersion } from './fingerprint.js';
import { SCHEDULE_FORMAT, type SavedSchedule } from './schedule-file.js';
import { replayChoices, shrinkSchedule, type ShrinkResult } from './shrink.js';
import { ExhaustiveStrategy, PctStrategy, RandomStrategy } from './strategies.js';
import type { Strategy } from './strategy.js';
import type { TraceEntry } from './trace.js';

export type StrategyName = 'random' | 'pct' | 'exhaustive';
export const STRATEGY_NAMES: readonly StrategyName[] = ['random', 'pct', 'exhaustive'];

export interface CheckProgress {
  readonly schedulesRun: number;
  readonly schedules: number;
  readonly elapsedMs: number;
  readonly totalSteps: number;
}

export interface CheckOptions {
  readonly strategy?: StrategyName;
  /** Number of schedules to try (an upper bound for exhaustive). */
  readonly schedules?: number;
  /** Step bound per run (default: the model's). */
  readonly maxSteps?: number;
  readonly seed?: number;
  /** PCT bug depth (default 3). */
  readonly pctDepth?: number;
  /** Exhaustive: maximum deviations from the default schedule (default unbounded). */
  readonly maxDeviations?: number;
  /** Shrink the failing schedule (default true). */
  readonly shrink?: boolean;
  readonly shrinkAttempts?: number;
  readonly shrinkTimeLimitMs?: number;
  /** Let the shrinker try the model's smaller versions (`ModelDef.reductions`; default true). */
  readonly shrinkReductions?: boolean;
  /** Stop early after this much wall time (the result says how many schedules ran). */
  readonly timeLimitMs?: number;
  /**
   * Stop at the first violation (default true). When false, every schedule runs and the result
   * counts violating schedules; the first one is still reported (and shrunk).
   */
  readonly stopOnViolation?: boolean;
  /** Collect state/transition coverage (default true). */
  readonly coverage?: boolean;
  /** Model parameters, stored in saved schedules so replays rebuild the same model. */
  readonly params?: Readonly<Record<string, string>>;
  readonly onProgress?: (progress: CheckProgress) => void;
  readonly progressIntervalMs?: number;
}

/** What shrinking did: the shrunk schedule's size, the original's, the replays and time it took, the model reductions applied. */
export type ShrinkSummary = Pick<ShrinkResult, 'steps' | 'faults' | 'attempts' | 'elapsedMs' | 'original' | 'reductions'>;

export interface FoundViolation {
  readonly violation: Violation;
  readonly scheduleIndex: number;
  /** Random/PCT: the seed of the failing run (`model replay --seed`). */
  readonly runSeed?: number;
  readonly elapsedMsToFind: number;
  readonly schedule: SavedSchedule;
  /** The shrunk schedule; its `params` include those of any model reduction the shrinker applied. */
  readonly shrunk?: SavedSchedule;
  readonly shrink?: ShrinkSummary;
  /** Trace of the shrunk schedule (or the original when not shrunk). */
  readonly trace: readonly TraceEntry[];
  readonly traceText: string;
  readonly mermaid: string;
}

export interface CheckResult {
  readonly model: string;
  readonly strategy: StrategyName;
  readonly seed: number;
  readonly maxSteps: number;
  readonly schedulesRun: number;
  readonly totalSteps: number;
  readonly elapsedMs: number;
  readonly schedulesPerSecond: number;
  /** Exhaustive only: every schedule within the bounds was explored. */
  readonly complete: boolean;
  readonly outcomes: Readonly<Record<RunOutcome, number>>;
  /** Schedules that violated the spec (1 at most unless `stopOnViolation` is false). */
  readonly violations: number;
  readonly violation?: FoundViolation;
  readonly coverage?: readonly CoverageSummary[];
}

export function makeStrategy(name: StrategyName, seed: number, maxSteps: number, options: CheckOptions = {}): Strategy {
  switch (name) {
    case 'random':
      return new RandomStrategy(seed);
    case 'pct':
      return new PctStrategy(seed, options.pctDepth ?? 3, maxSteps);
    case 'exhaustive':
      return new ExhaustiveStrategy(options.maxDeviations);
  }
}

export function checkModel(model: ModelDef, options: CheckOptions = {}): CheckResult {
  const c = checkSettings(model, options);
  const strategy = makeStrategy(c.strategy, c.seed, c.maxSteps, options);
  const coverage = options.coverage === false ? undefined : new Coverage();
  const started = performance.now();
  const deadline = options.timeLimitMs !== undefined ? started + options.timeLimitMs : Number.POSITIVE_INFINITY;
  const progressEvery = options.progressIntervalMs ?? 2000;
  let lastProgress = started;
  const range = exploreRange(model, strategy, {
    from: 0,
    to: c.schedules,
    maxSteps: c.maxSteps,
    coverage,
    stopOnViolation: options.stopOnViolation !== false,
    startedMs: started,
    onTick: (schedulesRun, totalSteps) => {
      const now = performance.now();
      if (now >= deadline) return false;
      if (options.onProgress !== undefined && now - lastProgress >= progressEvery) {
        lastProgress = now;
        options.onProgress({ schedulesRun, schedules: c.schedules, elapsedMs: Math.round(now - started), totalSteps });
      }
      return true;
    },
  });
  const elapsedMs = Math.round(performance.now() - started);
  const complete = strategy instanceof ExhaustiveStrategy ? strategy.complete : false;
  return checkResult(c, { ...range, elapsedMs, complete, coverage: coverage?.summary() });
}

/** A check's settings with their defaults applied. */
export interface CheckSettings {
  readonly model: ModelDef;
  readonly options: CheckOptions;
  readonly params: Readonly<Record<string, string>>;
  readonly strategy: StrategyName;
  readonly seed: number;
  readonly maxSteps: number;
  readonly schedules: number;
}

export function checkSettings(model: ModelDef, options: CheckOptions): CheckSettings {
  return {
    model,
    options,
    params: options.params ?? {},
    strategy: options.strategy ?? 'random',
    seed: (options.seed ?? 1) >>> 0,
    maxSteps: options.maxSteps ?? model.maxSteps,
    schedules: options.schedules ?? 1000,
  };
}

/** What an exploration (one thread or merged from workers) found, before the violation is described. */
export interface Explored {
  readonly schedulesRun: number;
  readonly totalSteps: number;
  readonly outcomes: Record<RunOutcome, number>;
  readonly violations: number;
  readonly first?: FirstViolation;
  readonly elapsedMs: number;
  readonly complete: boolean;
  readonly coverage: readonly CoverageSummary[] | undefined;
}

/** The check's result; the first violation is shrunk and its trace rebuilt here. */
export function checkResult(c: CheckSettings, e: Explored): CheckResult {
  const found = e.first !== undefined ? describeViolation(c, e.first) : undefined;
  return {
    model: c.model.name,
    strategy: c.strategy,
    seed: c.seed,
    maxSteps: c.maxSteps,
    schedulesRun: e.schedulesRun,
    totalSteps: e.totalSteps,
    elapsedMs: e.elapsedMs,
    schedulesPerSecond: Math.round((e.schedulesRun * 1000) / Math.max(1, e.elapsedMs)),
    complete: e.complete,
    outcomes: e.outcomes,
    violations: e.violations,
    ...(found !== undefined ? { violation: found } : {}),
    ...(e.coverage !== undefined ? { coverage: e.coverage } : {}),
  };
}

function describeViolation(c: CheckSettings, f: FirstViolation): FoundViolation {
  const v = { kind: f.violation.kind, source: f.violation.source, message: f.violation.message };
  const origin = { strategy: c.strategy, seed: c.seed, scheduleIndex: f.index, ...(f.runSeed !== undefined ? { runSeed: f.runSeed } : {}) };
  const base = { format: SCHEDULE_FORMAT, model: c.model.name } as const;
  const schedule: SavedSchedule = {
    ...base, modelVersion: modelVersion(c.model, c.params), params: c.params, maxSteps: c.maxSteps,
    choices: f.choices, steps: f.steps, faults: f.faults, violation: v, origin: { ...origin, shrunk: false },
  };
  let shrunk: SavedSchedule | undefined;
  let shrinkInfo: ShrinkSummary | undefined;
  let final = { model: c.model, choices: f.choices as readonly number[], maxSteps: c.maxSteps };
  if (c.options.shrink !== false) {
    const s = shrinkSchedule(c.model, f.choices, f.violation, {
      maxSteps: c.maxSteps, maxAttempts: c.options.shrinkAttempts, timeLimitMs: c.options.shrinkTimeLimitMs, reductions: c.options.shrinkReductions,
    });
    const params = { ...c.params, ...s.params };
    shrunk = {
      ...base, modelVersion: modelVersion(s.model, params), params, maxSteps: s.maxSteps, choices: s.choices, steps: s.steps, faults: s.faults,
      violation: { kind: s.violation.kind, source: s.violation.source, message: s.violation.message }, origin: { ...origin, shrunk: true },
    };
    shrinkInfo = { steps: s.steps, faults: s.faults, attempts: s.attempts, elapsedMs: s.elapsedMs, original: s.original, reductions: s.reductions };
    final = { model: s.model, choices: s.choices, maxSteps: s.maxSteps };
  }
  const replay = replayChoices(final.model, final.choices, final.maxSteps, true);
  const trace = replay.trace ?? [];
  return {
    violation: replay.violation ?? f.violation,
    scheduleIndex: f.index,
    ...(f.runSeed !== undefined ? { runSeed: f.runSeed } : {}),
    elapsedMsToFind: f.atMs,
    schedule,
    ...(shrunk !== undefined && shrinkInfo !== undefined ? { shrunk, shrink: shrinkInfo } : {}),
    trace,
    traceText: formatTrace(trace),
    mermaid: toMermaid(trace),
  };
}

/** Replays one random run from its run seed (as printed by a check) with tracing on. */
export function replayFromSeed(model: ModelDef, runSeed: number, maxSteps?: number): ReturnType<typeof executeRun> {
  const strategy = new RandomStrategy(0, runSeed >>> 0);
  strategy.beginRun(0);
  return executeRun(model, strategy, { maxSteps: maxSteps ?? model.maxSteps, trace: true });
}

/** Replays a saved schedule with tracing on. */
export function replaySchedule(model: ModelDef, schedule: SavedSchedule): ReturnType<typeof executeRun> {
  return replayChoices(model, schedule.choices, schedule.maxSteps, true);
}

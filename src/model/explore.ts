/**
 * The exploration loop shared by a check in one thread and by each worker of a parallel check: runs
 * the schedules of one index range in order, counts outcomes and steps, and keeps the first violation.
 * Schedule i depends only on the strategy, its seed and i (random and PCT seed each run with
 * `mixSeed(seed, i)`), so a range gives the same runs whichever thread explores it.
 */
import type { Coverage } from './coverage.js';
import type { ModelDef } from './model.js';
import { executeRun, type RunOutcome, type Violation } from './runtime.js';
import { PctStrategy, RandomStrategy } from './strategies.js';
import type { Strategy } from './strategy.js';

/** The first violating schedule of a range: enough to describe, shrink and replay it. */
export interface FirstViolation {
  readonly violation: Violation;
  readonly choices: number[];
  readonly steps: number;
  readonly faults: number;
  readonly runSeed: number | undefined;
  readonly index: number;
  /** Milliseconds from the start of the check to the end of this schedule. */
  readonly atMs: number;
}

export interface RangeOptions {
  /** First schedule index. */
  readonly from: number;
  /** Index after the last schedule. */
  readonly to: number;
  readonly maxSteps: number;
  readonly coverage: Coverage | undefined;
  /** End the range at its first violating schedule. */
  readonly stopOnViolation: boolean;
  /** `performance.now()` at the start of the check (for `atMs`). */
  readonly startedMs: number;
  /** Called after every TICK_SCHEDULES schedules; false ends the range there. */
  readonly onTick?: (schedulesRun: number, totalSteps: number) => boolean;
}

export interface RangeResult {
  /** Schedules run: indices `from .. from + schedulesRun - 1`. */
  readonly schedulesRun: number;
  readonly totalSteps: number;
  readonly outcomes: Record<RunOutcome, number>;
  /** Violating schedules among them. */
  readonly violations: number;
  readonly first?: FirstViolation;
  /** False when the strategy has no schedules left (exhaustive search used up). */
  readonly more: boolean;
}

/** How often the loop calls `onTick` (a clock read per run costs little, but it is done sparsely anyway). */
const TICK_SCHEDULES = 32;

export function emptyOutcomes(): Record<RunOutcome, number> {
  return { quiescent: 0, stopped: 0, 'max-steps': 0, 'time-limit': 0, violation: 0 };
}

function runSeedOf(strategy: Strategy): number | undefined {
  return strategy instanceof RandomStrategy || strategy instanceof PctStrategy ? strategy.runSeed : undefined;
}

/** Runs schedules `from .. to - 1` of `model` under `strategy`, in order. */
export function exploreRange(model: ModelDef, strategy: Strategy, options: RangeOptions): RangeResult {
  const { maxSteps, coverage } = options;
  const buffer: number[] = [];
  const outcomes = emptyOutcomes();
  let totalSteps = 0;
  let violations = 0;
  let first: FirstViolation | undefined;
  let more = true;
  let index = options.from;
  while (index < options.to) {
    strategy.beginRun(index);
    const r = executeRun(model, strategy, { maxSteps, coverage, choiceBuffer: buffer });
    more = strategy.endRun();
    totalSteps += r.steps;
    outcomes[r.outcome]++;
    index++;
    if (r.violation !== undefined) {
      violations++;
      const atMs = Math.round((performance.now() - options.startedMs) * 100) / 100;
      first ??= { violation: r.violation, choices: buffer.slice(), steps: r.steps, faults: r.faults, runSeed: runSeedOf(strategy), index: index - 1, atMs };
      if (options.stopOnViolation) break;
    }
    if (!more) break;
    const run = index - options.from;
    if (options.onTick !== undefined && run % TICK_SCHEDULES === 0 && !options.onTick(run, totalSteps)) break;
  }
  return { schedulesRun: index - options.from, totalSteps, outcomes, violations, ...(first !== undefined ? { first } : {}), more };
}

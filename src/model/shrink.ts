/**
 * Shrinks a failing schedule, bounded by replays and wall time, with two tools:
 * - delta debugging over the choice array (`shrink-choices.ts`): chunks removed, chunks set to the
 *   default, single choices lowered: drops scheduler-chosen faults, shortens delays, removes detours;
 * - over the model's contents and run length, where the model offers smaller versions of itself
 *   (`ModelDef.reductions`: fewer records, an earlier end): the current choices are replayed on the
 *   smaller model, else a bounded search (random and PCT schedules) looks for the same violation there, and the result
 *   is shrunk by delta debugging. The first reduction (simplest first) that gives a better schedule
 *   wins; the smaller model's own reductions are tried next. Reductions come first (replays of a
 *   smaller model are cheaper); delta debugging then finishes on the final model.
 * A candidate is kept when it fails with the same violation signature (`violationSignature`).
 */
import type { ModelDef } from './model.js';
import { executeRun, type Violation } from './runtime.js';
import { asCandidate, better, ChoiceShrinker, ShrinkBudget, violationSignature, type Candidate } from './shrink-choices.js';
import { PctStrategy, RandomStrategy } from './strategies.js';
import type { Strategy } from './strategy.js';

export { replayChoices, violationSignature } from './shrink-choices.js';

const DEFAULT_MAX_ATTEMPTS = 6000;
const DEFAULT_TIME_LIMIT_MS = 15_000;
/** Schedules tried on a smaller model when the current choices do not fail there. */
const REDUCTION_SEARCH_SCHEDULES = 300;
/** Smaller-of-smaller models followed at most. */
const MAX_REDUCTION_DEPTH = 4;
/** Reductions tried per model at most. */
const MAX_REDUCTIONS_PER_MODEL = 16;
/** PCT depth of that search (as `model check`'s default). */
const REDUCTION_SEARCH_PCT_DEPTH = 3;
/** Seed of the search on smaller models (fixed: shrinking is deterministic). */
const REDUCTION_SEARCH_SEED = 0x5eed;

export interface ShrinkOptions {
  readonly maxSteps: number;
  /** Bound on replays tried (default 6000). */
  readonly maxAttempts?: number;
  /** Bound on wall time (default 15 s). */
  readonly timeLimitMs?: number;
  /** Try the model's smaller versions (default true). */
  readonly reductions?: boolean;
}

export interface ShrinkResult {
  readonly choices: number[];
  readonly steps: number;
  readonly faults: number;
  readonly violation: Violation;
  readonly attempts: number;
  readonly elapsedMs: number;
  readonly original: { readonly choices: number; readonly steps: number; readonly faults: number };
  /** The model the shrunk schedule runs on: the given one, or a smaller version of it. */
  readonly model: ModelDef;
  /** Its step bound. */
  readonly maxSteps: number;
  /** The reductions applied, in order (labels), and the parameters they set. */
  readonly reductions: readonly string[];
  readonly params: Readonly<Record<string, string>>;
}

/** Whether two violations are the same for the shrinker (same signature). */
export function sameViolation(a: Violation, b: Violation): boolean {
  return violationSignature(a) === violationSignature(b);
}

interface Shrunk {
  readonly best: Candidate;
  readonly model: ModelDef;
  readonly maxSteps: number;
  readonly reductions: readonly string[];
  readonly params: Readonly<Record<string, string>>;
}

export function shrinkSchedule(model: ModelDef, choices: readonly number[], target: Violation, options: ShrinkOptions): ShrinkResult {
  const started = Date.now();
  const budget = new ShrinkBudget(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, started + (options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS));
  const signature = violationSignature(target);
  const shrinker = new ChoiceShrinker(model, options.maxSteps, signature, budget);
  const first = shrinker.evaluate(choices);
  if (first === undefined) throw new Error('shrink: the schedule does not reproduce the violation');
  // Smaller models first (each accepted one is shrunk as it is accepted): replays there are cheaper.
  let current: Shrunk = { best: first, model, maxSteps: options.maxSteps, reductions: [], params: {} };
  for (let depth = 0; depth < MAX_REDUCTION_DEPTH && options.reductions !== false && budget.left(); depth++) {
    const next = reduceOnce(current, signature, budget);
    if (next === undefined) break;
    current = next;
  }
  const best = new ChoiceShrinker(current.model, current.maxSteps, signature, budget).shrink(current.best);
  return {
    choices: best.choices,
    steps: best.steps,
    faults: best.faults,
    violation: best.violation,
    attempts: budget.attempts,
    elapsedMs: Date.now() - started,
    original: { choices: choices.length, steps: first.steps, faults: first.faults },
    model: current.model,
    maxSteps: current.maxSteps,
    reductions: current.reductions,
    params: current.params,
  };
}

/** The first of the model's reductions that gives a better failing schedule, shrunk. */
function reduceOnce(current: Shrunk, signature: string, budget: ShrinkBudget): Shrunk | undefined {
  const reductions = (current.model.reductions?.() ?? []).slice(0, MAX_REDUCTIONS_PER_MODEL);
  for (const reduction of reductions) {
    if (!budget.left()) break;
    const model = reduction.build();
    const maxSteps = Math.min(current.maxSteps, model.maxSteps);
    const shrinker = new ChoiceShrinker(model, maxSteps, signature, budget);
    const found = shrinker.evaluate(current.best.choices) ?? searchFailing(model, maxSteps, signature, budget);
    if (found === undefined) continue;
    const best = shrinker.shrink(found);
    if (!better(best, current.best)) continue;
    return { best, model, maxSteps, reductions: [...current.reductions, reduction.label], params: { ...current.params, ...reduction.params } };
  }
  return undefined;
}

/**
 * Bounded search for a schedule of `model` failing with `signature`: random and PCT schedules in
 * turn (random scheduling rarely starves one machine, which some violations need: a consumer
 * reading a batch just as its Kafka fails, a driver starved while a consumer polls).
 */
function searchFailing(model: ModelDef, maxSteps: number, signature: string, budget: ShrinkBudget): Candidate | undefined {
  const strategies: Strategy[] = [new RandomStrategy(REDUCTION_SEARCH_SEED), new PctStrategy(REDUCTION_SEARCH_SEED, REDUCTION_SEARCH_PCT_DEPTH, maxSteps)];
  const buffer: number[] = [];
  for (let i = 0; i < REDUCTION_SEARCH_SCHEDULES && budget.left(); i++) {
    budget.attempts++;
    const strategy = strategies[i % strategies.length] as Strategy;
    strategy.beginRun(i);
    const run = executeRun(model, strategy, { maxSteps, choiceBuffer: buffer });
    strategy.endRun();
    const found = asCandidate(run, signature);
    if (found !== undefined) return found;
  }
  return undefined;
}

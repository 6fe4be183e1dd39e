/**
 * Shrinks a failing schedule: delta-debugging over the choice array (remove chunks, then set
 * choices to the default 0, which also removes scheduler-chosen faults), keeping a candidate when
 * it fails the same way (same violation kind and source) with no more faults and no more steps.
 */
import type { ModelDef } from './model.js';
import { executeRun, type RunResult, type Violation } from './runtime.js';
import { ReplayStrategy } from './strategies.js';

export interface ShrinkOptions {
  readonly maxSteps: number;
  /** Bound on replays tried. */
  readonly maxAttempts?: number;
  readonly timeLimitMs?: number;
}

export interface ShrinkResult {
  readonly choices: number[];
  readonly steps: number;
  readonly faults: number;
  readonly violation: Violation;
  readonly attempts: number;
  readonly original: { readonly choices: number; readonly steps: number; readonly faults: number };
}

interface Candidate {
  readonly choices: number[];
  readonly steps: number;
  readonly faults: number;
  readonly nonZero: number;
  readonly violation: Violation;
}

export function sameViolation(a: Violation, b: Violation): boolean {
  return a.kind === b.kind && a.source === b.source;
}

export function replayChoices(model: ModelDef, choices: readonly number[], maxSteps: number, trace = false): RunResult {
  const strategy = new ReplayStrategy(choices);
  strategy.beginRun();
  return executeRun(model, strategy, { maxSteps, trace });
}

export function shrinkSchedule(model: ModelDef, choices: readonly number[], target: Violation, options: ShrinkOptions): ShrinkResult {
  const maxAttempts = options.maxAttempts ?? 3000;
  const deadline = Date.now() + (options.timeLimitMs ?? 15_000);
  let attempts = 0;

  const tryRun = (cand: readonly number[]): Candidate | undefined => {
    attempts++;
    const r = replayChoices(model, cand, options.maxSteps);
    if (r.violation === undefined || !sameViolation(r.violation, target)) return undefined;
    // The choices actually consumed are the canonical form of the schedule.
    const used = r.choices.slice();
    let nonZero = 0;
    for (const c of used) if (c !== 0) nonZero++;
    return { choices: used, steps: r.steps, faults: r.faults, nonZero, violation: r.violation };
  };
  const better = (a: Candidate, b: Candidate): boolean => {
    if (a.faults !== b.faults) return a.faults < b.faults;
    if (a.steps !== b.steps) return a.steps < b.steps;
    if (a.nonZero !== b.nonZero) return a.nonZero < b.nonZero;
    return a.choices.length < b.choices.length;
  };
  const budgetLeft = (): boolean => attempts < maxAttempts && Date.now() < deadline;

  const first = tryRun(choices);
  if (first === undefined) throw new Error('shrink: the schedule does not reproduce the violation');
  let best = first;
  const original = { choices: first.choices.length, steps: first.steps, faults: first.faults };

  for (let round = 0; round < 4 && budgetLeft(); round++) {
    const before = best;
    // Remove chunks, halving the chunk size.
    for (let chunk = Math.max(1, best.choices.length >> 1); chunk >= 1 && budgetLeft(); chunk >>= 1) {
      for (let i = 0; i < best.choices.length && budgetLeft(); ) {
        const cand = best.choices.slice(0, i).concat(best.choices.slice(i + chunk));
        const r = tryRun(cand);
        if (r !== undefined && better(r, best)) best = r;
        else i += chunk;
      }
    }
    // Default individual choices (0 = first candidate / no fault).
    for (let i = 0; i < best.choices.length && budgetLeft(); i++) {
      if (best.choices[i] === 0) continue;
      const cand = best.choices.slice();
      cand[i] = 0;
      const r = tryRun(cand);
      if (r !== undefined && better(r, best)) best = r;
    }
    if (best === before) break;
  }
  return { choices: best.choices, steps: best.steps, faults: best.faults, violation: best.violation, attempts, original };
}

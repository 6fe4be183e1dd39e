/**
 * Delta debugging over one model's choice array: remove chunks of choices at decreasing granularity,
 * set chunks to 0 (the default: first candidate, no fault, shortest delay), then lower single
 * choices (0, half, one less). A candidate is kept when it fails with the same violation signature
 * and is better: fewer faults, then fewer steps, then fewer non-default choices, then shorter, then
 * smaller values.
 */
import type { ModelDef } from './model.js';
import { executeRun, type RunResult, type Violation } from './runtime.js';
import { ReplayStrategy } from './strategies.js';

/** Rounds of all passes; a round that improves nothing ends the loop earlier. */
const MAX_ROUNDS = 6;
/** Later choices realigned by at most this many positions after a simpler choice (see `lowerValues`). */
const MAX_REALIGN_SHIFT = 2;

export interface Candidate {
  /** Canonical form: the choices the run consumed, trailing defaults (0) trimmed. */
  readonly choices: number[];
  readonly steps: number;
  readonly faults: number;
  readonly nonZero: number;
  /** Sum of the choices: among otherwise equal schedules the smaller values are the simpler ones. */
  readonly total: number;
  readonly violation: Violation;
}

/** Bounds on one shrink: replays tried and wall time. */
export class ShrinkBudget {
  attempts = 0;
  constructor(
    private readonly maxAttempts: number,
    private readonly deadlineMs: number,
  ) {}
  left(): boolean {
    return this.attempts < this.maxAttempts && Date.now() < this.deadlineMs;
  }
}

/**
 * What makes two violations "the same": kind, source, and the message with its numbers (counts,
 * ids, id ranges) blanked, so "10 of 150 lost: records 50-59" matches "10 of 30 lost: records 10-19"
 * but a different stage, cause or run ending does not.
 */
export function violationSignature(v: Pick<Violation, 'kind' | 'source' | 'message'>): string {
  return `${v.kind}|${v.source}|${v.message.replace(/\d+(?:[-,.]\d+)*/g, '#')}`;
}

export function replayChoices(model: ModelDef, choices: readonly number[], maxSteps: number, trace = false): RunResult {
  const strategy = new ReplayStrategy(choices);
  strategy.beginRun();
  return executeRun(model, strategy, { maxSteps, trace });
}

/** A run's result as a candidate when it fails with `signature`. */
export function asCandidate(run: RunResult, signature: string): Candidate | undefined {
  if (run.violation === undefined || violationSignature(run.violation) !== signature) return undefined;
  let end = run.choices.length;
  while (end > 0 && run.choices[end - 1] === 0) end--;
  const choices = run.choices.slice(0, end);
  let nonZero = 0;
  let total = 0;
  for (const c of choices) {
    if (c !== 0) nonZero++;
    total += c;
  }
  return { choices, steps: run.steps, faults: run.faults, nonZero, total, violation: run.violation };
}

export function better(a: Candidate, b: Candidate): boolean {
  if (a.faults !== b.faults) return a.faults < b.faults;
  if (a.steps !== b.steps) return a.steps < b.steps;
  if (a.nonZero !== b.nonZero) return a.nonZero < b.nonZero;
  if (a.choices.length !== b.choices.length) return a.choices.length < b.choices.length;
  return a.total < b.total;
}

/** Replays choice arrays of one model against one signature, within a budget. */
export class ChoiceShrinker {
  constructor(
    private readonly model: ModelDef,
    private readonly maxSteps: number,
    private readonly signature: string,
    readonly budget: ShrinkBudget,
  ) {}

  evaluate(choices: readonly number[]): Candidate | undefined {
    this.budget.attempts++;
    return asCandidate(replayChoices(this.model, choices, this.maxSteps), this.signature);
  }

  shrink(start: Candidate): Candidate {
    let best = start;
    for (let round = 0; round < MAX_ROUNDS && this.budget.left(); round++) {
      const before = best;
      best = this.removeChunks(best);
      best = this.zeroChunks(best);
      best = this.lowerValues(best);
      if (best === before) break;
    }
    return best;
  }

  private tryBetter(best: Candidate, cand: readonly number[]): Candidate | undefined {
    const r = this.evaluate(cand);
    return r !== undefined && better(r, best) ? r : undefined;
  }

  /** Removes chunks of choices, halving the chunk size (later choices move up). */
  private removeChunks(start: Candidate): Candidate {
    let best = start;
    for (let chunk = Math.max(1, best.choices.length >> 1); chunk >= 1 && this.budget.left(); chunk >>= 1) {
      for (let i = 0; i < best.choices.length && this.budget.left(); ) {
        const r = this.tryBetter(best, best.choices.slice(0, i).concat(best.choices.slice(i + chunk)));
        if (r !== undefined) best = r;
        else i += chunk;
      }
    }
    return best;
  }

  /** Sets chunks of choices to the default 0, halving the chunk size down to 2 (single ones: `lowerValues`). */
  private zeroChunks(start: Candidate): Candidate {
    let best = start;
    for (let chunk = Math.max(2, best.choices.length >> 1); chunk >= 2 && this.budget.left(); chunk >>= 1) {
      for (let i = 0; i < best.choices.length && this.budget.left(); i += chunk) {
        const end = Math.min(best.choices.length, i + chunk);
        if (best.choices.slice(i, end).every((c) => c === 0)) continue;
        const cand = best.choices.slice();
        cand.fill(0, i, end);
        best = this.tryBetter(best, cand) ?? best;
      }
    }
    return best;
  }

  /**
   * Replaces single choices by simpler values: 0, half, one less (shorter delays, earlier candidates,
   * no fault). A simpler choice often adds or removes later choice points (a machine not failed has
   * steps to schedule), which shifts every later choice; so each value is also tried with the rest
   * realigned: zeros inserted or removed before the next non-default choice.
   */
  private lowerValues(start: Candidate): Candidate {
    let best = start;
    for (let i = 0; i < best.choices.length && this.budget.left(); i++) {
      const v = best.choices[i] ?? 0;
      const values = [...new Set([0, v >> 1, v - 1])].filter((lower) => lower < v);
      const r = this.firstBetter(best, values.flatMap((lower) => realigned(best.choices, i, lower)));
      if (r !== undefined) best = r;
    }
    return best;
  }

  private firstBetter(best: Candidate, candidates: readonly (readonly number[])[]): Candidate | undefined {
    for (const cand of candidates) {
      if (!this.budget.left()) return undefined;
      const r = this.tryBetter(best, cand);
      if (r !== undefined) return r;
    }
    return undefined;
  }
}

/** `choices` with choice `i` set to `value`, as is and then with the rest shifted by ±1..MAX_REALIGN_SHIFT. */
function realigned(choices: readonly number[], i: number, value: number): number[][] {
  const base = choices.slice();
  base[i] = value;
  const out = [base];
  let next = i + 1;
  while (next < base.length && base[next] === 0) next++;
  if (next >= base.length) return out;
  for (let shift = 1; shift <= MAX_REALIGN_SHIFT; shift++) {
    out.push(base.slice(0, next).concat(new Array<number>(shift).fill(0), base.slice(next)));
    if (next - shift > i) out.push(base.slice(0, next - shift).concat(base.slice(next)));
  }
  return out;
}

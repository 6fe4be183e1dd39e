/** The built-in strategies: random, PCT, bounded exhaustive (deviation-bounded DFS) and replay. */
import { Prng, mixSeed } from './prng.js';
import type { Strategy } from './strategy.js';

/** Uniform random choices from a per-run PRNG seeded by `mixSeed(seed, runIndex)`. */
export class RandomStrategy implements Strategy {
  readonly name = 'random';
  private rng: Prng;
  /** The seed of the current run: `model replay --seed` reproduces it alone. */
  runSeed = 0;

  constructor(
    private readonly seed: number,
    private readonly fixedRunSeed?: number,
  ) {
    this.rng = new Prng(seed);
  }

  beginRun(runIndex: number): void {
    this.runSeed = this.fixedRunSeed ?? mixSeed(this.seed, runIndex);
    this.rng = new Prng(this.runSeed);
  }
  pickMachine(_candidates: Int32Array, count: number): number {
    return this.rng.nextInt(count);
  }
  chooseInt(bound: number): number {
    return this.rng.nextInt(bound);
  }
  chooseBool(probabilityTrue: number): number {
    return this.rng.nextFloat() < probabilityTrue ? 1 : 0;
  }
  chooseWeighted(weights: readonly number[]): number {
    return weightedPick(this.rng, weights);
  }
  onCreate(): void {
    // No per-machine state.
  }
  endRun(): boolean {
    return true;
  }
}

function weightedPick(rng: Prng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let r = rng.nextFloat() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i] ?? 0;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/**
 * PCT (Burckhardt et al.): random distinct machine priorities, the highest-priority enabled machine
 * runs; at `depth - 1` random change points the running machine drops to the lowest priorities.
 * Finds any bug of depth d with probability >= 1/(n * k^(d-1)). Data choices are random.
 */
export class PctStrategy implements Strategy {
  readonly name = 'pct';
  private rng: Prng;
  private priorities: number[] = [];
  private changePoints: number[] = [];
  private nextLow = 0;
  private stepEstimate: number;
  private maxStepsSeen = 0;
  runSeed = 0;

  constructor(
    private readonly seed: number,
    private readonly depth: number,
    maxSteps: number,
  ) {
    this.rng = new Prng(seed);
    // Until the first run tells us the real length, assume runs are short compared to the bound.
    this.stepEstimate = Math.max(1, Math.min(maxSteps, 1000));
  }

  beginRun(runIndex: number): void {
    this.runSeed = mixSeed(this.seed, runIndex);
    this.rng = new Prng(this.runSeed);
    this.priorities.length = 0;
    this.changePoints.length = 0;
    for (let i = 0; i < this.depth - 1; i++) this.changePoints.push(1 + this.rng.nextInt(this.stepEstimate));
    this.nextLow = 0;
  }
  onCreate(machineId: number): void {
    // Insert at a random rank among the existing priorities (higher value = runs first).
    const value = this.depth + this.rng.nextFloat() * 1e6;
    this.priorities[machineId] = value;
  }
  pickMachine(candidates: Int32Array, count: number, step: number): number {
    let best = 0;
    let bestPriority = -Infinity;
    for (let i = 0; i < count; i++) {
      const id = candidates[i] ?? 0;
      // Time passing (-1) has the lowest priority: timeouts fire when nothing else is preferred.
      const p = id < 0 ? -1 : (this.priorities[id] ?? 0);
      if (p > bestPriority) {
        bestPriority = p;
        best = i;
      }
    }
    if (step > this.maxStepsSeen) this.maxStepsSeen = step;
    if (this.changePoints.includes(step)) {
      const id = candidates[best] ?? -1;
      if (id >= 0) this.priorities[id] = this.depth - 1 - this.nextLow++ * 1e-3;
      // Re-pick after lowering.
      return this.pickMachine(candidates, count, -1);
    }
    return best;
  }
  chooseInt(bound: number): number {
    return this.rng.nextInt(bound);
  }
  chooseBool(probabilityTrue: number): number {
    return this.rng.nextFloat() < probabilityTrue ? 1 : 0;
  }
  chooseWeighted(weights: readonly number[]): number {
    return weightedPick(this.rng, weights);
  }
  endRun(): boolean {
    if (this.maxStepsSeen > 0) this.stepEstimate = this.maxStepsSeen;
    return true;
  }
}

/**
 * Strategies whose every choice, of whatever kind, is one index into a recorded sequence
 * (exhaustive search and replay): only `next(bound)` differs between them.
 */
abstract class IndexedChoiceStrategy implements Strategy {
  abstract readonly name: string;
  abstract beginRun(runIndex: number): void;
  abstract endRun(): boolean;
  protected abstract next(bound: number): number;
  pickMachine(_c: Int32Array, count: number): number {
    return this.next(count);
  }
  chooseInt(bound: number): number {
    return this.next(bound);
  }
  chooseBool(): number {
    return this.next(2);
  }
  chooseWeighted(weights: readonly number[]): number {
    return this.next(weights.length);
  }
  onCreate(): void {
    // No per-machine state.
  }
}

/**
 * Bounded exhaustive search: depth-first over every choice point, by increasing number of
 * deviations from the default choice (0). Deviation bound k = 0, 1, 2, ... up to `maxDeviations`;
 * the search is complete when a whole level found no schedule using all k deviations.
 */
export class ExhaustiveStrategy extends IndexedChoiceStrategy {
  readonly name = 'exhaustive';
  private values: number[] = [];
  private bounds: number[] = [];
  private position = 0;
  private deviations = 0;
  private level = 0;
  private levelReachedBound = false;
  private done = false;
  /** True once every schedule (within the step bound) has been explored. */
  complete = false;

  constructor(private readonly maxDeviations: number = Number.POSITIVE_INFINITY) {
    super();
  }

  beginRun(): void {
    this.position = 0;
    this.deviations = 0;
  }
  protected next(bound: number): number {
    const i = this.position++;
    if (i < this.values.length) {
      const v = this.values[i] ?? 0;
      if (v !== 0) this.deviations++;
      return v < bound ? v : 0;
    }
    this.values.push(0);
    this.bounds.push(bound);
    return 0;
  }

  /** Whether the search space is used up. */
  get exhausted(): boolean {
    return this.done;
  }

  endRun(): boolean {
    // Choices beyond what this run consumed belong to no schedule.
    this.values.length = this.position;
    this.bounds.length = this.position;
    if (this.deviations >= this.level) this.levelReachedBound = true;
    // Advance to the next schedule: the deepest choice that can still deviate within the budget.
    let used = 0;
    for (const v of this.values) if (v !== 0) used++;
    for (let i = this.values.length - 1; i >= 0; i--) {
      const v = this.values[i] ?? 0;
      const bound = this.bounds[i] ?? 1;
      const usedWithout = used - (v !== 0 ? 1 : 0);
      if (v + 1 < bound && usedWithout + 1 <= this.level) {
        this.values[i] = v + 1;
        this.values.length = i + 1;
        this.bounds.length = i + 1;
        return true;
      }
      used = usedWithout;
    }
    // Level exhausted: go one deviation deeper, unless no schedule used the whole budget
    // (then deeper levels hold nothing new and the search is complete).
    if (!this.levelReachedBound || this.level >= this.maxDeviations) {
      this.done = true;
      this.complete = !this.levelReachedBound;
      return false;
    }
    this.level++;
    this.levelReachedBound = false;
    this.values.length = 0;
    this.bounds.length = 0;
    return true;
  }
}

/** Replays a recorded schedule; past its end (or out of range after shrinking) it chooses 0. */
export class ReplayStrategy extends IndexedChoiceStrategy {
  readonly name = 'replay';
  private position = 0;
  constructor(private readonly choices: readonly number[]) {
    super();
  }
  beginRun(): void {
    this.position = 0;
  }
  protected next(bound: number): number {
    const v = this.choices[this.position++];
    if (v === undefined) return 0;
    return v < bound ? v : v % bound;
  }
  endRun(): boolean {
    return false;
  }
}

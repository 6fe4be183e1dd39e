/**
 * Merges the blocks of a parallel check as they come in, in index order: a block that arrives before
 * the blocks below it waits (at most one per other worker, since blocks are handed out in order), so
 * memory stays bounded however many schedules run. With `stopOnViolation`, the blocks after the one
 * holding the lowest violating schedule are dropped, so the sums are those of one thread.
 */
import { Coverage, type CoverageEntry, type CoverageSummary } from './coverage.js';
import { emptyOutcomes, type FirstViolation, type RangeResult } from './explore.js';
import type { RunOutcome } from './runtime.js';

/** A worker's answer for the block `from .. to - 1`: its counts, first violation and coverage. */
export interface BlockDone extends RangeResult {
  readonly from: number;
  readonly to: number;
  readonly coverage: CoverageEntry[] | undefined;
}

export interface MergedBlocks {
  readonly schedulesRun: number;
  readonly totalSteps: number;
  readonly outcomes: Record<RunOutcome, number>;
  readonly violations: number;
  readonly first?: FirstViolation;
  readonly coverage: readonly CoverageSummary[] | undefined;
}

const OUTCOMES = Object.keys(emptyOutcomes()) as RunOutcome[];

export class BlockMerger {
  private readonly waiting = new Map<number, BlockDone>();
  /** Index of the next block to merge. */
  private next = 0;
  /** A merged block held a violation and the check stops at the first one: later blocks are dropped. */
  private closed = false;
  private readonly coverage: Coverage | undefined;
  private readonly outcomes = emptyOutcomes();
  private first: FirstViolation | undefined;
  schedulesRun = 0;
  totalSteps = 0;
  private violations = 0;

  constructor(
    private readonly stopOnViolation: boolean,
    collectCoverage: boolean,
  ) {
    this.coverage = collectCoverage ? new Coverage() : undefined;
  }

  add(block: BlockDone): void {
    this.waiting.set(block.from, block);
    for (let b = this.waiting.get(this.next); b !== undefined; b = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      this.next = b.to;
      if (!this.closed) this.merge(b);
    }
  }

  private merge(b: BlockDone): void {
    this.schedulesRun += b.schedulesRun;
    this.totalSteps += b.totalSteps;
    this.violations += b.violations;
    for (const k of OUTCOMES) this.outcomes[k] += b.outcomes[k];
    if (b.coverage !== undefined) this.coverage?.absorb(b.coverage);
    this.first ??= b.first;
    if (this.stopOnViolation && b.first !== undefined) this.closed = true;
  }

  /** The merged sums (every block handed out must have been added). */
  result(): MergedBlocks {
    const { schedulesRun, totalSteps, outcomes, violations, first } = this;
    return { schedulesRun, totalSteps, outcomes, violations, ...(first !== undefined ? { first } : {}), coverage: this.coverage?.summary() };
  }
}

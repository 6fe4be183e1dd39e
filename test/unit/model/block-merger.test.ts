import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BlockMerger, type BlockDone } from '../../../src/model/block-merger.js';
import { emptyOutcomes } from '../../../src/model/explore.js';

const BLOCK = 4;

/** Block `k` of a check whose schedules in `violating` violate: a worker stops its block at the first of them when asked to. */
function block(k: number, violating: ReadonlySet<number>, stopOnViolation: boolean): BlockDone {
  const from = k * BLOCK;
  const outcomes = emptyOutcomes();
  let run = 0;
  let violations = 0;
  let firstIndex = -1;
  for (let i = from; i < from + BLOCK; i++) {
    run++;
    if (violating.has(i)) {
      violations++;
      outcomes.violation++;
      if (firstIndex < 0) firstIndex = i;
      if (stopOnViolation) break;
    } else outcomes.quiescent++;
  }
  const first = firstIndex < 0 ? undefined : { violation: { kind: 'safety' as const, source: 'spec', message: `at ${firstIndex}`, step: 1, timeMs: 0 }, choices: [firstIndex], steps: 1, faults: 0, runSeed: firstIndex, index: firstIndex, atMs: 0 };
  return { from, to: from + BLOCK, schedulesRun: run, totalSteps: run * 10, outcomes, violations, more: true, coverage: undefined, ...(first !== undefined ? { first } : {}) };
}

test('blocks merged in any arrival order give the one-thread sums: up to the lowest violating schedule, or all of them', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 12 }), fc.uniqueArray(fc.integer({ min: 0, max: 47 }), { maxLength: 4 }), fc.boolean(), fc.integer(), (blocks, bad, stop, seed) => {
      const violating = new Set(bad);
      const order = Array.from({ length: blocks }, (_, k) => k);
      // A deterministic shuffle from the seed (arrival order of the workers' answers).
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.abs(seed ^ (i * 0x9e3779b1)) % (i + 1);
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      const merger = new BlockMerger(stop, false);
      for (const k of order) merger.add(block(k, violating, stop));
      const r = merger.result();
      const total = blocks * BLOCK;
      const inRange = [...violating].filter((i) => i < total).sort((a, b) => a - b);
      const lowest = inRange[0];
      const expectedRun = stop && lowest !== undefined ? lowest + 1 : total;
      assert.equal(r.schedulesRun, expectedRun);
      assert.equal(r.totalSteps, expectedRun * 10);
      assert.equal(r.first?.index, lowest);
      assert.equal(r.violations, stop ? (lowest !== undefined ? 1 : 0) : inRange.length);
      assert.equal(r.outcomes.violation + r.outcomes.quiescent, expectedRun);
    }),
  );
});

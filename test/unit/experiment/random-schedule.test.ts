import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { RandomScheduleSpec } from '../../../src/experiment/experiment.js';
import { planRandomSchedule } from '../../../src/experiment/random-schedule.js';
import { experimentWithLine as w, parseExperimentText } from './fixtures.js';

const TARGETS = ['controller', 'leader:t1', 'n2', 'coordinator:g'];

function spec(forMs: number, min: number, max: number, seed?: number): RandomScheduleSpec {
  return {
    forMs,
    intervalMs: { min, max },
    faults: [
      { fields: { kind: 'kill' }, needsTarget: true },
      { fields: { kind: 'pause' }, needsTarget: true },
      { fields: { kind: 'partition', shape: 'halves' }, needsTarget: false },
    ],
    targets: TARGETS,
    ...(seed !== undefined ? { seed } : {}),
  };
}

const specs = fc
  .record({ forMs: fc.integer({ min: 200, max: 600_000 }), min: fc.integer({ min: 100, max: 5000 }), spread: fc.integer({ min: 0, max: 5000 }) })
  .map(({ forMs, min, spread }) => spec(forMs, min, min + spread));

test('same seed, same plan; another seed, another plan', () => {
  const plan = planRandomSchedule(spec(60_000, 500, 3000), 42);
  assert.deepEqual(planRandomSchedule(spec(60_000, 500, 3000), 42), plan);
  assert.notDeepEqual(planRandomSchedule(spec(60_000, 500, 3000), 43), plan);
  assert.ok(plan.length >= 10, `expected at least 10 faults in 60 s with intervals <= 3 s, got ${plan.length}`);
  fc.assert(fc.property(specs, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (s, seed) => {
    assert.deepEqual(planRandomSchedule(s, seed), planRandomSchedule(s, seed));
  }), { numRuns: 100 });
});

test('property: every planned fault fires and heals inside forMs, in order, intervals within bounds, targets from the list', () => {
  fc.assert(fc.property(specs, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (s, seed) => {
    const plan = planRandomSchedule(s, seed);
    let previousHealMs = 0;
    plan.forEach((planned, index) => {
      assert.equal(planned.index, index);
      const quietMs = planned.atMs - previousHealMs;
      const heldMs = planned.healAtMs - planned.atMs;
      assert.ok(quietMs >= s.intervalMs.min && quietMs <= s.intervalMs.max, `quiet ${quietMs}`);
      assert.ok(heldMs >= s.intervalMs.min && heldMs <= s.intervalMs.max, `held ${heldMs}`);
      assert.ok(planned.healAtMs <= s.forMs);
      const template = s.faults[planned.template];
      assert.ok(template !== undefined);
      if (template.needsTarget) assert.ok(planned.target !== undefined && TARGETS.includes(planned.target));
      else assert.equal(planned.target, undefined);
      assert.equal(planned.fault.kind, template.fields['kind']);
      previousHealMs = planned.healAtMs;
    });
  }), { numRuns: 300 });
});

test('every template and every target gets drawn over a long schedule', () => {
  const plan = planRandomSchedule(spec(600_000, 100, 500), 7);
  assert.deepEqual(new Set(plan.map((p) => p.template)), new Set([0, 1, 2]));
  assert.deepEqual(new Set(plan.flatMap((p) => (p.target === undefined ? [] : [p.target]))), new Set(TARGETS));
});

test('a schedule read from a file plans faults the nemesis accepts, with their targets parsed', () => {
  const text = w('  - wait: { ms: 5000 }', '  - random: { forMs: 20000, intervalMs: { min: 1000, max: 2000 }, faults: [{ kind: restart, restartMode: kill }], targets: [controller, "leader:t1"], seed: 9 }');
  const step = parseExperimentText(text).variants[0]?.experiment.method[3];
  assert.ok(step?.kind === 'random');
  assert.equal(step.schedule.seed, 9);
  const plan = planRandomSchedule(step.schedule, step.schedule.seed ?? 1);
  assert.ok(plan.length >= 4);
  for (const planned of plan) {
    const expected = planned.target === 'controller' ? { kind: 'controller' } : { kind: 'leader', topic: 't1', partition: 0 };
    assert.deepEqual(planned.fault, { kind: 'restart', restartMode: 'kill', target: expected });
  }
});

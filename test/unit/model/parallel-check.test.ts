import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkModel, checkModelParallel, findModel, type CheckResult } from '../../../src/model/index.js';
import { UsageError } from '../../../src/errors.js';
import { fnv, type RunDigestSet } from './run-digests.js';

const FIXTURE_URL = new URL('../../../../test/fixtures/model/run-digests.json', import.meta.url);
const FIXTURE = JSON.parse(readFileSync(FIXTURE_URL, 'utf8')) as Record<string, RunDigestSet>;

/** Everything of a result that must not depend on the worker count (all but the timings). */
function explored(r: CheckResult): Record<string, unknown> {
  const v = r.violation;
  return {
    schedulesRun: r.schedulesRun,
    totalSteps: r.totalSteps,
    outcomes: r.outcomes,
    violations: r.violations,
    coverage: r.coverage,
    violation: v === undefined ? undefined : { ...v.violation, index: v.scheduleIndex, runSeed: v.runSeed, choices: v.schedule.choices, steps: v.schedule.steps },
  };
}

test('F3 (random, seed 1): 1 and 2 workers stop at the same first violation after the same schedules', async () => {
  const options = { schedules: 2000, seed: 1, shrink: false, blockSchedules: 8 } as const;
  const one = await checkModelParallel('workload1-f3', { ...options, workers: 1 });
  const two = await checkModelParallel('workload1-f3', { ...options, workers: 2 });
  assert.ok(one.violation !== undefined, 'seed 1 finds the duplicate race within 2,000 schedules');
  assert.match(one.violation.violation.message, /duplicated/);
  assert.ok(one.schedulesRun < options.schedules, 'the check stopped at the violation');
  assert.deepEqual(explored(two), explored(one));
});

test('without stopping at a violation, 1 and 2 workers count the same violating schedules and report the lowest-index one', async () => {
  const options = { schedules: 400, seed: 1, shrink: false, stopOnViolation: false, blockSchedules: 16 } as const;
  const one = await checkModelParallel('workload1-f3-random', { ...options, workers: 1 });
  const two = await checkModelParallel('workload1-f3-random', { ...options, workers: 2 });
  assert.ok(one.violations > 1, `several of 400 schedules violate (got ${one.violations})`);
  assert.equal(one.schedulesRun, 400);
  assert.deepEqual(explored(two), explored(one));
});

test('workers explore the recorded digest schedules: steps, endings and the first violating schedule match the fixture', async () => {
  for (const model of ['workload1-base', 'workload1-f3-random', 'kafka-acks1-leader-isolated']) {
    for (const seed of [1, 7]) {
      const key = `${model} random ${seed}`;
      const runs = (FIXTURE[key]?.runs ?? []).map((line) => line.split(' '));
      assert.ok(runs.length > 0, key);
      const r = await checkModelParallel(model, { schedules: runs.length, seed, shrink: false, stopOnViolation: false, workers: 2, blockSchedules: 3 });
      assert.equal(r.schedulesRun, runs.length, key);
      assert.equal(r.totalSteps, runs.reduce((sum, x) => sum + Number(x[1]), 0), key);
      const violating = runs.findIndex((x) => x[0] === 'violation');
      assert.equal(r.violations, runs.filter((x) => x[0] === 'violation').length, key);
      assert.equal(r.violation?.scheduleIndex, violating < 0 ? undefined : violating, key);
      if (r.violation !== undefined) {
        const [, steps, , , length, hash] = runs[violating] ?? [];
        assert.deepEqual([r.violation.schedule.steps, r.violation.schedule.choices.length, fnv(r.violation.schedule.choices)], [Number(steps), Number(length), hash], key);
      }
    }
  }
});

test('one worker is the one-thread check', async () => {
  const options = { schedules: 50, seed: 3, shrink: false } as const;
  const model = findModel('workload1-f1').build({});
  assert.deepEqual(explored(await checkModelParallel('workload1-f1', { ...options, workers: 1 })), explored(checkModel(model, options)));
});

test('bad worker settings: one UsageError each, naming the field', async () => {
  await assert.rejects(checkModelParallel('workload1-base', { workers: 0 }), (e: unknown) => e instanceof UsageError && e.message.startsWith("workers: 0"));
  await assert.rejects(checkModelParallel('workload1-base', { workers: 2, strategy: 'pct' }), (e: unknown) => e instanceof UsageError && e.message.includes('strategy \'random\''));
  await assert.rejects(checkModelParallel('workload1-base', { workers: 2, blockSchedules: 0 }), (e: unknown) => e instanceof UsageError && e.message.startsWith("blockSchedules"));
});

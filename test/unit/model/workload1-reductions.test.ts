import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkModel,
  findModel,
  listModels,
  modelVersion,
  resolveParams,
} from '../../../src/model/index.js';
import { UsageError } from '../../../src/errors.js';
import { assertSavedScheduleReplays, reductionTree } from './reduction-support.js';

/** Replays per shrink: the reductions' searches and delta debugging on the small model, in about a second. */
const SHRINK_ATTEMPTS = 1000;
/** Wall time per shrink: generous, so the replay bound (not the machine's load) decides the result. */
const SHRINK_TIME_LIMIT_MS = 60_000;

/**
 * The PCT seed whose first violation each check shrinks. Seed 1 everywhere but where its first
 * violation is the livelock (the run hit its step bound) on the full-size F3 random-timing model:
 * that livelock is found on no smaller model within the bound (PCT starves the driver in about 2 of
 * 1,000 small runs), so it keeps its 32,000 steps; seed 5 finds the destination duplicate there.
 * `workload1` is the same model as `workload1-f3`.
 */
const SEEDS: Readonly<Record<string, number>> = { 'workload1-f3-random': 5, 'workload1-f3-random-routing': 5 };
const SAME_MODEL_AS: Readonly<Record<string, string>> = { workload1: 'workload1-f3' };

const violationEntries = () => listModels().filter((e) => e.name.startsWith('workload1') && e.expect === 'violation' && SAME_MODEL_AS[e.name] === undefined);

function checkAndReplay(name: string, seed: number, dir: string): { original: number; steps: number; params: Readonly<Record<string, string>> } {
  const entry = findModel(name);
  const params = resolveParams(entry, {});
  const r = checkModel(entry.build(params), { strategy: 'pct', schedules: 300, seed, params, shrinkAttempts: SHRINK_ATTEMPTS, shrinkTimeLimitMs: SHRINK_TIME_LIMIT_MS, coverage: false });
  const v = r.violation;
  assert.ok(v?.shrink !== undefined && v.shrunk !== undefined, `${name}: a violation, shrunk`);
  assert.match(v.violation.message, new RegExp(entry.expectedViolation ?? 'unset'), name);
  assert.ok(v.shrink.attempts <= SHRINK_ATTEMPTS, `${name}: ${v.shrink.attempts} replays`);

  assertSavedScheduleReplays(entry, v.shrunk, v.violation, v.shrink.steps, dir);
  return { original: v.shrink.original.steps, steps: v.shrink.steps, params: v.shrunk.params };
}

test('every Workload1 violation shrinks to at most half its steps on a smaller model, and the saved schedule replays on the rebuilt model', () => {
  const entries = violationEntries();
  assert.ok(entries.length >= 12, entries.map((e) => e.name).join(', '));
  const dir = mkdtempSync(join(tmpdir(), 'faultline-workload1-reductions-'));
  try {
    for (const entry of entries) {
      const { original, steps, params } = checkAndReplay(entry.name, SEEDS[entry.name] ?? 1, dir);
      assert.ok(2 * steps <= original, `${entry.name}: ${original} -> ${steps} steps`);
      // Fewer records per batch than P's 50: the smaller model's sizes are in the saved parameters.
      assert.ok(Number(params['batch-size']) < 50, `${entry.name}: ${JSON.stringify(params)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a livelock (the run hit its step bound) shrinks when a smaller model livelocks too: its bound is smaller', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-workload1-livelock-'));
  try {
    const { original, steps } = checkAndReplay('workload1-f3-random-routing', 6, dir);
    assert.equal(original, findModel('workload1-f3-random-routing').build({}).maxSteps, 'the livelock runs to the full model bound');
    assert.ok(2 * steps <= original, `${original} -> ${steps} steps`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a Workload1 reduction is what the registry builds from its parameters (same model version), smaller, in whole Kafka batches per region', () => {
  for (const name of ['workload1-f3', 'workload1-base-ordered', 'workload1-f3-random-routing']) {
    const entry = findModel(name);
    const params = resolveParams(entry, {});
    const tree = reductionTree(entry.build(params), 2);
    assert.ok(tree.length >= 6, `${name}: ${tree.length} reductions`);
    for (const { params: reduced, model } of tree) {
      const merged = resolveParams(entry, { ...params, ...reduced });
      assert.equal(modelVersion(entry.build(merged), merged), modelVersion(model, merged), `${name} ${JSON.stringify(reduced)}`);
      const [batchSize, kafkaBatch] = [Number(merged['batch-size']), Number(merged['kafka-batch'])];
      const perRegion = name === 'workload1-f3-random-routing' ? kafkaBatch : 2 * kafkaBatch;
      assert.equal(batchSize % perRegion, 0, `${name} ${JSON.stringify(reduced)}`);
      assert.ok(model.maxSteps < entry.build(params).maxSteps || Number(merged['order-keys']) < Number(params['order-keys']) || kafkaBatch < Number(params['kafka-batch']), `${name} ${JSON.stringify(reduced)} is smaller`);
    }
  }
});

test('the sizes are registry parameters with P defaults; bad values give one error naming the parameter', () => {
  const f3 = findModel('workload1-f3');
  assert.deepEqual(resolveParams(f3, {}), { 'batch-size': '50', 'kafka-batch': '5' });
  assert.deepEqual(resolveParams(findModel('workload1-base-ordered'), {}), { 'batch-size': '50', 'kafka-batch': '5', 'order-keys': '5' });
  assert.equal(resolveParams(findModel('workload1-f3-random-routing'), {})['kafka-batch'], '1');
  for (const [given, pattern] of [
    [{ 'batch-size': '0' }, /^model workload1-f3: batch-size must be a whole number from 1 to 500, got '0'$/],
    [{ 'kafka-batch': 'five' }, /^model workload1-f3: kafka-batch must be a whole number from 1 to 50, got 'five'$/],
    [{ 'order-keys': '3' }, /^model workload1-f3 has no parameter 'order-keys' \(known: batch-size, kafka-batch\)$/],
  ] as const) {
    assert.throws(() => resolveParams(f3, given), (e: unknown) => e instanceof UsageError && pattern.test(e.message));
  }
  assert.throws(
    () => f3.build(resolveParams(f3, { 'batch-size': '15' })),
    (e: unknown) => e instanceof UsageError && e.message === "model workload1-f3: batch-size must be a multiple of 10 (2 x kafka-batch 5: each region gets whole Kafka batches), got '15'",
  );
  // A smaller model that loses nothing passes: the reductions do not make violations of their own.
  const small = f3.build(resolveParams(f3, { 'batch-size': '10' }));
  assert.equal(small.maxSteps, 2000 + 30 * 200);
  const base = findModel('workload1-base');
  const r = checkModel(base.build(resolveParams(base, { 'batch-size': '2', 'kafka-batch': '1' })), { strategy: 'pct', schedules: 200, seed: 1, shrink: false, coverage: false });
  assert.equal(r.violation, undefined, r.violation?.violation.message);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { checkModel, checkScheduleVersion, executeRun, findModel, listModels, loadSchedule, makeStrategy, modelVersion, replaySchedule, resolveParams, type ModelDef, type StrategyName } from '../../../src/model/index.js';
import { workload1Model } from '../../../src/model/models/workload1.js';
import { UsageError } from '../../../src/errors.js';

/** dist/test/unit/model -> repository root (replay files are committed under scenarios/model/). */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SCENARIOS = listModels().filter((m) => m.name.startsWith('workload1'));
/** Schedules per strategy for a passing scenario: a few seconds at ~500-2,000 schedules/s. */
const PASS_SCHEDULES = 150;

test('every P test has a model scenario with P timing, and every failure test a random-timing variant', () => {
  const names = SCENARIOS.map((m) => m.name);
  for (const t of ['base', 'f1', 'f2', 'f3', 'f4', 'failover']) assert.ok(names.includes(`workload1-${t}`), t);
  for (const t of ['f1', 'f2', 'f3', 'f4', 'failover']) assert.ok(names.includes(`workload1-${t}-random`), t);
  for (const n of ['workload1-f4-idempotent', 'workload1-f4-random-idempotent', 'workload1-base-ordered', 'workload1-active-passive-ordered', 'workload1']) {
    assert.ok(names.includes(n), n);
  }
});

for (const entry of SCENARIOS.filter((m) => m.expect === 'pass')) {
  test(`${entry.name} passes: no violation under random and PCT schedules`, () => {
    const model = entry.build({});
    for (const strategy of ['random', 'pct'] as const) {
      const r = checkModel(model, { strategy, schedules: PASS_SCHEDULES, seed: 2026, shrink: false });
      assert.equal(r.violation, undefined, `${strategy}: ${r.violation?.violation.message}`);
      assert.equal(r.outcomes.quiescent, PASS_SCHEDULES, 'every run ends quiet with every record delivered');
    }
  });
}

for (const entry of SCENARIOS.filter((m) => m.expect === 'violation')) {
  test(`${entry.name} fails as expected; its replay file replays to the same violation`, () => {
    const pattern = new RegExp(entry.expectedViolation ?? 'unset');
    assert.ok(entry.replayFile !== undefined, 'a violating scenario names its replay file');
    const saved = loadSchedule(ROOT + entry.replayFile);
    assert.equal(saved.model, entry.name);
    // The saved parameters rebuild the (smaller) model the shrinker left the schedule on.
    const params = resolveParams(entry, saved.params);
    const model = entry.build(params);
    assert.equal(checkScheduleVersion(saved, modelVersion(model, params), entry.replayFile), 'same');
    const again = replaySchedule(model, saved);
    assert.equal(again.violation?.message, saved.violation?.message);
    assert.match(again.violation?.message ?? '', pattern);
    assert.equal(again.steps, saved.steps);
  });
}

/** Runs `schedules` schedules and returns every violation message (not only the first). */
function violations(model: ModelDef, strategyName: StrategyName, schedules: number): string[] {
  const strategy = makeStrategy(strategyName, 1, model.maxSteps);
  const out: string[] = [];
  for (let i = 0; i < schedules; i++) {
    strategy.beginRun(i);
    const r = executeRun(model, strategy, { maxSteps: model.maxSteps });
    strategy.endRun();
    if (r.violation !== undefined) out.push(r.violation.message);
  }
  return out;
}

test('a check finds the expected violation of the P-timing failure tests within a bounded number of schedules', () => {
  for (const name of ['workload1-f3', 'workload1-f4', 'workload1-failover', 'workload1-base-ordered', 'workload1-broken']) {
    const entry = findModel(name);
    const r = checkModel(entry.build({}), { strategy: 'pct', schedules: 300, seed: 1, shrink: false });
    assert.ok(r.violation !== undefined, `${name}: not found in 300 PCT schedules`);
    assert.match(r.violation.violation.message, new RegExp(entry.expectedViolation ?? 'unset'), name);
  }
});

test("learning #5: without de-duplication F4 duplicates records at outbound Kafka; with the idempotent option no duplicate anywhere", () => {
  const plain = violations(findModel('workload1-f4').build({}), 'pct', 400);
  assert.ok(plain.some((m) => m.includes('duplicated at outbound Kafka: copy 2, but inbound Kafka appended it 1 time')), plain.join('\n'));
  const idempotent = violations(findModel('workload1-f4-idempotent').build({}), 'pct', 400);
  assert.ok(idempotent.length > 0, 'the idempotent variant still has its liveness finding');
  assert.deepEqual(idempotent.filter((m) => m.includes('duplicated')), []);
  const inFlight = violations(findModel('workload1-f4-random-idempotent').build({}), 'random', 200);
  assert.ok(inFlight.length > 0);
  assert.deepEqual(inFlight.filter((m) => m.includes('duplicated')), []);
});

test('learning #4: order per key fails active-active and holds active-passive', () => {
  const active = checkModel(findModel('workload1-base-ordered').build({}), { strategy: 'random', schedules: 20, seed: 3, shrink: false });
  assert.match(active.violation?.violation.message ?? '', /^order: record \d+ \(key \d\) reached the destination after record \d+, which was published later$/);
  const passive = checkModel(findModel('workload1-active-passive-ordered').build({}), { strategy: 'pct', schedules: PASS_SCHEDULES, seed: 3, shrink: false });
  assert.equal(passive.violation, undefined);
});

test('learning #6: without re-publishing, F4 loses the records the source could not publish', () => {
  const r = checkModel(findModel('workload1-f4-no-republish').build({}), { strategy: 'random', schedules: 50, seed: 1, shrink: false });
  assert.match(r.violation?.violation.message ?? '', /not delivered: records [\d,-]+ never got past source/);
});

test('coverage: F1-F4 drive the containers through both failed states and P Kafka through FailedProcessing', () => {
  const r = checkModel(findModel('workload1-f4').build({}), { strategy: 'random', schedules: 100, seed: 5, shrink: false });
  const states = (name: string) => r.coverage?.find((c) => c.name === name)?.states ?? {};
  for (const s of ['FailedDependency', 'FailedProcessing']) {
    assert.ok((states('KafkaMongoKafkaContainer')[s] ?? 0) > 0, `processor ${s}`);
    assert.ok((states('APIMongoAPIContainer')[s] ?? 0) > 0, `receiver ${s}`);
    assert.ok((states('APIMongoKafkaContainer')[s] ?? 0) > 0, `validator ${s}`);
  }
  assert.ok((states('Kafka')['FailedProcessing'] ?? 0) > 0);
  assert.ok((states('MongoDBAtlas')['FailedProcessing'] ?? 0) > 0);
  const failover = checkModel(findModel('workload1-failover').build({}), { strategy: 'random', schedules: 20, seed: 5, shrink: false });
  assert.ok((failover.coverage?.find((c) => c.name === 'MongoDBAtlas')?.states['Region2Active'] ?? 0) > 0);
});

test('the base test works for other record set sizes and Kafka batch sizes', () => {
  for (const [batchSize, kafkaBatch] of [[10, 5], [7, 1], [12, 3]] as const) {
    const model = workload1Model('small', '', { test: 'base', batchSize, kafkaBatch, batches: 1 });
    const r = checkModel(model, { strategy: 'random', schedules: 100, seed: 1, shrink: false });
    assert.equal(r.violation, undefined, `${batchSize}/${kafkaBatch}: ${r.violation?.violation.message}`);
  }
  // P's Kafka never hands out a partial batch: 7 records alternated over two regions strand in Kafka.
  const stranded = checkModel(workload1Model('odd', '', { test: 'base', batchSize: 7, kafkaBatch: 2 }), { strategy: 'random', schedules: 5, seed: 1, shrink: false });
  assert.match(stranded.violation?.violation.message ?? '', /never got past inbound Kafka/);
});

test('bad options and unknown scenarios give one clear error', () => {
  assert.throws(() => workload1Model('x', '', { batchSize: 0 }), (e: unknown) => e instanceof UsageError && e.message === 'workload1 batchSize: must be a positive integer, got 0');
  assert.throws(() => workload1Model('x', '', { test: 'f1', batches: 2 }), /workload1 batches: the f1 test follows P's 3 batches, got 2/);
  assert.throws(() => findModel('workload1-f5'), (e: unknown) => e instanceof UsageError && /^unknown model 'workload1-f5'; did you mean .*workload1-f4/.test(e.message));
  assert.throws(() => findModel('nosuch'), (e: unknown) => e instanceof UsageError && e.message.startsWith("unknown model 'nosuch' (known: "));
});

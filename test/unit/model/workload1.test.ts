import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkModel, findModel, formatTrace, loadSchedule, replayFromSeed, replaySchedule, saveSchedule, type StrategyName } from '../../../src/model/index.js';
import { workload1Model } from '../../../src/model/models/workload1.js';
import { workload1Spec } from '../../../src/model/models/workload1-spec.js';
import { defineMachine, type ModelDef } from '../../../src/model/index.js';

const STRATEGIES: readonly StrategyName[] = ['random', 'pct', 'exhaustive'];

test('Workload1 (outbound Kafka of region 1 failed in batch 2) meets its spec over many schedules, every strategy', () => {
  const model = findModel('workload1').build({});
  for (const strategy of STRATEGIES) {
    const r = checkModel(model, { strategy, schedules: 400, seed: 2026 });
    assert.equal(r.violation, undefined, `${strategy}: ${r.violation?.violation.message}`);
    assert.equal(r.schedulesRun, 400);
    assert.equal(r.outcomes.quiescent, 400, 'every run ends quiet, all records delivered');
  }
});

test('Workload1 base case and random-subset failures meet the spec', () => {
  for (const name of ['workload1-base', 'workload1-random-failures']) {
    const r = checkModel(findModel(name).build({}), { strategy: 'random', schedules: 400, seed: 7 });
    assert.equal(r.violation, undefined, `${name}: ${r.violation?.violation.message}`);
  }
});

test('coverage: the failure scenario drives the processor through dependency failure', () => {
  const r = checkModel(findModel('workload1').build({}), { strategy: 'random', schedules: 50, seed: 1 });
  const processor = r.coverage?.find((c) => c.name === 'KafkaMongoKafkaContainer');
  assert.ok(processor !== undefined);
  assert.ok((processor.states['DependencyFailure'] ?? 0) > 0);
  assert.ok((processor.transitions['WritingOut -> DependencyFailure'] ?? 0) > 0);
  const base = checkModel(findModel('workload1-base').build({}), { strategy: 'random', schedules: 50, seed: 1 });
  assert.deepEqual(base.coverage?.find((c) => c.name === 'KafkaMongoKafkaContainer')?.unvisited, ['DependencyFailure']);
});

test('the broken processor is caught by every strategy; its shrunk schedule replays to the same violation', () => {
  const model = findModel('workload1-broken').build({});
  for (const strategy of STRATEGIES) {
    const r = checkModel(model, { strategy, schedules: 500, seed: 99, shrinkTimeLimitMs: 5000 });
    const v = r.violation;
    assert.ok(v !== undefined, `${strategy} missed the planted bug`);
    assert.equal(v.violation.kind, 'liveness');
    assert.equal(v.violation.source, 'Workload1Spec');
    // The spec names the ids, not just a count.
    assert.match(v.violation.message, /not delivered: records [\d,-]+ never got past/);
    assert.ok(v.shrunk !== undefined && v.shrink !== undefined);
    assert.ok(v.shrink.steps <= v.shrink.original.steps && v.shrink.faults <= v.shrink.original.faults);
    const again = replaySchedule(model, v.shrunk);
    assert.equal(again.violation?.kind, v.violation.kind);
    assert.equal(again.violation.message, v.violation.message);
    assert.equal(again.steps, v.shrunk.steps);
    assert.match(v.mermaid, /FAULT fail OutboundKafka1/);
  }
});

test('the bug is also caught when the scheduler chooses the failing components', () => {
  const model = findModel('workload1-broken-random-failures').build({});
  for (const strategy of STRATEGIES) {
    const r = checkModel(model, { strategy, schedules: 2000, seed: 4, shrinkTimeLimitMs: 3000 });
    assert.equal(r.violation?.violation.kind, 'liveness', strategy);
    const again = replaySchedule(model, r.violation.shrunk ?? r.violation.schedule);
    assert.equal(again.violation?.message, r.violation.violation.message);
  }
});

test('replay is exact: from a run seed and from a saved schedule file', () => {
  const model = findModel('workload1-broken').build({});
  const r = checkModel(model, { strategy: 'random', schedules: 100, seed: 5, shrink: false });
  const v = r.violation;
  assert.ok(v?.runSeed !== undefined);
  const a = replayFromSeed(model, v.runSeed);
  const b = replayFromSeed(model, v.runSeed);
  assert.equal(formatTrace(a.trace ?? []), formatTrace(b.trace ?? []));
  assert.equal(a.violation?.message, v.violation.message);
  assert.equal(formatTrace(a.trace ?? []), v.traceText);
  assert.deepEqual(a.choices, v.schedule.choices);

  const dir = mkdtempSync(join(tmpdir(), 'faultline-model-'));
  try {
    const file = join(dir, 's.json');
    saveSchedule(file, v.schedule);
    const c = replaySchedule(model, loadSchedule(file));
    assert.equal(formatTrace(c.trace ?? []), formatTrace(a.trace ?? []));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the base case works for other record set sizes', () => {
  const model = workload1Model('small', '', { scenario: 'base', batchSize: 7, chunkSize: 3, batches: 4 });
  const r = checkModel(model, { strategy: 'random', schedules: 100, seed: 1 });
  assert.equal(r.violation, undefined, r.violation?.violation.message);
});

/** A model whose only machine announces the given spec events in order. */
function announcing(events: readonly [string, unknown][]): ModelDef {
  const Player = defineMachine<{ Go: undefined }>()({
    name: 'Player',
    start: 'Play',
    vars: () => ({}),
    states: { Play: { entry: (ctx) => events.forEach(([e, p]) => ctx.announce(e, p)) } },
  });
  return {
    name: 'spec-only',
    description: '',
    maxSteps: 10,
    setup(ctx) {
      ctx.monitor(workload1Spec(1, 3));
      ctx.create(Player, undefined);
    },
  };
}

const allStages = (ids: number[]): [string, unknown][] => [1, 2, 3, 4, 5].map((stage) => ['Stage', { stage, ids }]);

test('the Workload1 spec tracks ids: duplicates, skipped stages, unknown ids, missing ids', () => {
  const run = (events: [string, unknown][]) => checkModel(announcing(events), { strategy: 'random', schedules: 1, shrink: false }).violation?.violation;
  assert.equal(run([['Published', { batch: 0 }], ...allStages([0, 1, 2]), ['Delivered', { ids: [0, 1, 2] }]]), undefined);
  assert.equal(run([['Published', { batch: 0 }], ...allStages([0, 1, 2]), ['Delivered', { ids: [0, 1] }], ['Delivered', { ids: [1] }]])?.message, 'record 1 duplicated at destination');
  assert.equal(run([['Published', { batch: 0 }], ['Stage', { stage: 3, ids: [2] }]])?.message, 'record 2 reached inbound Kafka before validator MongoDB');
  assert.equal(run([['Published', { batch: 0 }], ['Stage', { stage: 1, ids: [7] }]])?.message, 'unexpected record id 7 at receiver MongoDB');
  const missing = run([['Published', { batch: 0 }], ...allStages([0, 1, 2]), ['Delivered', { ids: [0, 2] }]]);
  assert.equal(missing?.kind, 'liveness');
  assert.match(missing.message, /1 of 3 not delivered: records 1 never got past outbound Kafka/);
});

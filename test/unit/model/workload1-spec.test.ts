import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkModel, defineMachine, type ModelDef } from '../../../src/model/index.js';
import { Stage, workload1Spec } from '../../../src/model/models/workload1-spec.js';

/** A model whose only machine announces the given spec events in order. */
function announcing(events: readonly [string, unknown][], orderKeys = 0): ModelDef {
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
      ctx.monitor(workload1Spec({ records: 3, orderKeys }));
      ctx.create(Player, undefined);
    },
  };
}

const publish = (ids: number[]): [string, unknown][] => ids.map((id) => ['Published', { id }]);
const replicas = (db: number, ids: number[]): [string, unknown][] => [1, 2, 3].flatMap((region) => ids.map((id): [string, unknown] => ['Replica', { db, region, id }]));
const stages = (ids: number[], from = 1, to = 5): [string, unknown][] => {
  const out: [string, unknown][] = [];
  for (let stage = from; stage <= to; stage++) out.push(['Stage', { stage, ids }]);
  return out;
};
const happy = (ids: number[]): [string, unknown][] => [...publish(ids), ...stages(ids), ...replicas(0, ids), ...replicas(1, ids), ...replicas(2, ids)];
const run = (events: [string, unknown][], orderKeys = 0) =>
  checkModel(announcing(events, orderKeys), { strategy: 'random', schedules: 1, shrink: false, coverage: false }).violation?.violation;

test('the Workload1 spec passes a clean run and names ids in its findings', () => {
  assert.equal(run([...happy([1, 2, 3]), ['Delivered', { ids: [1, 2, 3] }]]), undefined);
  assert.equal(run([...publish([1]), ['Stage', { stage: Stage.InboundKafka, ids: [1] }]])?.message, 'record 1 reached inbound Kafka before validator MongoDB');
  assert.equal(run([...publish([1]), ['Stage', { stage: Stage.ReceiverDb, ids: [7] }]])?.message, 'unexpected record id 7 at receiver MongoDB');
  const missing = run([...happy([1, 2, 3]), ['Delivered', { ids: [1, 3] }]]);
  assert.equal(missing?.kind, 'liveness');
  assert.match(missing.message, /1 of 3 not delivered: records 2 never got past outbound Kafka$/);
});

test('duplicates at every copy-carrying stage, measured against the copies upstream handed on', () => {
  // A second publish allows a second inbound Kafka append; re-writes to MongoDB are upserts.
  assert.equal(run([...happy([1, 2, 3]), ...publish([2]), ...stages([2], 1, 3), ['Delivered', { ids: [1, 2, 3] }]]), undefined);
  assert.equal(run([...happy([1, 2, 3]), ['Stage', { stage: Stage.InboundKafka, ids: [2] }]])?.message, 'record 2 duplicated at inbound Kafka: copy 2, but source published it 1 time(s)');
  assert.equal(run([...happy([1, 2, 3]), ['Stage', { stage: Stage.OutboundKafka, ids: [3] }]])?.message, 'record 3 duplicated at outbound Kafka: copy 2, but inbound Kafka appended it 1 time(s)');
  assert.equal(run([...happy([1, 2, 3]), ['Delivered', { ids: [1, 2, 3] }], ['Delivered', { ids: [2] }]])?.message, 'record 2 duplicated at destination: copy 2, but outbound Kafka appended it 1 time(s)');
});

test('order per key at the destination (key = id mod orderKeys)', () => {
  const events = [...happy([1, 2, 3]), ['Delivered', { ids: [3, 2, 1] }]] as [string, unknown][];
  assert.equal(run(events, 0), undefined);
  // Keys mod 2: 1 and 3 share key 1, so 1 after 3 breaks the order; 2 is alone in key 0.
  assert.equal(run(events, 2)?.message, 'order: record 1 (key 1) reached the destination after record 3, which was published later');
});

test('liveness covers regional replication: every stored id in all three regions', () => {
  const noRegion3 = [...publish([1, 2, 3]), ...stages([1, 2, 3]), ...replicas(1, [1, 2, 3]), ...replicas(2, [1, 2, 3])];
  noRegion3.push(...[1, 2].flatMap((region) => [1, 2, 3].map((id): [string, unknown] => ['Replica', { db: 0, region, id }])));
  const v = run([...noRegion3, ['Delivered', { ids: [1, 2, 3] }]]);
  assert.equal(v?.kind, 'liveness');
  assert.match(v.message, /0 of 3 not delivered; replicas: receiver MongoDB region 3 lacks records 1-3$/);
});

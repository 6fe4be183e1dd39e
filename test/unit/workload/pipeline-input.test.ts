import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pipelineInputRecords } from '../../../src/workload/pipeline-input.js';

/** Every value the producers send: producer i sends seq 0..count-1. */
function allValues(shape: Parameters<typeof pipelineInputRecords>[0], count: number): string[] {
  const records = pipelineInputRecords(shape);
  const out: string[] = [];
  for (let i = 0; i < shape.producers; i++) for (let seq = 0; seq < count; seq++) out.push(records.value(i, seq));
  return out;
}

const idOf = (value: string): number => Number(value.startsWith('!') ? value.slice(1) : value);

test('values: decimal ids, every id from 0 below count x producers exactly once across producers', () => {
  const values = allValues({ keys: 10, poisonEvery: 0, producers: 3, process: 'in' }, 5);
  assert.deepEqual(values.slice(0, 5), ['0', '3', '6', '9', '12'], 'producer 0 sends 0, P, 2P, ...');
  assert.deepEqual(values.slice(5, 10), ['1', '4', '7', '10', '13']);
  assert.deepEqual(values.map(idOf).sort((a, b) => a - b), Array.from({ length: 15 }, (_, i) => i));
});

test('property: ids unique and dense for any producers and count; poison exactly where id mod N == N - 1', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 12 }), (producers, count, poisonEvery) => {
    const values = allValues({ keys: 7, poisonEvery, producers, process: 'in' }, count);
    const ids = values.map(idOf);
    assert.equal(new Set(ids).size, producers * count);
    assert.equal(Math.max(...ids), producers * count - 1);
    for (const value of values) {
      const id = idOf(value);
      assert.equal(value, poisonEvery > 0 && id % poisonEvery === poisonEvery - 1 ? `!${id}` : String(id));
    }
  }), { numRuns: 200 });
});

test('poison every N: ids N-1, 2N-1, ... as !<id>; 0: none; 1: every record', () => {
  const values = allValues({ keys: 10, poisonEvery: 5, producers: 1, process: 'in' }, 12);
  assert.deepEqual(values.filter((v) => v.startsWith('!')), ['!4', '!9']);
  assert.equal(allValues({ keys: 10, poisonEvery: 0, producers: 2, process: 'in' }, 50).some((v) => v.startsWith('!')), false);
  assert.ok(allValues({ keys: 10, poisonEvery: 1, producers: 2, process: 'in' }, 5).every((v) => v.startsWith('!')));
});

test('keys: k<id mod keys>, a poison record keyed by its id too; payload the value as UTF-8; one process name for every producer', () => {
  const records = pipelineInputRecords({ keys: 4, poisonEvery: 3, producers: 2, process: 'in' });
  assert.equal(records.key('17'), 'k1');
  assert.equal(records.key('!17'), 'k1');
  assert.equal(records.key('0'), 'k0');
  assert.equal(records.key('!3'), 'k3');
  assert.equal(pipelineInputRecords({ keys: 1, poisonEvery: 0, producers: 1, process: 'in' }).key('123'), 'k0');
  assert.deepEqual(records.payload('!17'), Buffer.from('!17', 'utf8'));
  assert.deepEqual(records.payload('42'), Buffer.from([0x34, 0x32]));
  assert.deepEqual([0, 1].map((i) => records.process?.(i)), ['in', 'in']);
});

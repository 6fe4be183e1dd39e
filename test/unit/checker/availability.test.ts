import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAvailability } from '../../../src/checker/availability.js';
import type { JournalRecord } from '../../../src/history/operation.js';

const invoke = (timeMs: number, value: string): JournalRecord => ({ kind: 'op', type: 'invoke', f: 'send', process: 'p0', value, timeMs });
const ok = (timeMs: number, value: string): JournalRecord => ({ kind: 'op', type: 'ok', f: 'send', process: 'p0', value, timeMs, partition: 0, offset: 0 });
const info = (timeMs: number, value: string): JournalRecord => ({ kind: 'op', type: 'info', f: 'send', process: 'p0', value, timeMs, error: { code: -192, message: 'timed out' } });
const fault = (timeMs: number, faultId: string): JournalRecord => ({ kind: 'event', timeMs, event: 'fault-start', faultId, fault: 'kill' });

test('recovery: from the fault to the ack of the first write sent after it; in-flight acks do not count', () => {
  const verdict = checkAvailability([
    invoke(0, 'a'), ok(5, 'a'),
    invoke(10, 'b'),
    fault(20, 'f1'),
    ok(25, 'b'), // sent before the fault: not a recovery
    invoke(30, 'c'), info(4030, 'c'),
    invoke(4100, 'd'), ok(6020, 'd'),
  ]);
  assert.deepEqual(verdict.recoveryMs, { f1: 6000 });
  assert.equal(verdict.acknowledged, 3);
  assert.equal(verdict.longestGapMs, 5995);
  assert.equal(verdict.gapStartMs, 25);
});

test('a tail where nothing is acknowledged any more is a gap; no recovery is null', () => {
  const verdict = checkAvailability([invoke(0, 'a'), ok(10, 'a'), fault(50, 'f2'), invoke(60, 'b'), info(10_060, 'b')]);
  assert.equal(verdict.longestGapMs, 10_050);
  assert.equal(verdict.gapStartMs, 10);
  assert.deepEqual(verdict.recoveryMs, { f2: null });
});

test('without sends there is no gap; reads do not count as acknowledgements', () => {
  assert.equal(checkAvailability([]).longestGapMs, null);
  const verdict = checkAvailability([invoke(0, 'a'), ok(100, 'a'), { kind: 'op', type: 'ok', f: 'read', process: 'r0', value: 'a', timeMs: 900, partition: 0, offset: 0 }]);
  assert.equal(verdict.acknowledged, 1);
  assert.equal(verdict.longestGapMs, 100);
});

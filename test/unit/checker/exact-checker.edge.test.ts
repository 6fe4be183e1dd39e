import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkHistory } from '../../../src/checker/check-history.js';
import { formatVerdictText } from '../../../src/checker/report-text.js';
import type { JournalRecord, OpRecord, ReadBackRecord, SampleRecord } from '../../../src/history/operation.js';

const meta: JournalRecord = { kind: 'meta', timeMs: 0, formatVersion: 1, startedAt: '2025-01-01T00:00:00.000Z', run: 'edge', topic: 't', acks: '1' };
const readStart: OpRecord = { kind: 'op', type: 'invoke', f: 'read', process: 'r0', value: '', timeMs: 100 };
const send = (value: string, type: OpRecord['type'], partition?: number, offset?: number): OpRecord[] => {
  const done: OpRecord = { kind: 'op', type, f: 'send', process: value.split('-')[0] ?? 'p', value, timeMs: 2 };
  if (partition !== undefined) done.partition = partition;
  if (offset !== undefined) done.offset = offset;
  return [{ kind: 'op', type: 'invoke', f: 'send', process: 'p', value, timeMs: 1 }, done];
};
const read = (value: string, partition: number, offset: number): OpRecord => ({ kind: 'op', type: 'ok', f: 'read', process: 'r0', value, timeMs: 101, partition, offset });
/** The read-back's end record for partition 0: reached `endOffset`, or stopped short of it. */
const readEnd = (endOffset: number, reachedEnd = true): ReadBackRecord => ({ kind: 'read-back', timeMs: 150, process: 'r0', topic: 't', partitions: [{ partition: 0, startOffset: 0, endOffset, read: 0, reachedEnd }] });
const sample = (hw: number, topic = 't'): SampleRecord => ({ kind: 'sample', timeMs: 99, topic, partitions: [{ partition: 0, leader: 1, isr: [1], highWatermark: hw }] });

test('empty topic: nothing sent, read back to the end (offset 0): valid, and the evidence says nothing was sent', () => {
  const v = checkHistory([meta, sample(0), readStart, readEnd(0)]);
  assert.equal(v.verdict, 'valid');
  assert.equal(v.valid, true);
  assert.equal(v.evidence, 'nothing sent; read back to the end offsets of 1 partition: 0 records');
  assert.equal(v.counts.sent, 0);
  assert.deepEqual(v.partitions, [{ partition: 0, acknowledged: 0, acknowledgedWithOffset: 0, readBack: 0, highWatermark: 0, highWatermarkMax: 0, ackedAboveHighWatermark: 0, highWatermarkAboveAcked: 0 }]);
});

test('an empty history is unknown, not valid: no evidence', () => {
  const v = checkHistory([]);
  assert.equal(v.verdict, 'unknown');
  assert.equal(v.valid, 'unknown');
  assert.equal(v.counts.records, 0);
  assert.match(v.evidence, /^no evidence: nothing sent and nothing read back$/);
  assert.deepEqual(v.reasons, ['no evidence: nothing acknowledged and nothing read back']);
});

test('nothing acknowledged and nothing read back: unknown, however many sends failed', () => {
  const v = checkHistory([meta, ...send('p0-000000', 'fail'), ...send('p0-000001', 'info'), sample(0)]);
  assert.equal(v.verdict, 'unknown');
  assert.equal(v.evidence, 'no evidence: nothing acknowledged (2 sent) and nothing read back');
});

test('acknowledged values all read back, but no read-back record (a format 1 journal): unknown', () => {
  const v = checkHistory([meta, ...send('p0-000000', 'ok', 0, 0), readStart, read('p0-000000', 0, 0)]);
  assert.equal(v.verdict, 'unknown');
  assert.match(v.reasons[0] ?? '', /not shown to reach the end offsets \(no read-back record/);
  assert.equal(v.evidence, '1 acknowledged value; read-back not shown complete (1 record read, no read-back record)');
  const complete = checkHistory([meta, ...send('p0-000000', 'ok', 0, 0), readStart, read('p0-000000', 0, 0), readEnd(1)]);
  assert.equal(complete.verdict, 'valid');
  assert.equal(complete.evidence, '1 acknowledged value; read back to the end offsets of 1 partition: 1 record');
});

test('a read-back record short of the end offsets: unknown even when every acknowledged value was read', () => {
  const v = checkHistory([meta, ...send('p0-000000', 'ok', 0, 0), readStart, read('p0-000000', 0, 0), readEnd(5, false)]);
  assert.equal(v.verdict, 'unknown');
  assert.match(v.reasons[0] ?? '', /did not reach the end offsets: values beyond where it stopped cannot be checked/);
  // A later complete read-back is the evidence.
  const again = checkHistory([meta, ...send('p0-000000', 'ok', 0, 0), readStart, read('p0-000000', 0, 0), readEnd(5, false), readEnd(1)]);
  assert.equal(again.verdict, 'valid');
});

test('missing acknowledged values without a read-back record are not called lost (unknown), with one they are (invalid)', () => {
  const records = [meta, ...send('p0-000000', 'ok', 0, 0), ...send('p0-000001', 'ok', 0, 1), readStart, read('p0-000000', 0, 0)];
  assert.equal(checkHistory(records).verdict, 'unknown');
  const v = checkHistory([...records, readEnd(2)]);
  assert.equal(v.verdict, 'invalid');
  assert.equal(v.valid, false);
  assert.deepEqual(v.reasons, ['1 acknowledged values lost (never read back)']);
});

test('acks=0: ok without offset; missing ones are lostUnconfirmed, not a violation; seed measure shows them', () => {
  const records = [meta, ...send('p0-000000', 'ok', 0), ...send('p0-000001', 'ok', 0), ...send('p0-000002', 'ok', 0), sample(2), readStart, read('p0-000000', 0, 0), read('p0-000001', 0, 1), readEnd(2)];
  const v = checkHistory(records);
  assert.equal(v.verdict, 'valid');
  assert.equal(v.counts.acknowledgedWithoutOffset, 3);
  assert.deepEqual(v.anomalies.lostUnconfirmed, [{ value: 'p0-000002', partition: 0, offset: null }]);
  assert.equal(v.anomalies.lost.length, 0);
  assert.equal(v.partitions[0]?.ackedAboveHighWatermark, 1);
});

test('all sends failed, read back to the end: valid, and the evidence says nothing was acknowledged', () => {
  const v = checkHistory([meta, ...send('p0-000000', 'fail'), ...send('p0-000001', 'fail'), sample(0), readStart, readEnd(0)]);
  assert.equal(v.verdict, 'valid');
  assert.equal(v.evidence, 'nothing acknowledged (2 sent); read back to the end offsets of 1 partition: 0 records');
  assert.equal(v.counts.failed, 2);
  assert.equal(v.counts.acknowledged, 0);
  assert.equal(v.anomalies.recovered.length, 0);
});

test('info sends: present ones are recovered (informational), absent ones are nothing', () => {
  const v = checkHistory([meta, ...send('p0-000000', 'info'), ...send('p0-000001', 'info'), readStart, read('p0-000001', 0, 0), readEnd(1)]);
  assert.equal(v.verdict, 'valid');
  assert.equal(v.counts.unknown, 2);
  assert.deepEqual(v.anomalies.recovered, [{ value: 'p0-000001', outcome: 'info', reads: [{ partition: 0, offset: 0 }] }]);
});

test('a send invoked but never completed counts as unknown; present means recovered with outcome none', () => {
  const invokeOnly: OpRecord = { kind: 'op', type: 'invoke', f: 'send', process: 'p0', value: 'p0-000000', timeMs: 1 };
  const v = checkHistory([meta, invokeOnly, readStart, read('p0-000000', 0, 0)]);
  assert.equal(v.counts.unknown, 1);
  assert.equal(v.anomalies.recovered[0]?.outcome, 'none');
});

test('the seed measure: acknowledged above high watermark, per partition, from the last sample of the run topic', () => {
  const records = [meta, ...send('p0-000000', 'ok', 0, 0), ...send('p0-000001', 'ok', 0, 1), ...send('p0-000002', 'ok', 0, 2), sample(3), sample(1), sample(9, 'other'), readStart, read('p0-000000', 0, 0), readEnd(1)];
  const v = checkHistory(records);
  assert.equal(v.partitions[0]?.highWatermark, 1);
  assert.equal(v.partitions[0].highWatermarkMax, 3);
  assert.equal(v.partitions[0].ackedAboveHighWatermark, 2);
  assert.ok(v.warnings.some((w) => w.includes('went back from 3 to 1')));
  assert.equal(v.verdict, 'invalid');
  assert.deepEqual(v.anomalies.lost.map((l) => [l.value, l.partition, l.offset]), [['p0-000001', 0, 1], ['p0-000002', 0, 2]]);
});

test('no read-back at all: unknown, not valid', () => {
  const v = checkHistory([meta, ...send('p0-000000', 'ok', 0, 0)]);
  assert.equal(v.verdict, 'unknown');
  assert.equal(v.valid, 'unknown');
  assert.equal(v.evidence, '1 acknowledged value; nothing read back');
});

test('a read-back that ended in info with missing values: unknown', () => {
  const readInfo: OpRecord = { kind: 'op', type: 'info', f: 'read', process: 'r0', value: '', timeMs: 200, error: { code: 'timeout', message: 'poll timed out' } };
  const v = checkHistory([meta, ...send('p0-000000', 'ok', 0, 0), readStart, readInfo]);
  assert.equal(v.verdict, 'unknown');
  assert.equal(v.anomalies.lost.length, 1);
  assert.ok(v.warnings.some((w) => w.includes('poll timed out')));
});

test('the same record read twice is a re-read, not a duplicate; allowDuplicates keeps the verdict valid', () => {
  const base = [meta, ...send('p0-000000', 'ok', 0, 0), readStart, read('p0-000000', 0, 0), read('p0-000000', 0, 0), readEnd(1)];
  const v = checkHistory(base);
  assert.equal(v.verdict, 'valid');
  assert.equal(v.counts.rereads, 1);
  const dup = [...base, read('p0-000000', 0, 5)];
  assert.equal(checkHistory(dup).verdict, 'invalid');
  const relaxed = checkHistory(dup, { allowDuplicates: true });
  assert.equal(relaxed.verdict, 'valid');
  assert.deepEqual(relaxed.anomalies.duplicate, [{ value: 'p0-000000', reads: [{ partition: 0, offset: 0 }, { partition: 0, offset: 5 }] }]);
});

test('values that do not follow <producer>-<seq> still work (no order check for them)', () => {
  const v = checkHistory([meta, ...send('hello world', 'ok', 0, 0), ...send('p1-7', 'ok', 0, 1), readStart, read('p1-7', 0, 1), read('p1-0007', 0, 2), read('hello world', 0, 0)]);
  assert.deepEqual(v.anomalies.unexpected.map((u) => u.value), ['p1-0007']);
  assert.equal(v.anomalies.lost.length, 0);
});

test('seq beyond the dense range uses the sparse map and keeps order checks', () => {
  const big = 50_000_000;
  const records = [meta, ...send(`p0-${big + 1}`, 'ok', 0, 0), ...send(`p0-${big}`, 'ok', 0, 1), readStart, read(`p0-${big + 1}`, 0, 0), read(`p0-${big}`, 0, 1)];
  const v = checkHistory(records);
  assert.deepEqual(v.anomalies.reordered, [{ value: `p0-${big + 1}`, partition: 0, offset: 0, precededBy: { value: `p0-${big}`, offset: 1 } }]);
});

test('text report lists the first N values and says how many more', () => {
  const records: JournalRecord[] = [meta, readStart, readEnd(15)];
  for (let i = 0; i < 15; i++) records.push(...send(`p0-${String(i).padStart(6, '0')}`, 'ok', 0, i));
  const text = formatVerdictText(checkHistory(records), 3);
  assert.match(text, /^INVALID/);
  assert.match(text, /lost: 15/);
  assert.match(text, /\.\.\. and 12 more/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { JournalFormatError, readJournal, scanJournal } from '../../../src/history/journal-reader.js';
import type { JournalRecord } from '../../../src/history/operation.js';
import { QUEUE_TXN_STEPS, type QueueMicroOp, type QueueOpRecord } from '../../../src/history/queue-op.js';
import { encodeRecord } from '../../../src/history/record-encode.js';
import { toJournalRecord } from '../../../src/history/record-validate.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'faultline-queue-format-'));

async function collect(path: string): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for await (const r of readJournal(path)) out.push(r);
  return out;
}

const nat = fc.nat(1_000_000);
const mopArb: fc.Arbitrary<QueueMicroOp> = fc.oneof(
  fc.record({ f: fc.constant('send' as const), partition: fc.nat(8), value: fc.integer(), offset: fc.option(nat, { nil: undefined }) }).map((m) => (m.offset === undefined ? { f: m.f, partition: m.partition, value: m.value } : m)),
  fc.record({ f: fc.constant('poll' as const), partitions: fc.array(fc.record({ partition: fc.nat(8), records: fc.array(fc.tuple(nat, fc.integer()), { maxLength: 4 }) }), { maxLength: 3 }) }),
  fc.record({ f: fc.constant('send-offsets' as const), offsets: fc.array(fc.record({ partition: fc.nat(8), offset: nat }), { maxLength: 3 }) }),
);
/** The optional producer fields (format 3 journals without them stay readable). */
const producerArb = fc.option(fc.record({ transactionalId: fc.string({ minLength: 1, maxLength: 5 }), incarnation: fc.integer({ min: 1, max: 9 }), failedStep: fc.constantFrom(...QUEUE_TXN_STEPS) }), { nil: undefined });
const queueOpArb: fc.Arbitrary<QueueOpRecord> = fc
  .record({ type: fc.constantFrom('invoke', 'ok', 'fail', 'info' as const), process: fc.string({ maxLength: 5 }), timeMs: fc.double({ min: 0, max: 1e7, noNaN: true }), mops: fc.array(mopArb, { maxLength: 4 }), producer: producerArb })
  .map((o) => ({ kind: 'queue', type: o.type, f: 'txn', process: o.process, timeMs: o.timeMs, mops: o.mops, ...o.producer }));

test('queue ops round-trip through the encoder and the reader', async () => {
  const dir = tmp();
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(queueOpArb, { maxLength: 20 }), async (ops) => {
        const path = join(dir, 'h.jsonl');
        writeFileSync(path, ops.map((o) => encodeRecord(o) + '\n').join(''));
        assert.deepEqual(await collect(path), JSON.parse(JSON.stringify(ops)));
      }),
      { numRuns: 50 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every queue function validates with its own fields', () => {
  const base = { kind: 'queue', type: 'ok', process: 'q0', timeMs: 1 };
  for (const r of [
    { ...base, f: 'assign', partitions: [0, 1], seekToBeginning: true },
    { ...base, f: 'subscribe', partitions: [0], rebalances: [{ assigned: [0], revoked: [] }] },
    { ...base, f: 'commit', offsets: [{ partition: 0, offset: 4 }] },
    { ...base, type: 'info', f: 'crash' },
    { ...base, type: 'invoke', f: 'poll' },
    { ...base, f: 'send', mops: [{ f: 'send', partition: 2, topic: 'out', key: 'k', value: -3, offset: 7 }] },
    { ...base, type: 'info', f: 'txn', mops: [], transactionalId: 'tx-q0', incarnation: 2, failedStep: 'send', error: { code: -144, message: 'fenced' } },
  ]) {
    assert.deepEqual(toJournalRecord(r), r);
  }
});

const malformed: [string, Record<string, unknown>, RegExp][] = [
  ['bad f', { f: 'frob' }, /queue: f must be one of txn/],
  ['ok txn without mops', { f: 'txn' }, /a txn ok needs mops/],
  ['send mop without value', { f: 'send', mops: [{ f: 'send', partition: 0 }] }, /mops\[0\]\.value must be an integer/],
  ['poll in a send', { f: 'send', mops: [{ f: 'poll', partitions: [] }] }, /mops\[0\]\.f must be one of send in a send/],
  ['negative offset', { f: 'poll', mops: [{ f: 'poll', partitions: [{ partition: 0, records: [[-1, 3]] }] }] }, /mops\[0\]\.partitions\[0\]\.records\[0\]\[0\] \(offset\) must be a whole number/],
  ['record not a pair', { f: 'poll', mops: [{ f: 'poll', partitions: [{ partition: 0, records: [[1]] }] }] }, /records\[0\] must be an \[offset, value\] pair/],
  ['fractional value', { f: 'txn', mops: [{ f: 'send', partition: 0, value: 1.5 }] }, /mops\[0\]\.value must be an integer/],
  ['assign without partitions', { f: 'assign' }, /queue: partitions must be an array/],
  ['commit offset missing', { f: 'commit', offsets: [{ partition: 0 }] }, /offsets\[0\]\.offset must be a whole number/],
  ['crash not info', { f: 'crash' }, /a crash is one info record/],
  ['rebalance revoked missing', { f: 'subscribe', partitions: [0], rebalances: [{ assigned: [0] }] }, /rebalances\[0\]\.revoked must be an array/],
  ['mops on assign', { f: 'assign', partitions: [0], mops: [] }, /mops are for txn, send and poll/],
  ['empty transactional id', { f: 'txn', mops: [], transactionalId: '' }, /queue: transactionalId must be a non-empty string/],
  ['incarnation 0', { f: 'txn', mops: [], transactionalId: 't', incarnation: 0 }, /queue: incarnation must be a whole number >= 1, with a transactionalId/],
  ['incarnation without a transactional id', { f: 'txn', mops: [], incarnation: 1 }, /queue: incarnation must be a whole number >= 1, with a transactionalId/],
  ['fractional incarnation', { f: 'txn', mops: [], transactionalId: 't', incarnation: 1.5 }, /queue: incarnation must be a whole number/],
  ['unknown failed step', { f: 'txn', mops: [], failedStep: 'flush' }, /queue: failedStep must be one of beginTransaction, poll, send/],
];

test('malformed queue ops give a positioned error naming the field', async () => {
  const dir = tmp();
  try {
    for (const [name, fields, message] of malformed) {
      const path = join(dir, 'h.jsonl');
      const good = encodeRecord({ kind: 'queue', type: 'ok', f: 'commit', process: 'q0', timeMs: 0, offsets: [] });
      writeFileSync(path, `${good}\n${JSON.stringify({ kind: 'queue', type: 'ok', process: 'q0', timeMs: 1, ...fields })}\n${good}\n`);
      await assert.rejects(collect(path), (e: unknown) => {
        assert.ok(e instanceof JournalFormatError, name);
        assert.equal(e.lineNumber, 2, name);
        assert.match(e.message, /h\.jsonl:2: /, name);
        assert.match(e.message, message, name);
        return true;
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a queue journal cut mid-line is read to its last complete line and says so', async () => {
  const dir = tmp();
  try {
    const path = join(dir, 'h.jsonl');
    const op: QueueOpRecord = { kind: 'queue', type: 'ok', f: 'send', process: 'q0', timeMs: 1, mops: [{ f: 'send', partition: 0, value: 1, offset: 0 }] };
    const line = encodeRecord(op);
    writeFileSync(path, `${line}\n${line.slice(0, 30)}`);
    const seen: JournalRecord[] = [];
    const summary = await scanJournal(path, { record: (r) => seen.push(r) });
    assert.deepEqual(seen, [op]);
    assert.equal(summary.truncatedTail?.lineNumber, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isProducerFencedError } from '../../../src/checker/queue-fencing.js';
import { QueueChecker } from '../../../src/checker/queue-checker.js';
import type { JournalRecord } from '../../../src/history/operation.js';
import { assign, drained, FENCED, meta, poll, sendMop, txn, txnOf } from './queue-examples.js';

/** Edge cases of G1b and zombie-write beyond the documentation examples (queue-examples.ts). */

function anomalies(records: JournalRecord[]): string[] {
  const c = new QueueChecker();
  records.forEach((r, i) => c.add(r, i + 1));
  return Object.keys(c.result().anomalies).sort();
}

const h = (...parts: (JournalRecord | JournalRecord[])[]): JournalRecord[] => [meta(), ...parts.flat()];
/** A txn of q0 (info, failed at `failedStep` with `error`) that sent 1 to p0 and 2 to p1 (offsets known). */
const torn = (failedStep: 'commitTransaction' | 'send', error = { code: -185, message: 'timed out' }): JournalRecord[] =>
  txnOf('q0', 1, [sendMop([0, 1, 0]), sendMop([1, 2, 0])], 'info', { transactionalId: 'tx', incarnation: 1 }, { failedStep, error });

test('G1b: an aborted txn partly visible is G1a only', () => {
  assert.deepEqual(anomalies(h(txn('q0', 1, [sendMop([0, 1, 0]), sendMop([1, 2, 0])], 'fail'), poll('q1', 2, { 0: [[0, 1]] }), drained(3, { 0: 1, 1: 1 }))), ['G1a']);
});

test('G1b needs the missing value definitely absent: its partition drained to the end, the value below the end offset', () => {
  const records = (drain: JournalRecord): JournalRecord[] => h(torn('commitTransaction'), poll('q1', 2, { 0: [[0, 1]] }), drain);
  assert.deepEqual(anomalies(records(drained(3, { 0: 1, 1: 1 }))), ['G1b']);
  // p1 not drained to its end: 2 may just not have been read yet.
  assert.deepEqual(anomalies(records({ ...drained(3, { 0: 1 }), partitions: [{ partition: 0, startOffset: 0, endOffset: 1, read: 1, reachedEnd: true }, { partition: 1, startOffset: 0, endOffset: 1, read: 0, reachedEnd: false }] })), []);
  // 2 at or beyond the drain's end offset of p1: written after the drain began.
  assert.deepEqual(anomalies(records(drained(3, { 0: 1, 1: 0 }))), []);
  // p1 deleted up to offset 1 (log start 1): 2 at offset 0 is gone by retention, not torn.
  assert.deepEqual(anomalies(records({ ...drained(3, { 0: 1 }), partitions: [{ partition: 0, startOffset: 0, endOffset: 1, read: 1, reachedEnd: true }, { partition: 1, startOffset: 1, endOffset: 1, read: 0, reachedEnd: true }] })), []);
  // No drain at all.
  assert.deepEqual(anomalies(h(torn('commitTransaction'), poll('q1', 2, { 0: [[0, 1]] }))), []);
});

test('G1b: every value of the txn visible, or none, is not torn', () => {
  assert.deepEqual(anomalies(h(torn('commitTransaction'), poll('q1', 2, { 0: [[0, 1]], 1: [[0, 2]] }), drained(3, { 0: 1, 1: 1 }))), []);
  assert.deepEqual(anomalies(h(torn('commitTransaction'), drained(3, { 0: 1, 1: 1 }))), []);
});

test('G1b: a send without an offset is absent only when the drain read its partition from 0 after the txn completed', () => {
  const offsetless = txnOf('q0', 1, [sendMop([0, 1, 0]), sendMop([1, 2])], 'info', {}, { failedStep: 'commitTransaction', error: { code: -185, message: 'timed out' } });
  const drainOps = [...assign('drain', 10, [0, 1], true), ...poll('drain', 11, { 0: [[0, 1]] })];
  assert.deepEqual(anomalies(h(offsetless, poll('q1', 2, { 0: [[0, 1]] }), drainOps, drained(12, { 0: 1, 1: 1 }))), ['G1b']);
  // Without the drain's ops the history does not say when the drain began.
  assert.deepEqual(anomalies(h(offsetless, poll('q1', 2, { 0: [[0, 1]] }), drained(12, { 0: 1, 1: 1 }))), []);
  // The txn still open when the drain began (it completed later).
  const late = txnOf('q0', 1, [sendMop([0, 1, 0]), sendMop([1, 2])], 'info', {}, { failedStep: 'commitTransaction', error: { code: -185, message: 'timed out' } }, 20);
  assert.deepEqual(anomalies(h(late, poll('q1', 2, { 0: [[0, 1]] }), drainOps, drained(22, { 0: 1, 1: 1 }))), []);
});

test('zombie-write needs the txn to have ended before asking to commit', () => {
  const visible = [...poll('q1', 2, { 0: [[0, 1]] }), drained(3, { 0: 1, 1: 1 })];
  assert.deepEqual(anomalies(h(torn('send', FENCED), visible)), ['zombie-write']);
  // Fenced at commitTransaction: a retried EndTxn whose first attempt committed is answered fenced too. Torn, not a zombie.
  assert.deepEqual(anomalies(h(torn('commitTransaction', FENCED), visible)), ['G1b']);
  // A journal without failedStep (older writers): the step is unknown, so no zombie.
  const noStep = txnOf('q0', 1, [sendMop([0, 1, 0]), sendMop([1, 2, 0])], 'info', {}, { error: FENCED });
  assert.deepEqual(anomalies(h(noStep, visible)), ['G1b']);
  // Fenced and aborted (fail): G1a.
  assert.deepEqual(anomalies(h(txnOf('q0', 1, [sendMop([0, 1, 0])], 'fail', {}, { failedStep: 'send', error: FENCED }), visible)), ['G1a']);
  // Ended before the commit with no fencing error and no newer incarnation: not named a zombie (torn, though).
  assert.deepEqual(anomalies(h(torn('send'), visible)), ['G1b']);
});

test('zombie-write: a fenced txn nobody read, and incarnations in order, are fine', () => {
  assert.deepEqual(anomalies(h(torn('send', FENCED), drained(3, { 0: 1, 1: 1 }))), []);
  const inOrder = h(
    txnOf('q0', 1, [sendMop([0, 1, 0])], 'ok', { transactionalId: 'tx', incarnation: 1 }),
    txnOf('q0', 3, [sendMop([1, 3, 0])], 'ok', { transactionalId: 'tx', incarnation: 2 }),
    poll('q1', 4, { 0: [[0, 1]], 1: [[0, 3]] }),
    drained(5, { 0: 1, 1: 1 }),
  );
  assert.deepEqual(anomalies(inOrder), []);
});

test('G1b and zombie-write are informational under read_uncommitted and fail under read_committed', () => {
  const records = (isolation: string): JournalRecord[] => [meta({ isolation }), ...torn('send', FENCED), ...poll('q1', 2, { 0: [[0, 1]] }), ...txn('q0', 3, [sendMop([0, 5, 1]), sendMop([1, 6, 1])]), ...poll('q1', 4, { 0: [[1, 5]] }), drained(5, { 0: 2, 1: 2 })];
  for (const [isolation, severity, valid] of [['read_committed', 'failure', false], ['read_uncommitted', 'informational', false]] as const) {
    const c = new QueueChecker();
    records(isolation).forEach((r, i) => c.add(r, i + 1));
    const v = c.result();
    assert.equal(v.anomalies['zombie-write']?.severity, severity, isolation);
    assert.equal(v.anomalies.G1b?.severity, severity, isolation);
    // The committed torn txn's missing value 6 is unseen, a failure either way.
    assert.equal(v.anomalies.unseen?.severity, 'failure', isolation);
    assert.equal(v.valid, valid, isolation);
  }
});

test('producer-fenced errors by code, name and message; other fencing is not a producer', () => {
  for (const code of [-144, 47, 90, 'ERR__FENCED', 'ERR_PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH', 'ProducerFencedException']) assert.equal(isProducerFencedError({ code, message: '' }), true, String(code));
  assert.equal(isProducerFencedError({ code: -1, message: 'send: Local: This instance has been fenced by a newer instance' }), true);
  for (const code of [52, 74, 82, 110, -185, 'ERR_FENCED_LEADER_EPOCH', 'NO_REPORT']) assert.equal(isProducerFencedError({ code, message: 'x' }), false, String(code));
  assert.equal(isProducerFencedError(undefined), false);
});

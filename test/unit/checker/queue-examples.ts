import type { JournalRecord, ReadBackRecord } from '../../../src/history/operation.js';
import type { QueueMicroOp, QueueOpRecord } from '../../../src/history/queue-op.js';

/**
 * Builders for small queue histories (the examples of docs/checker.md, "The queue checker").
 * Times: every op is invoked at `t` and completes at `t + d` (default 0.5).
 */
type Completion = 'ok' | 'fail' | 'info';
type Sent = [partition: number, value: number, offset?: number];

export const meta = (queue: Record<string, unknown> = {}): JournalRecord => ({ kind: 'meta', timeMs: 0, formatVersion: 3, startedAt: '2025-01-01T00:00:00.000Z', run: 'q', topic: 't', queue });

function pair(process: string, t: number, f: QueueOpRecord['f'], done: Omit<QueueOpRecord, 'kind' | 'type' | 'f' | 'process' | 'timeMs'>, type: Completion, d: number): QueueOpRecord[] {
  return [
    { kind: 'queue', type: 'invoke', f, process, timeMs: t },
    { kind: 'queue', type, f, process, timeMs: t + d, ...done },
  ];
}

export const sendMop = ([partition, value, offset]: Sent): QueueMicroOp => (offset === undefined ? { f: 'send', partition, value } : { f: 'send', partition, value, offset });
export const pollMop = (records: Record<number, [number, number][]>): QueueMicroOp => ({ f: 'poll', partitions: Object.entries(records).map(([p, r]) => ({ partition: Number(p), records: r })) });
const offsetsMop = (offsets: Record<number, number>): QueueMicroOp => ({ f: 'send-offsets', offsets: Object.entries(offsets).map(([p, offset]) => ({ partition: Number(p), offset })) });

export const send = (process: string, t: number, sends: Sent[], type: Completion = 'ok', d = 0.5): QueueOpRecord[] => pair(process, t, 'send', { mops: sends.map(sendMop) }, type, d);
export const poll = (process: string, t: number, records: Record<number, [number, number][]>, type: Completion = 'ok', d = 0.5): QueueOpRecord[] => pair(process, t, 'poll', { mops: [pollMop(records)] }, type, d);
export const txn = (process: string, t: number, mops: QueueMicroOp[], type: Completion = 'ok', d = 0.5): QueueOpRecord[] => pair(process, t, 'txn', { mops }, type, d);
/** A txn whose invoke names its producer (`transactionalId`, `incarnation`) and whose completion adds `done` (failedStep, error). */
export const txnOf = (process: string, t: number, mops: QueueMicroOp[], type: Completion, producer: Pick<QueueOpRecord, 'transactionalId' | 'incarnation'>, done: Pick<QueueOpRecord, 'failedStep' | 'error'> = {}, d = 0.5): QueueOpRecord[] => {
  const [invoke, completion] = pair(process, t, 'txn', { mops, ...done }, type, d) as [QueueOpRecord, QueueOpRecord];
  return [{ ...invoke, ...producer }, completion];
};
/** librdkafka's error when its producer was fenced (a newer producer with its transactional id, or the coordinator, bumped its epoch). */
export const FENCED = { code: -144, message: 'Local: This instance has been fenced by a newer instance' };
export const assign = (process: string, t: number, partitions: number[], seekToBeginning = false): QueueOpRecord[] => pair(process, t, 'assign', seekToBeginning ? { partitions, seekToBeginning } : { partitions }, 'ok', 0.5);
const commit = (process: string, t: number, offsets: Record<number, number>): QueueOpRecord[] => pair(process, t, 'commit', { offsets: Object.entries(offsets).map(([p, offset]) => ({ partition: Number(p), offset })) }, 'ok', 0.5);

/** The final drain's record: every partition read to `ends[p]`. */
export const drained = (t: number, ends: Record<number, number>, reachedEnd = true): ReadBackRecord => ({
  kind: 'read-back',
  timeMs: t,
  process: 'drain',
  topic: 't',
  partitions: Object.entries(ends).map(([p, end]) => ({ partition: Number(p), startOffset: 0, endOffset: end, read: end, reachedEnd })),
});

/** One minimal history per anomaly, with the exact set of anomaly names the checker reports for it. */
export interface Example {
  name: string;
  records: JournalRecord[];
  expected: string[];
  valid: boolean | 'unknown';
}

const h = (...parts: (JournalRecord | JournalRecord[])[]): JournalRecord[] => [meta(), ...parts.flat()];

export const EXAMPLES: Example[] = [
  { name: 'valid', records: h(send('q0', 1, [[0, 1, 0], [0, 2, 1]]), assign('q1', 2, [0]), poll('q1', 3, { 0: [[0, 1], [1, 2]] }), drained(4, { 0: 2 })), expected: [], valid: true },
  // A committed txn at offsets 0-1, then an open one at 2 (never ended): the read_committed drain stops at offset 2.
  {
    name: 'hanging-transaction',
    records: h(txn('q0', 1, [sendMop([0, 1, 0]), sendMop([0, 2, 1])], 'ok', 2), poll('q1', 3, { 0: [[0, 1], [1, 2]] }), poll('drain', 50, { 0: [[0, 1], [1, 2]] }), { ...drained(60_000, { 0: 4 }, false), isolation: 'read_committed', partitions: [{ partition: 0, startOffset: 0, endOffset: 4, read: 2, reachedEnd: false, lastStableOffset: 2 }] }),
    expected: ['hanging-transaction'],
    valid: false,
  },
  { name: 'inconsistent-offsets', records: h(send('q0', 1, [[0, 1, 0]]), poll('q1', 2, { 0: [[0, 1]] }), poll('q2', 3, { 0: [[0, 9]] }, 'info'), drained(4, { 0: 1 })), expected: ['inconsistent-offsets'], valid: false },
  { name: 'duplicate', records: h(send('q0', 1, [[0, 1, 0]]), poll('q1', 2, { 0: [[0, 1]] }), poll('q2', 3, { 0: [[1, 1]] }), drained(4, { 0: 2 })), expected: ['duplicate'], valid: false },
  { name: 'lost-write', records: h(send('q0', 1, [[0, 1, 0], [0, 2, 1]]), poll('q1', 2, { 0: [[1, 2]] }), drained(3, { 0: 2 })), expected: ['lost-write'], valid: false },
  { name: 'unseen', records: h(send('q0', 1, [[0, 1, 0], [0, 2, 1]]), poll('q1', 2, { 0: [[0, 1]] }), drained(3, { 0: 2 })), expected: ['unseen'], valid: false },
  { name: 'unseen without a drain', records: h(send('q0', 1, [[0, 1, 0], [0, 2, 1]]), poll('q1', 2, { 0: [[0, 1]] })), expected: ['unseen'], valid: 'unknown' },
  { name: 'G1a', records: h(txn('q0', 1, [sendMop([0, 1, 0])], 'fail'), poll('q1', 2, { 0: [[0, 1]] }), drained(3, { 0: 1 })), expected: ['G1a'], valid: false },
  // A committed txn wrote 1 to p0 and 2 to p1; q1 read 1, the drain read p1 to its end and 2 is not there.
  { name: 'G1b', records: h(txn('q0', 1, [sendMop([0, 1, 0]), sendMop([1, 2, 0])]), poll('q1', 2, { 0: [[0, 1]] }), drained(3, { 0: 1, 1: 1 })), expected: ['G1b', 'unseen'], valid: false },
  // The same with the commit's outcome unknown: 1 was read, so it committed; only G1b names what is missing.
  { name: 'G1b of an unknown txn', records: h(txnOf('q0', 1, [sendMop([0, 1, 0]), sendMop([1, 2, 0])], 'info', {}, { failedStep: 'commitTransaction', error: { code: -185, message: 'commitTransaction: no answer within 10000 ms' } }), poll('q1', 2, { 0: [[0, 1]] }), drained(3, { 0: 1, 1: 1 })), expected: ['G1b'], valid: false },
  // A send failed with the producer fenced, the abort failed too (info); its other send became visible.
  { name: 'zombie-write', records: h(txnOf('q0', 1, [sendMop([0, 1, 0]), sendMop([1, 2])], 'info', { transactionalId: 'tx-q0', incarnation: 1 }, { failedStep: 'send', error: FENCED }), poll('q1', 2, { 0: [[0, 1]] }), drained(3, { 0: 1, 1: 0 })), expected: ['zombie-write'], valid: false },
  // Incarnation 1's send step timed out (no fencing error yet); incarnation 2 of its transactional id started after it, so 1 was fenced: its write must never show.
  {
    name: 'zombie-write of a superseded incarnation',
    records: h(txnOf('q0', 1, [sendMop([0, 1, 0]), sendMop([0, 2])], 'info', { transactionalId: 'tx-q0', incarnation: 1 }, { failedStep: 'send', error: { code: 'NO_REPORT', message: 'no delivery report within 10000 ms' } }), txnOf('q0', 3, [sendMop([1, 3, 0])], 'ok', { transactionalId: 'tx-q0', incarnation: 2 }), poll('q1', 4, { 0: [[0, 1]], 1: [[0, 3]] }), drained(5, { 0: 1, 1: 1 })),
    expected: ['zombie-write'],
    valid: false,
  },
  // Incarnation 1 of tx-q0 began a txn after incarnation 2 (in another process) had begun one: already fenced, yet it says committed and is read.
  {
    name: 'zombie-write begun after a newer incarnation',
    records: h(txnOf('q1', 1, [sendMop([1, 3, 0])], 'ok', { transactionalId: 'tx-q0', incarnation: 2 }), txnOf('q0', 2, [sendMop([0, 1, 0])], 'ok', { transactionalId: 'tx-q0', incarnation: 1 }), poll('q2', 3, { 0: [[0, 1]], 1: [[0, 3]] }), drained(4, { 0: 1, 1: 1 })),
    expected: ['zombie-write'],
    valid: false,
  },
  { name: 'precommitted-read', records: h(txn('q0', 1, [sendMop([0, 1, 0]), pollMop({ 0: [[0, 1]] })]), drained(2, { 0: 1 })), expected: ['precommitted-read'], valid: false },
  { name: 'poll-skip', records: h(send('q0', 1, [[0, 1, 0], [0, 2, 1], [0, 3, 2]]), assign('q1', 2, [0]), poll('q1', 3, { 0: [[0, 1]] }), poll('q1', 4, { 0: [[2, 3]] }), poll('q2', 5, { 0: [[1, 2]] }), drained(6, { 0: 3 })), expected: ['poll-skip'], valid: false },
  { name: 'nonmonotonic-poll', records: h(send('q0', 1, [[0, 1, 0], [0, 2, 1]]), poll('q1', 2, { 0: [[0, 1], [1, 2]] }), poll('q1', 3, { 0: [[1, 2]] }), drained(4, { 0: 2 })), expected: ['nonmonotonic-poll'], valid: false },
  { name: 'int-poll-skip', records: h(send('q0', 1, [[0, 1, 0], [0, 2, 1], [0, 3, 2]]), poll('q1', 2, { 0: [[0, 1], [2, 3]] }), poll('q2', 3, { 0: [[1, 2]] }), drained(4, { 0: 3 })), expected: ['int-poll-skip'], valid: false },
  { name: 'int-nonmonotonic-poll', records: h(send('q0', 1, [[0, 1, 0], [0, 2, 1]]), poll('q1', 2, { 0: [[1, 2], [0, 1]] }), drained(3, { 0: 2 })), expected: ['int-nonmonotonic-poll'], valid: false },
  { name: 'int-send-skip', records: h(txn('q0', 1, [sendMop([0, 1, 0]), sendMop([0, 2, 2])], 'ok', 3), send('q1', 2, [[0, 3, 1]]), poll('q2', 5, { 0: [[0, 1], [1, 3], [2, 2]] }), drained(6, { 0: 3 })), expected: ['int-send-skip'], valid: true },
  { name: 'int-nonmonotonic-send', records: h(txn('q0', 1, [sendMop([0, 1, 1]), sendMop([0, 2, 0])]), poll('q2', 2, { 0: [[0, 2], [1, 1]] }), drained(3, { 0: 2 })), expected: ['int-nonmonotonic-send'], valid: false },
  { name: 'nonmonotonic-send', records: h(send('q0', 1, [[0, 1, 1]]), send('q0', 2, [[0, 2, 0]]), poll('q2', 3, { 0: [[0, 2], [1, 1]] }), drained(4, { 0: 2 })), expected: ['nonmonotonic-send', 'offset-regression'], valid: false },
  { name: 'offset-regression', records: h(send('q0', 1, [[0, 1, 1]]), send('q1', 2, [[0, 2, 0]]), poll('q2', 3, { 0: [[0, 2], [1, 1]] }), drained(4, { 0: 2 })), expected: ['offset-regression'], valid: false },
  {
    name: 'abort-rewind',
    records: h(send('q0', 1, [[0, 1, 0], [0, 2, 1], [0, 3, 2]]), assign('q1', 2, [0]), txn('q1', 3, [pollMop({ 0: [[0, 1]] }), offsetsMop({ 0: 1 })]), txn('q1', 4, [pollMop({ 0: [[1, 2]] })], 'fail'), txn('q1', 5, [pollMop({ 0: [[2, 3]] }), offsetsMop({ 0: 3 })]), drained(6, { 0: 3 })),
    expected: ['abort-rewind', 'lost-write'],
    valid: false,
  },
  { name: 'committed-too-far', records: h(send('q0', 1, [[0, 1, 0], [0, 2, 1]]), assign('q1', 2, [0]), poll('q1', 3, { 0: [[0, 1]] }), commit('q1', 4, { 0: 2 }), poll('q2', 5, { 0: [[1, 2]] }), drained(6, { 0: 2 })), expected: ['committed-too-far'], valid: false },
  { name: 'committed-beyond-position', records: h(send('q0', 1, [[0, 1, 0], [0, 2, 2]]), assign('q1', 2, [0]), poll('q1', 3, { 0: [[0, 1]] }), commit('q1', 4, { 0: 2 }), poll('q2', 5, { 0: [[2, 2]] }), drained(6, { 0: 3 })), expected: ['committed-beyond-position'], valid: true },
  { name: 'G0', records: h(txn('q0', 1, [sendMop([0, 1, 0]), sendMop([1, 2, 1])], 'ok', 9), txn('q1', 2, [sendMop([0, 3, 1]), sendMop([1, 4, 0])], 'ok', 7), poll('q2', 20, { 0: [[0, 1], [1, 3]], 1: [[0, 4], [1, 2]] }), drained(21, { 0: 2, 1: 2 })), expected: ['G0'], valid: true },
  // T1 -ww-> T2 (p0) and T2 -wr-> T1 (p1): a cycle only through the write order Kafka does not isolate: informational.
  { name: 'G1c through a ww edge', records: h(txn('q0', 1, [sendMop([0, 1, 0]), pollMop({ 1: [[0, 2]] })], 'ok', 9), txn('q1', 2, [sendMop([0, 3, 1]), sendMop([1, 2, 0])], 'ok', 7), poll('q2', 20, { 0: [[0, 1], [1, 3]] }), drained(21, { 0: 2, 1: 1 })), expected: ['G1c'], valid: true },
  { name: 'G1c', records: h(txn('q0', 1, [sendMop([0, 1, 0]), pollMop({ 1: [[0, 2]] })], 'ok', 9), txn('q1', 2, [sendMop([1, 2, 0]), pollMop({ 0: [[0, 1]] })], 'ok', 7), drained(21, { 0: 1, 1: 1 })), expected: ['G1c'], valid: false },
  {
    name: 'G0-process',
    records: h(txn('q2', 0, [sendMop([1, 6, 1]), sendMop([0, 5, 0])], 'ok', 100), txn('q0', 1, [sendMop([0, 1, 1])]), txn('q0', 3, [sendMop([1, 2, 0])]), poll('q3', 200, { 0: [[0, 5], [1, 1]], 1: [[0, 2], [1, 6]] }), drained(201, { 0: 2, 1: 2 })),
    expected: ['G0-process'],
    valid: true,
  },
  {
    name: 'G0-realtime',
    records: h(txn('q2', 0, [sendMop([1, 6, 1]), sendMop([0, 5, 0])], 'ok', 100), txn('q0', 1, [sendMop([0, 1, 1])]), txn('q1', 3, [sendMop([1, 2, 0])]), poll('q3', 200, { 0: [[0, 5], [1, 1]], 1: [[0, 2], [1, 6]] }), drained(201, { 0: 2, 1: 2 })),
    expected: ['G0-realtime'],
    valid: true,
  },
  // T1 read what q0's later T2 wrote: T1 -process-> T2 -wr-> T1, no ww edge: information flowed back in time.
  { name: 'G1c-process without ww', records: h(txn('q0', 1, [pollMop({ 0: [[0, 9]] })], 'ok', 2), txn('q0', 3, [sendMop([0, 9, 0])], 'ok', 4), drained(21, { 0: 1 })), expected: ['G1c-process'], valid: false },
  {
    name: 'G1c-process',
    records: h(txn('q1', 0, [pollMop({ 1: [[0, 5]] }), sendMop([0, 6, 0])], 'ok', 100), txn('q0', 1, [sendMop([0, 7, 1])]), txn('q0', 3, [sendMop([1, 5, 0])]), poll('q3', 200, { 0: [[0, 6], [1, 7]] }), drained(201, { 0: 2, 1: 1 })),
    expected: ['G1c-process'],
    // Its cycle has a ww edge (T1 -ww-> T2): informational for Kafka, like every cycle through the write order.
    valid: true,
  },
  {
    name: 'G1c-realtime',
    records: h(txn('q1', 0, [pollMop({ 1: [[0, 5]] }), sendMop([0, 6, 0])], 'ok', 100), txn('q0', 1, [sendMop([0, 7, 1])]), txn('q2', 3, [sendMop([1, 5, 0])]), poll('q3', 200, { 0: [[0, 6], [1, 7]] }), drained(201, { 0: 2, 1: 1 })),
    expected: ['G1c-realtime'],
    valid: true,
  },
];

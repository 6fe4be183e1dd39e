import type { JournalRecord } from '../../../src/history/operation.js';
import { assign, poll, pollMop, sendMop, txn } from './queue-examples.js';
import { commit, offsetsMop, type Entry, type Injection, type Model } from './queue-gen-model.js';

/**
 * Injections into the generated history's own records: into its longest partition's log `log` (partition `k`),
 * by processes of their own, after the history. Each needs a place (enough values not aborted, a value
 * nobody read) and is left out when the history has none.
 */
export interface Base {
  k: number;
  log: Entry[];
}

export type BaseInjection = (m: Model, b: Base, variant: number) => void;

const at = (b: Base, i: number): Entry => b.log[i] as Entry;
/** Reading an aborted value is G1a; a value in the version order that is not aborted is "live". */
const live = (m: Model, b: Base, i: number): boolean => i < b.log.length && !m.aborted.has(at(b, i)[1]);
/** First index i with i .. i + n - 1 all live, or -1. */
const liveRun = (m: Model, b: Base, n: number): number => b.log.findIndex((_, i) => Array.from({ length: n }, (__, j) => live(m, b, i + j)).every(Boolean));
const freshProcess = (m: Model): string => `x${m.nextProcess++}`;

function add(m: Model, name: Injection, records: JournalRecord[]): void {
  m.records.push(...records);
  m.expected.add(name);
}

/** True when no op but a send has this value in its mops (nobody polled it). */
function unread(m: Model, value: number): boolean {
  return !m.records.some((r) => r.kind === 'queue' && (r.mops ?? []).some((mop) => mop.f === 'poll' && mop.partitions.some((p) => p.records.some(([, v]) => v === value))));
}

/** Turns the first txn that polled nothing into an aborted one: the drain reads its values (G1a). */
function g1a(m: Model): void {
  const flip = m.flippable[0];
  if (flip === undefined) return;
  m.records[flip.at] = { ...m.records[flip.at], type: 'fail' } as JournalRecord;
  for (const v of flip.values) m.aborted.add(v);
  m.expected.add('G1a');
}

/** The last value is never read (the drain skips it). Runs last: it must know what the others read. */
function unseen(m: Model, b: Base): void {
  const last = b.log[b.log.length - 1];
  if (last === undefined || m.aborted.has(last[1]) || m.unacked.has(last[1]) || !unread(m, last[1])) return;
  m.hidden.add(last[1]);
  // precommitted-read's transaction read its own write above it: a read past the value, so it is lost, not unseen.
  m.expected.add(m.expected.has('precommitted-read') ? 'lost-write' : 'unseen');
  // Sent with others in one committed txn, which the drain reads: the txn is torn.
  if ((m.sentTogether.get(last[1])?.length ?? 0) > 1) m.expected.add('G1b');
}

function pollSkip(m: Model, b: Base): void {
  const i = liveRun(m, b, 3);
  if (i < 0) return;
  const x = freshProcess(m);
  add(m, 'poll-skip', [...assign(x, m.t++, [b.k]), ...poll(x, m.t++, { [b.k]: [at(b, i)] }), ...poll(x, m.t++, { [b.k]: [at(b, i + 2)] })]);
}

/** The second poll reads again what the first ended with (variant 1: one record on from the first's start). */
function nonmonotonicPoll(m: Model, b: Base, variant: number): void {
  const two = variant % 2 === 1;
  const i = liveRun(m, b, two ? 2 : 1);
  if (i < 0) return;
  const x = freshProcess(m);
  const first = two ? [at(b, i), at(b, i + 1)] : [at(b, i)];
  add(m, 'nonmonotonic-poll', [...assign(x, m.t++, [b.k]), ...poll(x, m.t++, { [b.k]: first }), ...poll(x, m.t++, { [b.k]: [at(b, two ? i + 1 : i)] })]);
}

/**
 * A txn that polled aborts, and the next one polls on from where the aborted one ended (KAFKA-17582); variant 1:
 * a second abort that did rewind, but the committed txn after it still polls on past both.
 */
function abortRewind(m: Model, b: Base, variant: number): void {
  const twice = variant % 2 === 1;
  const i = liveRun(m, b, twice ? 4 : 3);
  if (i < 0) return;
  const x = freshProcess(m);
  const step = (type: 'ok' | 'fail', ...js: number[]): JournalRecord[] => txn(x, m.t++, [pollMop({ [b.k]: js.map((j) => at(b, j)) }), offsetsMop(b.k, at(b, js[js.length - 1] as number)[0] + 1)], type);
  // In time order: each builder takes the next time.
  const records = [...assign(x, m.t++, [b.k]), ...step('ok', i), ...step('fail', i + 1)];
  if (twice) records.push(...step('fail', i + 1, i + 2));
  add(m, 'abort-rewind', [...records, ...step('ok', twice ? i + 3 : i + 2)]);
}

/** A consumer commits one past the next record it never polled (by commitSync, or variant 1: in a txn). */
function committedTooFar(m: Model, b: Base, variant: number): void {
  const i = liveRun(m, b, 1);
  if (i < 0 || i + 1 >= b.log.length) return;
  const x = freshProcess(m);
  const offset = at(b, i + 1)[0] + 1;
  const assigned = assign(x, m.t++, [b.k]);
  const reads = variant % 2 === 0 ? [...poll(x, m.t++, { [b.k]: [at(b, i)] }), ...commit(x, m.t++, b.k, offset)] : txn(x, m.t++, [pollMop({ [b.k]: [at(b, i)] }), offsetsMop(b.k, offset)]);
  add(m, 'committed-too-far', [...assigned, ...reads]);
}

export const BASE_INJECTIONS: Partial<Record<Injection, BaseInjection>> = {
  G1a: g1a,
  unseen,
  'poll-skip': pollSkip,
  'nonmonotonic-poll': nonmonotonicPoll,
  'abort-rewind': abortRewind,
  'committed-too-far': committedTooFar,
  // A poll of the first value at a new offset past the end.
  duplicate: (m, b) => {
    const last = b.log[b.log.length - 1];
    if (last !== undefined) add(m, 'duplicate', poll(freshProcess(m), m.t++, { [b.k]: [[last[0] + 5, at(b, 0)[1]]] }));
  },
  // An info poll that saw another value at the last offset.
  'inconsistent-offsets': (m, b) => {
    const last = b.log[b.log.length - 1];
    if (last !== undefined) add(m, 'inconsistent-offsets', poll(freshProcess(m), m.t++, { [b.k]: [[last[0], -7]] }, 'info'));
  },
  // Order checks run over the version order, which holds no aborted write (reading one is G1a, not a reorder).
  'int-nonmonotonic-poll': (m, b) => {
    const i = liveRun(m, b, 2);
    if (i >= 0) add(m, 'int-nonmonotonic-poll', poll(freshProcess(m), m.t++, { [b.k]: [at(b, i + 1), at(b, i)] }));
  },
  // Skip over a value not aborted (skipping only aborted values is what read_committed does); both ends live too.
  'int-poll-skip': (m, b) => {
    const i = liveRun(m, b, 3);
    if (i >= 0) add(m, 'int-poll-skip', poll(freshProcess(m), m.t++, { [b.k]: [at(b, i), at(b, i + 2)] }));
  },
  // A txn reads its own write (at an offset past every other injection's).
  'precommitted-read': (m, b) => {
    const offset = (b.log[b.log.length - 1]?.[0] ?? -1) + 10;
    add(m, 'precommitted-read', txn(freshProcess(m), m.t++, [sendMop([b.k, -99, offset]), pollMop({ [b.k]: [[offset, -99]] })]));
  },
};

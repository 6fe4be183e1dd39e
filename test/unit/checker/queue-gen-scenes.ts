import { assign, FENCED, poll, pollMop, send, sendMop, txn, txnOf } from './queue-examples.js';
import { commit, crashRecord, invokeOnly, logged, offsetsMop, scene, type Injection, type Model } from './queue-gen-model.js';

/**
 * Injections that need no records of the generated history: each is a scene of its own (fresh partitions and
 * processes, a time window after everything before it, see `scene`), so it can only add edges from the
 * history into it, never back: what it shows does not depend on what else was injected. `variant` picks one
 * of a few shapes of the same anomaly. The final drain reads every partition (but for hidden values).
 */
export type SceneInjection = (m: Model, variant: number) => void;

/** A value committed at an offset below one some read reached, never read: the drain reads around it. */
function lostWrite(m: Model, variant: number): void {
  const s = scene(m, 1);
  const [k] = s.p as [number];
  const n = 2 + variant;
  const entries = Array.from({ length: n }, (_, i): [number, number] => [i, s.value()]);
  s.emit(send(s.proc('a'), s.t, entries.map(([o, v]) => [k, v, o])));
  logged(m, k, ...entries);
  m.hidden.add((entries[(variant * 2) % (n - 1)] as [number, number])[1]);
  m.expected.add('lost-write');
}

/**
 * A transaction left open (its producer gone: an invoke never completed) holds the read_committed drain of its
 * partition below the high watermark. Only a read_committed drain can tell; the workload drains with its isolation.
 */
function hangingTransaction(m: Model, variant: number, isolation: string): void {
  if (isolation !== 'read_committed') return;
  const s = scene(m, 1);
  const [k] = s.p as [number];
  const committed = variant % 2 === 1;
  if (committed) {
    const v = s.value();
    s.emit(txn(s.proc('c'), s.t, [sendMop([k, v, 0])]));
    logged(m, k, [0, v]);
  }
  s.emit([invokeOnly(s.proc('a'), s.t + 1, 'txn', [[k, s.value()]])]);
  // Offsets: the committed record and its marker, then the open transaction's record.
  m.stuck.push(committed ? { partition: k, startOffset: 0, endOffset: 3, read: 1, reachedEnd: false, lastStableOffset: 2 } : { partition: k, startOffset: 0, endOffset: 1, read: 0, reachedEnd: false, lastStableOffset: 0 });
  m.expected.add('hanging-transaction');
}

/** A transaction's two sends to a partition with one or two of another producer's between them. */
function intSendSkip(m: Model, variant: number): void {
  const s = scene(m, 1);
  const [k] = s.p as [number];
  const between = 1 + (variant % 2);
  const [a, b] = [s.value(), s.value()];
  const others = Array.from({ length: between }, (_, i): [number, number] => [i + 1, s.value()]);
  s.emit([...txn(s.proc('a'), s.t, [sendMop([k, a, 0]), sendMop([k, b, between + 1])], 'ok', 3), ...send(s.proc('b'), s.t + 1, others.map(([o, v]) => [k, v, o]))]);
  logged(m, k, [0, a], ...others, [between + 1, b]);
  m.expected.add('int-send-skip');
}

/** One op's second send to a partition lands before its first (a txn or a plain send). */
function intNonmonotonicSend(m: Model, variant: number): void {
  const s = scene(m, 1);
  const [k] = s.p as [number];
  const [a, b] = [s.value(), s.value()];
  s.emit(variant % 2 === 0 ? txn(s.proc('a'), s.t, [sendMop([k, a, 1]), sendMop([k, b, 0])]) : send(s.proc('a'), s.t, [[k, a, 1], [k, b, 0]]));
  logged(m, k, [0, b], [1, a]);
  m.expected.add('int-nonmonotonic-send');
}

/**
 * A process's later send lands before its earlier one. Its ops are sequential, so when the first was
 * acknowledged with its offset, the second was invoked after that acknowledgement: offset-regression too.
 * Only when the first send's outcome is unknown (no offset acknowledged) is nonmonotonic-send alone. As
 * transactions, the ww edge (later -> earlier) against process order is a G0-process cycle as well.
 */
function nonmonotonicSend(m: Model, variant: number): void {
  const s = scene(m, 1);
  const [k] = s.p as [number];
  const [a, b] = [s.value(), s.value()];
  const shape = variant % 3;
  if (shape === 0) s.emit([...send(s.proc('a'), s.t, [[k, a, 1]]), ...send(s.proc('a'), s.t + 1, [[k, b, 0]])]);
  else if (shape === 1) s.emit([invokeOnly(s.proc('a'), s.t, 'send', [[k, a]]), ...send(s.proc('a'), s.t + 1, [[k, b, 0]])]);
  else s.emit([...txn(s.proc('a'), s.t, [sendMop([k, a, 1])]), ...txn(s.proc('a'), s.t + 1, [sendMop([k, b, 0])])]);
  logged(m, k, [0, b], [1, a]);
  m.expected.add('nonmonotonic-send');
  if (shape !== 1) m.expected.add('offset-regression');
  if (shape === 2) m.expected.add('G0-process');
}

/**
 * A send invoked after one was acknowledged at offset 1 is acknowledged at 0: by another process (variant 0),
 * or by the same one after a crash (variant 2: a crash resets its send order, so no nonmonotonic-send). As
 * transactions of two processes (variant 1), also G0-realtime (a ww edge against real time).
 */
function offsetRegression(m: Model, variant: number): void {
  const s = scene(m, 1);
  const [k] = s.p as [number];
  const [a, b] = [s.value(), s.value()];
  const shape = variant % 3;
  if (shape === 0) s.emit([...send(s.proc('a'), s.t, [[k, a, 1]]), ...send(s.proc('b'), s.t + 1, [[k, b, 0]])]);
  else if (shape === 1) s.emit([...txn(s.proc('a'), s.t, [sendMop([k, a, 1])]), ...txn(s.proc('b'), s.t + 1, [sendMop([k, b, 0])])]);
  else s.emit([...send(s.proc('a'), s.t, [[k, a, 1]]), crashRecord(s.proc('a'), s.t + 1), ...send(s.proc('a'), s.t + 2, [[k, b, 0]])]);
  logged(m, k, [0, b], [1, a]);
  m.expected.add('offset-regression');
  if (shape === 1) m.expected.add('G0-realtime');
}

/** A commit beyond the position over no known record (offset 1 is a transaction marker), by commitSync or in a txn. */
function committedBeyondPosition(m: Model, variant: number): void {
  const s = scene(m, 1);
  const [k] = s.p as [number];
  const [a, b] = [s.value(), s.value()];
  const c = s.proc('c');
  const reads = variant % 2 === 0 ? [...poll(c, s.t + 2, { [k]: [[0, a]] }), ...commit(c, s.t + 3, k, 2)] : txn(c, s.t + 2, [pollMop({ [k]: [[0, a]] }), offsetsMop(k, 2)]);
  s.emit([...send(s.proc('a'), s.t, [[k, a, 0], [k, b, 2]]), ...assign(c, s.t + 1, [k]), ...reads]);
  logged(m, k, [0, a], [2, b]);
  m.expected.add('committed-beyond-position');
}

/** Two concurrent transactions write two partitions in opposite orders. */
function g0(m: Model): void {
  const s = scene(m, 2);
  const [k, l] = s.p as [number, number];
  const [a, b, c, d] = [s.value(), s.value(), s.value(), s.value()];
  s.emit([...txn(s.proc('a'), s.t, [sendMop([k, a, 0]), sendMop([l, b, 1])], 'ok', 9), ...txn(s.proc('b'), s.t + 1, [sendMop([k, c, 1]), sendMop([l, d, 0])], 'ok', 7)]);
  logged(m, k, [0, a], [1, c]);
  logged(m, l, [0, d], [1, b]);
  m.expected.add('G0');
}

/** Two concurrent transactions each read the other's write (variant 0), or one reads the other's, which writes after it in a partition (variant 1: through a ww edge). */
function g1c(m: Model, variant: number): void {
  const s = scene(m, 2);
  const [k, l] = s.p as [number, number];
  const [a, b, c] = [s.value(), s.value(), s.value()];
  const viaWw = variant % 2 === 1;
  s.emit([...txn(s.proc('a'), s.t, [sendMop([k, a, 0]), pollMop({ [l]: [[0, b]] })], 'ok', 9), ...txn(s.proc('b'), s.t + 1, viaWw ? [sendMop([k, c, 1]), sendMop([l, b, 0])] : [sendMop([l, b, 0]), pollMop({ [k]: [[0, a]] })], 'ok', 7)]);
  logged(m, k, [0, a], ...(viaWw ? [[1, c] as [number, number]] : []));
  logged(m, l, [0, b]);
  m.expected.add('G1c');
  if (viaWw) m.throughWw.add('G1c');
}

/** A long txn writes after a process's first txn in one partition and before its second in another; `sameProcess` false: two processes in real-time order. */
function g0Ordered(m: Model, sameProcess: boolean): void {
  const s = scene(m, 2);
  const [k, l] = s.p as [number, number];
  const [a, b, c, d] = [s.value(), s.value(), s.value(), s.value()];
  s.emit([...txn(s.proc('c'), s.t, [sendMop([l, a, 1]), sendMop([k, b, 0])], 'ok', 10), ...txn(s.proc('a'), s.t + 1, [sendMop([k, c, 1])]), ...txn(s.proc(sameProcess ? 'a' : 'b'), s.t + 3, [sendMop([l, d, 0])])]);
  logged(m, k, [0, b], [1, c]);
  logged(m, l, [0, d], [1, a]);
  m.expected.add(sameProcess ? 'G0-process' : 'G0-realtime');
}

/**
 * A txn read what a later one (same process, or later in real time) wrote: no ww edge (variant 0, a failure);
 * or a long txn read a later txn's write and wrote before an earlier one in another partition (variant 1: through ww).
 */
function g1cOrdered(m: Model, variant: number, sameProcess: boolean): void {
  const name: Injection = sameProcess ? 'G1c-process' : 'G1c-realtime';
  const s = scene(m, 2);
  const [k, l] = s.p as [number, number];
  const [a, b, c] = [s.value(), s.value(), s.value()];
  const later = s.proc(sameProcess ? 'a' : 'b');
  if (variant % 2 === 0) {
    s.emit([...txn(s.proc('a'), s.t, [pollMop({ [k]: [[0, a]] })], 'ok', 1), ...txn(later, s.t + 2, [sendMop([k, a, 0])])]);
    logged(m, k, [0, a]);
  } else {
    s.emit([...txn(s.proc('c'), s.t, [pollMop({ [l]: [[0, a]] }), sendMop([k, b, 0])], 'ok', 10), ...txn(s.proc('a'), s.t + 1, [sendMop([k, c, 1])]), ...txn(later, s.t + 3, [sendMop([l, a, 0])])]);
    logged(m, k, [0, b], [1, c]);
    logged(m, l, [0, a]);
    m.throughWw.add(name);
  }
  m.expected.add(name);
}

/**
 * A txn wrote to two partitions; one write was read, the other is absent from the drain, which read its partition
 * to the end. Committed (variant 0): its missing value is unseen too. Outcome unknown at commitTransaction
 * (variant 1: it committed, as a value was read): only G1b, as an unknown write is never unseen.
 */
function g1b(m: Model, variant: number): void {
  const s = scene(m, 2);
  const [k, l] = s.p as [number, number];
  const [a, b] = [s.value(), s.value()];
  const committed = variant % 2 === 0;
  const mops = [sendMop([k, a, 0]), sendMop([l, b, 0])];
  s.emit(committed ? txn(s.proc('a'), s.t, mops) : txnOf(s.proc('a'), s.t, mops, 'info', {}, { failedStep: 'commitTransaction', error: { code: -185, message: 'commitTransaction: no answer within 10000 ms' } }));
  logged(m, k, [0, a]);
  logged(m, l, [0, b]);
  m.hidden.add(b);
  m.expected.add('G1b');
  if (committed) m.expected.add('unseen');
}

/**
 * A fenced producer's txn wrote a value the drain reads: it ended with a fencing error at a send (variant 0);
 * it ended at a send with another error, and a newer incarnation of its transactional id ran later (variant 1);
 * it began after a newer incarnation had begun, and says it committed (variant 2). A zombie is no torn txn.
 */
function zombieWrite(m: Model, variant: number): void {
  const s = scene(m, 2);
  const [k, l] = s.p as [number, number];
  const [a, b, c] = [s.value(), s.value(), s.value()];
  const tid = `tx-${s.proc('a')}`;
  const shape = variant % 3;
  const old = { transactionalId: tid, incarnation: 1 };
  const newer = { transactionalId: tid, incarnation: 2 };
  if (shape === 2) s.emit([...txnOf(s.proc('b'), s.t, [sendMop([l, c, 0])], 'ok', newer), ...txnOf(s.proc('a'), s.t + 1, [sendMop([k, a, 0])], 'ok', old)]);
  else {
    const error = shape === 0 ? FENCED : { code: 'NO_REPORT', message: 'no delivery report within 10000 ms' };
    s.emit(txnOf(s.proc('a'), s.t, [sendMop([k, a, 0]), sendMop([l, b])], 'info', old, { failedStep: 'send', error }));
    if (shape === 1) s.emit(txnOf(s.proc('a'), s.t + 2, [sendMop([l, c, 0])], 'ok', newer));
  }
  logged(m, k, [0, a]);
  if (shape !== 0) logged(m, l, [0, c]);
  m.expected.add('zombie-write');
}

export function sceneInjections(isolation: string): Partial<Record<Injection, SceneInjection>> {
  return {
    'lost-write': lostWrite,
    'hanging-transaction': (m, v) => hangingTransaction(m, v, isolation),
    'int-send-skip': intSendSkip,
    'int-nonmonotonic-send': intNonmonotonicSend,
    'nonmonotonic-send': nonmonotonicSend,
    'offset-regression': offsetRegression,
    'committed-beyond-position': committedBeyondPosition,
    G0: g0,
    G1c: g1c,
    'G0-process': (m) => g0Ordered(m, true),
    'G0-realtime': (m) => g0Ordered(m, false),
    'G1c-process': (m, v) => g1cOrdered(m, v, true),
    'G1c-realtime': (m, v) => g1cOrdered(m, v, false),
    G1b: g1b,
    'zombie-write': zombieWrite,
  };
}

import fc from 'fast-check';
import type { JournalRecord } from '../../../src/history/operation.js';
import type { QueueMicroOp } from '../../../src/history/queue-op.js';
import { assign, drained, meta, poll, pollMop, send, sendMop, txn } from './queue-examples.js';

/**
 * fast-check arbitraries of queue histories: a valid history, executed one op at a time (so every order
 * the checker knows agrees with real time), then anomalies injected at chosen places. Each injection
 * names the one anomaly it must make the checker report.
 */

export const INJECTIONS = ['unseen', 'G1a', 'duplicate', 'inconsistent-offsets', 'int-nonmonotonic-poll', 'int-poll-skip', 'precommitted-read'] as const;
export type Injection = (typeof INJECTIONS)[number] | 'lost-write';

interface Step {
  proc: number;
  txn: boolean;
  sends: number[];
  pollMax: number;
}

export interface QueueParams {
  partitions: number;
  steps: Step[];
  inject: Injection[];
}

export const queueParams: fc.Arbitrary<QueueParams> = fc.integer({ min: 1, max: 3 }).chain((partitions) =>
  fc.record({
    partitions: fc.constant(partitions),
    steps: fc.array(fc.record({ proc: fc.nat(2), txn: fc.boolean(), sends: fc.array(fc.nat(partitions - 1), { maxLength: 3 }), pollMax: fc.nat(3) }), { minLength: 4, maxLength: 30 }),
    inject: fc.uniqueArray(fc.constantFrom(...INJECTIONS), { maxLength: INJECTIONS.length }),
  }),
);

interface Model {
  records: JournalRecord[];
  /** Per partition: [offset, value, op records index of the writer] committed, in offset order. */
  logs: [number, number][][];
  /** Txns that polled nothing (record index, values sent): safe to turn into aborted writes. */
  flippable: { at: number; values: number[] }[];
  t: number;
  nextValue: number;
}

/** The valid history: each process reads the partition `proc % partitions` from where it left off. */
function execute(p: QueueParams): Model {
  const m: Model = { records: [meta()], logs: Array.from({ length: p.partitions }, () => []), flippable: [], t: 1, nextValue: 1 };
  const position = [0, 0, 0];
  for (let proc = 0; proc < 3; proc++) m.records.push(...assign(`q${proc}`, m.t++, [proc % p.partitions]));
  for (const s of p.steps) {
    const mine = s.proc % p.partitions;
    const log = m.logs[mine] as [number, number][];
    const got = log.slice(position[s.proc], (position[s.proc] as number) + s.pollMax);
    position[s.proc] = (position[s.proc] as number) + got.length;
    const sends = s.sends.map((k) => {
      const l = m.logs[k] as [number, number][];
      const entry: [number, number] = [(l[l.length - 1]?.[0] ?? -1) + 1, m.nextValue++];
      l.push(entry);
      return [k, entry[1], entry[0]] as [number, number, number];
    });
    if (!s.txn) {
      if (got.length > 0) m.records.push(...poll(`q${s.proc}`, m.t++, { [mine]: got }));
      if (sends.length > 0) m.records.push(...send(`q${s.proc}`, m.t++, sends));
      continue;
    }
    const mops: QueueMicroOp[] = [...(got.length > 0 ? [pollMop({ [mine]: got })] : []), ...sends.map(sendMop)];
    if (mops.length === 0) continue;
    if (got.length === 0 && sends.length > 0) m.flippable.push({ at: m.records.length + 1, values: sends.map(([, v]) => v) });
    m.records.push(...txn(`q${s.proc}`, m.t++, mops));
  }
  return m;
}

/** Drain every partition (one process per partition), skipping `hidden` values; then the read-back record. */
function drain(m: Model, hidden: Set<number>): void {
  const ends: Record<number, number> = {};
  m.logs.forEach((log, k) => {
    const records = log.filter(([, v]) => !hidden.has(v));
    ends[k] = (log[log.length - 1]?.[0] ?? -1) + 1;
    m.records.push(...assign(`d${k}`, m.t++, [k], true));
    if (records.length > 0) m.records.push(...poll(`d${k}`, m.t++, { [k]: records }));
  });
  m.records.push(drained(m.t++, ends));
}

/** The history and the anomalies it must show; injections that find no place in it are left out. */
export function queueHistory(p: QueueParams): { records: JournalRecord[]; expected: Injection[] } {
  const m = execute(p);
  const expected: Injection[] = [];
  const hidden = new Set<number>();
  const aborted = new Set<number>();
  const unreadElsewhere = (v: number): boolean => !m.records.some((r) => r.kind === 'queue' && r.f !== 'send' && JSON.stringify(r.mops ?? []).includes(`,${v}]`));
  const longest = m.logs.reduce((a, l, k) => (l.length > (m.logs[a] as unknown[]).length ? k : a), 0);
  const log = m.logs[longest] as [number, number][];
  const extra = (name: string, records: JournalRecord[]): void => {
    m.records.push(...records);
    expected.push(name as Injection);
  };
  // unseen last: it must know whether the other injections read the value it hides.
  const rank = (n: Injection): number => (n === 'G1a' ? 0 : n === 'unseen' ? 2 : 1);
  for (const name of [...p.inject].sort((a, b) => rank(a) - rank(b))) {
    const last = log[log.length - 1];
    if (name === 'unseen' && last !== undefined && !aborted.has(last[1]) && unreadElsewhere(last[1])) {
      hidden.add(last[1]);
      expected.push(name);
    } else if (name === 'G1a' && m.flippable.length > 0) {
      const { at, values } = m.flippable[0] as { at: number; values: number[] };
      m.records[at] = { ...m.records[at], type: 'fail' } as JournalRecord;
      for (const v of values) aborted.add(v);
      expected.push(name);
    } else if (name === 'duplicate' && last !== undefined) extra(name, poll('x1', m.t++, { [longest]: [[last[0] + 5, log[0]?.[1] ?? 0]] }));
    else if (name === 'inconsistent-offsets' && last !== undefined) extra(name, poll('x2', m.t++, { [longest]: [[last[0], -7]] }, 'info'));
    else if (name === 'int-nonmonotonic-poll' && log.length >= 2 && !aborted.has((log[0] as [number, number])[1]) && !aborted.has((log[1] as [number, number])[1])) {
      // Order checks run over the version order, which holds no aborted write (reading one is G1a, not a reorder).
      extra(name, poll('x3', m.t++, { [longest]: [log[1] as [number, number], log[0] as [number, number]] }));
    }
    else if (name === 'int-poll-skip') {
      // Skip over a value not aborted (skipping only aborted values is what read_committed does).
      // Both ends in the version order too (an aborted end is a G1a read, not a place in the order).
      const live = (k: number): boolean => !aborted.has((log[k] as [number, number])[1]);
      const i = log.findIndex((e, j) => j + 2 < log.length && live(j) && live(j + 1) && live(j + 2));
      if (i >= 0) extra(name, poll('x4', m.t++, { [longest]: [log[i] as [number, number], log[i + 2] as [number, number]] }));
    }
    else if (name === 'precommitted-read') {
      const offset = (last?.[0] ?? -1) + 10;
      extra(name, txn('x5', m.t++, [sendMop([longest, -99, offset]), pollMop({ [longest]: [[offset, -99]] })]));
    }
  }
  drain(m, hidden);
  // A transaction that read its own write above the hidden value is a read past it: the value is lost, not unseen.
  if (hidden.size > 0 && expected.includes('precommitted-read')) expected.splice(expected.indexOf('unseen'), 1, 'lost-write' as Injection);
  return { records: m.records, expected };
}

import fc from 'fast-check';
import { SeededRandom } from '../../../src/util/seeded-random.js';
import { sendValue, type JournalRecord, type OpRecord, type ReadBackRecord } from '../../../src/history/operation.js';

/** The runtime's seeded generator, so a fast-check seed reproduces the whole history. */
export function prng(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

export interface GenParams {
  seed: number;
  producers: number;
  partitions: number;
  maxSends: number;
  /** acks=0: ok carries no offset. */
  acksZero: boolean;
  /** How many of each anomaly to try to inject (fewer when the history is too small). */
  inject: { lost: number; duplicate: number; unexpected: number; reordered: number; recoveredFail: number };
  /** How the read-back ends: a read-back record with every partition at its end (default), one short of it, or none. */
  readBackEnd?: ReadBackEnd;
}

export type ReadBackEnd = 'complete' | 'short' | 'absent';

export interface Expected {
  lost: string[];
  lostUnconfirmed: string[];
  duplicate: string[];
  unexpected: string[];
  /** `value<after` pairs: value read below the value sent before it. */
  reordered: string[];
  recovered: string[];
  sent: number;
  acknowledged: number;
  failed: number;
  unknown: number;
  readBack: number;
}

export interface Generated {
  records: JournalRecord[];
  expected: Expected;
}

type Outcome = 'ok' | 'fail' | 'info' | 'none';
interface Send {
  producer: number;
  seq: number;
  value: string;
  outcome: Outcome;
  partition: number;
  /** Log location(s) the value is read at. */
  reads: { partition: number; offset: number }[];
  /** Offset the ok reports (where the broker wrote it). */
  ackOffset: number;
}

/**
 * A produce-then-read-back history that is correct except for the injected anomalies, and the exact
 * anomalies the checker must report. Injected values come from disjoint pools so one anomaly cannot
 * hide or create another.
 */
export function generateHistory(params: GenParams): Generated {
  const rnd = prng(params.seed);
  const pick = (n: number): number => Math.floor(rnd() * n);
  const sends: Send[][] = [];
  for (let p = 0; p < params.producers; p++) {
    const n = pick(params.maxSends + 1);
    const list: Send[] = [];
    for (let seq = 0; seq < n; seq++) {
      const r = rnd();
      const outcome: Outcome = r < 0.6 ? 'ok' : r < 0.75 ? 'fail' : r < 0.9 ? 'info' : 'none';
      list.push({ producer: p, seq, value: sendValue(`p${p}`, seq), outcome, partition: pick(params.partitions), reads: [], ackOffset: -1 });
    }
    sends.push(list);
  }
  // Base log: a random interleaving of producers that keeps each producer's order.
  const nextOffset = new Array<number>(params.partitions).fill(0);
  const cursor = new Array<number>(params.producers).fill(0);
  const order: Send[] = [];
  for (;;) {
    const open = cursor.map((c, p) => (c < (sends[p] as Send[]).length ? p : -1)).filter((p) => p >= 0);
    if (open.length === 0) break;
    const p = open[pick(open.length)] as number;
    const s = (sends[p] as Send[])[cursor[p] as number] as Send;
    cursor[p] = (cursor[p] as number) + 1;
    order.push(s);
    const present = s.outcome === 'ok' || ((s.outcome === 'info' || s.outcome === 'none') && rnd() < 0.5);
    if (present) {
      s.ackOffset = (nextOffset[s.partition] as number)++;
      s.reads.push({ partition: s.partition, offset: s.ackOffset });
    }
  }
  const expected: Expected = { lost: [], lostUnconfirmed: [], duplicate: [], unexpected: [], reordered: [], recovered: [], sent: order.length, acknowledged: 0, failed: 0, unknown: 0, readBack: 0 };
  for (const s of order) {
    if (s.outcome === 'ok') expected.acknowledged++;
    else if (s.outcome === 'fail') expected.failed++;
    else expected.unknown++;
    if (s.outcome !== 'ok' && s.reads.length > 0) expected.recovered.push(s.value);
  }

  // Disjoint pools of acknowledged values for the injections.
  const used = new Set<string>();
  const oks = order.filter((s) => s.outcome === 'ok');
  const takeOk = (): Send | undefined => {
    const free = oks.filter((s) => !used.has(s.value));
    const s = free[pick(free.length)];
    if (s !== undefined) used.add(s.value);
    return s;
  };
  // Reordered first: swap read offsets of adjacent acknowledged values (same producer and partition).
  for (let k = 0; k < params.inject.reordered; k++) {
    const candidates: [Send, Send][] = [];
    for (const list of sends) {
      for (let part = 0; part < params.partitions; part++) {
        const acked = list.filter((s) => s.outcome === 'ok' && s.partition === part);
        for (let i = 0; i + 1 < acked.length; i++) {
          const a = acked[i] as Send;
          const b = acked[i + 1] as Send;
          if (!used.has(a.value) && !used.has(b.value)) candidates.push([a, b]);
        }
      }
    }
    const pair = candidates[pick(candidates.length)];
    if (pair === undefined) break;
    const [a, b] = pair;
    used.add(a.value);
    used.add(b.value);
    const ra = a.reads[0] as { partition: number; offset: number };
    const rb = b.reads[0] as { partition: number; offset: number };
    [ra.offset, rb.offset] = [rb.offset, ra.offset];
    expected.reordered.push(`${b.value}<${a.value}`);
  }
  // Dropping a value never creates a descent, and swapped pairs are adjacent, so the pools stay independent.
  for (let k = 0; k < params.inject.lost; k++) {
    const s = takeOk();
    if (s === undefined) break;
    s.reads = [];
    (params.acksZero ? expected.lostUnconfirmed : expected.lost).push(s.value);
  }
  for (let k = 0; k < params.inject.duplicate; k++) {
    const s = takeOk();
    if (s === undefined) break;
    s.reads.push({ partition: s.partition, offset: (nextOffset[s.partition] as number)++ });
    expected.duplicate.push(s.value);
  }
  for (let k = 0; k < params.inject.recoveredFail; k++) {
    const free = order.filter((s) => s.outcome === 'fail' && s.reads.length === 0);
    const s = free[pick(free.length)];
    if (s === undefined) break;
    s.reads.push({ partition: s.partition, offset: (nextOffset[s.partition] as number)++ });
    expected.recovered.push(s.value);
  }
  const unexpectedReads: OpRecord[] = [];
  for (let k = 0; k < params.inject.unexpected; k++) {
    // Alternate: an unknown producer, and a known producer's seq never sent.
    const value = k % 2 === 0 ? sendValue(`x${k}`, k) : sendValue(`p${k % params.producers}`, 900_000 + k);
    const partition = pick(params.partitions);
    unexpectedReads.push({ kind: 'op', type: 'ok', f: 'read', process: 'r0', value, timeMs: 0, partition, offset: (nextOffset[partition] as number)++ });
    expected.unexpected.push(value);
  }

  // The journal: meta, sends in interleaving order (invoke, then completion), a sample, the read-back.
  const records: JournalRecord[] = [{ kind: 'meta', timeMs: 0, formatVersion: 1, startedAt: '2025-01-01T00:00:00.000Z', run: 'gen', topic: 't', acks: params.acksZero ? '0' : 'all', seed: params.seed }];
  let t = 0;
  for (const s of order) {
    const process = `p${s.producer}`;
    records.push({ kind: 'op', type: 'invoke', f: 'send', process, value: s.value, timeMs: ++t });
    if (s.outcome === 'none') continue;
    const done: OpRecord = { kind: 'op', type: s.outcome, f: 'send', process, value: s.value, timeMs: ++t };
    if (s.outcome === 'ok') {
      done.partition = s.partition;
      if (!params.acksZero) done.offset = s.ackOffset;
    } else done.error = { code: -192, message: 'Local: Message timed out' };
    records.push(done);
  }
  records.push({ kind: 'event', timeMs: ++t, event: 'fault-start', faultId: 'f1', fault: 'kill', target: 'leader(t,0)', node: 1 });
  records.push({ kind: 'sample', timeMs: ++t, topic: 't', partitions: nextOffset.map((hw, partition) => ({ partition, leader: 1, isr: [1, 2], highWatermark: hw })) });
  records.push({ kind: 'op', type: 'invoke', f: 'read', process: 'r0', value: '', timeMs: ++t });
  const reads: OpRecord[] = [...unexpectedReads];
  for (const s of order) for (const r of s.reads) reads.push({ kind: 'op', type: 'ok', f: 'read', process: 'r0', value: s.value, timeMs: 0, partition: r.partition, offset: r.offset });
  reads.sort((a, b) => (a.partition ?? 0) - (b.partition ?? 0) || (a.offset ?? 0) - (b.offset ?? 0));
  for (const r of reads) records.push({ ...r, timeMs: ++t });
  const end = params.readBackEnd ?? 'complete';
  if (end !== 'absent') records.push(readBackRecord(++t, nextOffset, reads, end === 'complete'));
  expected.readBack = reads.length;
  for (const key of ['lost', 'lostUnconfirmed', 'duplicate', 'unexpected', 'reordered', 'recovered'] as const) expected[key].sort();
  return { records, expected };
}

/** The record the read-back writes when it ends; `complete: false` leaves partition 0 short of its end. */
function readBackRecord(timeMs: number, endOffsets: readonly number[], reads: readonly OpRecord[], complete: boolean): ReadBackRecord {
  const partitions = endOffsets.map((endOffset, partition) => {
    const read = reads.filter((r) => r.partition === partition).length;
    return { partition, startOffset: 0, endOffset, read, reachedEnd: complete || partition > 0 };
  });
  return { kind: 'read-back', timeMs, process: 'r0', topic: 't', isolation: 'read_uncommitted', partitions };
}

/** Generator parameters for fast-check properties. */
export const historyParams: fc.Arbitrary<GenParams> = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  producers: fc.integer({ min: 1, max: 4 }),
  partitions: fc.integer({ min: 1, max: 3 }),
  maxSends: fc.integer({ min: 0, max: 40 }),
  acksZero: fc.boolean(),
  inject: fc.record({
    lost: fc.integer({ min: 0, max: 3 }),
    duplicate: fc.integer({ min: 0, max: 3 }),
    unexpected: fc.integer({ min: 0, max: 3 }),
    reordered: fc.integer({ min: 0, max: 3 }),
    recoveredFail: fc.integer({ min: 0, max: 3 }),
  }),
  readBackEnd: fc.constantFrom<ReadBackEnd>('complete', 'complete', 'short', 'absent'),
});

/** invalid on a violation (lost only after a complete read-back), else valid only with a complete read-back. */
export function expectedVerdict(e: Expected, end: ReadBackEnd | undefined): 'valid' | 'invalid' | 'unknown' {
  const complete = (end ?? 'complete') === 'complete';
  const violations = (complete ? e.lost.length : 0) + e.duplicate.length + e.unexpected.length + e.reordered.length;
  return violations > 0 ? 'invalid' : complete ? 'valid' : 'unknown';
}


import fc from 'fast-check';
import type { JournalRecord } from '../../../src/history/operation.js';
import { QUEUE_ANOMALY_NAMES, type QueueSeverity } from '../../../src/checker/queue-verdict.js';
import { assign, drained, poll } from './queue-examples.js';
import { BASE_INJECTIONS, type Base } from './queue-gen-base.js';
import { type Entry, type Injection, type Model, type QueueOptions } from './queue-gen-model.js';
import { execute, FATES, type LogShape, type Step } from './queue-gen-history.js';
import { sceneInjections } from './queue-gen-scenes.js';

/**
 * fast-check arbitraries of queue histories: a valid history (queue-gen-history.ts), then anomalies injected
 * (queue-gen-base.ts: into the history's own records, after it; queue-gen-scenes.ts: scenes of their own,
 * alongside it), then the final drain. Each injection adds to `expected` the anomalies it must make the
 * checker report: the one injected, and those it necessarily implies (said where it does so). The drawn
 * workload options (the meta line's `queue` object) decide which of them fail the run.
 */

export const INJECTIONS: readonly Injection[] = QUEUE_ANOMALY_NAMES;

export interface QueueParams {
  partitions: number;
  steps: Step[];
  /** Each anomaly at most once; `variant` picks one of its shapes. */
  inject: { kind: Injection; variant: number }[];
  options: QueueOptions;
  /** When the scenes begin, in the history's time (0: before its first op; past its end: after it). */
  scenesAt: number;
  shape: LogShape;
}

const MAX_STEPS = 30;
/** Variants per injection (each uses `variant % n` for its n shapes). */
const MAX_VARIANT = 3;

const queueOptions: fc.Arbitrary<QueueOptions> = fc.record({
  subscribe: fc.boolean(),
  isolation: fc.constantFrom('read_committed' as const, 'read_uncommitted' as const),
  transactional: fc.boolean(),
  allowDuplicates: fc.boolean(),
});

export const queueParams: fc.Arbitrary<QueueParams> = fc.integer({ min: 1, max: 3 }).chain((partitions) =>
  fc.record({
    partitions: fc.constant(partitions),
    steps: fc.array(fc.record({ proc: fc.nat(2), txn: fc.boolean(), sends: fc.array(fc.nat(partitions - 1), { maxLength: 3 }), pollMax: fc.nat(3), fate: fc.constantFrom(...FATES), landed: fc.boolean(), rebalance: fc.boolean() }), { minLength: 4, maxLength: MAX_STEPS }),
    inject: fc.uniqueArray(fc.record({ kind: fc.constantFrom(...INJECTIONS), variant: fc.nat(MAX_VARIANT) }), { selector: (i) => i.kind, maxLength: INJECTIONS.length }),
    options: queueOptions,
    scenesAt: fc.nat(MAX_STEPS * 2),
    shape: fc.record({ startOffset: fc.constantFrom(0, 1000, 2 ** 33), markers: fc.boolean() }),
  }),
);

/** Splits a log at hidden values: the runs of values read. */
function segments(log: Entry[], hidden: Set<number>): Entry[][] {
  const out: Entry[][] = [[]];
  for (const e of log) {
    if (hidden.has(e[1])) out.push([]);
    else (out[out.length - 1] as Entry[]).push(e);
  }
  return out;
}

/**
 * The final drain (the workload's, with its isolation): process `drain` assigns every partition from the
 * beginning and polls each to its end, but for hidden values: the records past one are read by a process of
 * their own (one consumer reading on past a value would be a poll skip). Then the read-back record.
 */
function drain(m: Model, isolation: QueueOptions['isolation']): void {
  const partitions = [...m.logs.keys()].sort((a, b) => a - b);
  m.records.push(...assign('drain', m.t++, partitions, true));
  const ends: Record<number, number> = {};
  for (const k of partitions) {
    const log = m.logs.get(k) as Entry[];
    segments(log, m.hidden).forEach((run, i) => {
      if (run.length === 0) return;
      const reader = i === 0 ? 'drain' : `drain-${k}-${i}`;
      if (i > 0) m.records.push(...assign(reader, m.t++, [k]));
      m.records.push(...poll(reader, m.t++, { [k]: run }));
    });
    ends[k] = (log[log.length - 1]?.[0] ?? -1) + 1;
  }
  const readBack = drained(m.t++, ends);
  const reached = readBack.partitions.map((r) => m.stuck.find((s) => s.partition === r.partition) ?? r);
  m.records.push({ ...readBack, isolation, partitions: [...reached, ...m.stuck.filter((s) => !m.logs.has(s.partition))] });
}

/** G1a first (it decides which values are aborted), unseen last (it must know what the others read). */
const RANKS: Partial<Record<Injection, number>> = { G1a: 0, unseen: 2 };
const rank = (n: Injection): number => RANKS[n] ?? 1;

export interface GeneratedQueueHistory {
  records: JournalRecord[];
  /** Every anomaly the checker must report, and no other; injections that found no place are left out. */
  expected: Injection[];
  /** The severity each expected anomaly must get, by the policy (docs/checker.md) under the drawn options. */
  severity: Partial<Record<Injection, QueueSeverity>>;
}

/** True when the generator has an injection for `kind` (into the history's records, or a scene). */
export function canInject(kind: Injection): boolean {
  return BASE_INJECTIONS[kind] !== undefined || sceneInjections('read_committed')[kind] !== undefined;
}

export function queueHistory(p: QueueParams): GeneratedQueueHistory {
  const m = execute(p.partitions, p.steps, p.options, p.shape);
  const longest = [...m.logs.entries()].reduce((a, e) => (e[1].length > a[1].length ? e : a));
  const base: Base = { k: longest[0], log: longest[1] };
  const scenes = sceneInjections(p.options.isolation);
  m.sceneT = Math.min(p.scenesAt, m.t);
  for (const { kind, variant } of [...p.inject].sort((a, b) => rank(a.kind) - rank(b.kind))) {
    const inBase = BASE_INJECTIONS[kind];
    if (inBase !== undefined) inBase(m, base, variant);
    else scenes[kind]?.(m, variant);
  }
  // Journal order is time order (stable: each process's ops stay in order).
  m.records = [m.records[0] as JournalRecord, ...m.records.slice(1).sort((a, b) => a.timeMs - b.timeMs)];
  m.t = Math.max(m.t, m.sceneT);
  drain(m, p.options.isolation);
  const expected = [...m.expected];
  // A hanging transaction leaves the drain short of an end: unseen values can then not be told from unread ones.
  const drainComplete = m.stuck.length === 0;
  const severity = Object.fromEntries(expected.map((n) => [n, expectedSeverity(n, p.options, drainComplete, m.throughWw.has(n))]));
  return { records: m.records, expected, severity };
}

/**
 * The queue policy, written out from docs/checker.md ("queue policy") rather than taken from queue-policy.ts,
 * so the test checks the checker against the documentation.
 */
function expectedSeverity(name: Injection, o: QueueOptions, drainComplete: boolean, throughWw: boolean): QueueSeverity {
  const informational =
    name === 'int-send-skip' ||
    name === 'committed-beyond-position' ||
    name === 'G0' ||
    name === 'G0-process' ||
    name === 'G0-realtime' ||
    ((name === 'poll-skip' || name === 'nonmonotonic-poll') && o.subscribe) ||
    ((name === 'G1a' || name === 'G1b' || name === 'zombie-write' || name === 'precommitted-read') && o.isolation === 'read_uncommitted') ||
    (name === 'duplicate' && o.allowDuplicates) ||
    (name === 'unseen' && !drainComplete) ||
    ((name === 'G1c' || name === 'G1c-process' || name === 'G1c-realtime') && throughWw);
  return informational ? 'informational' : 'failure';
}

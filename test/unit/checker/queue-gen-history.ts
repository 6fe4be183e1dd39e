import type { QueueMicroOp } from '../../../src/history/queue-op.js';
import type { JournalRecord } from '../../../src/history/operation.js';
import { assign, meta, poll, pollMop, send, sendMop, txn } from './queue-examples.js';
import { crashRecord, invokeOnly, type Entry, type Model, type QueueOptions } from './queue-gen-model.js';

/**
 * The valid history the generator injects anomalies into: three processes, executed one op at a time (so
 * every order the checker knows agrees with real time), each reading the partition `proc % partitions` from
 * where it left off and sending to any. The writing op of a step (its txn, or its send) has a fate:
 * - ok: acknowledged with offsets, and read on;
 * - fail: aborted (a txn) or refused (a send): its values never reach the log; a consumer reads again what it polled;
 * - info: its outcome unknown (a timeout): its values in the log (`landed`) or not, without offsets;
 * - crash: the client torn down while it was in flight (an invoke never completed, then a `crash` record),
 *   values landed or not; the process assigns again and resumes from its group's committed offset (up to
 *   two records back: a crash resets what the checker knows of its reads).
 * A consumer moves on only after an ok read (an abort or an unknown outcome is read again: no skip).
 */
export const FATES = ['ok', 'ok', 'ok', 'ok', 'fail', 'info', 'crash'] as const;
type Fate = (typeof FATES)[number];

export interface Step {
  proc: number;
  txn: boolean;
  sends: number[];
  pollMax: number;
  fate: Fate;
  landed: boolean;
  /** A rebalance during the step's read gives the partition back: the process resumes from its group's committed offset, up to two records back. */
  rebalance: boolean;
}

/** Where the logs begin, and whether each transaction leaves a marker (an offset no record holds) in the partitions it wrote. */
export interface LogShape {
  startOffset: number;
  markers: boolean;
}

const PROCESSES = 3;
/** Records a rebalance sends a process back by, at most. */
const REWIND = 2;

export function execute(partitions: number, steps: Step[], options: QueueOptions, shape: LogShape): Model {
  const m: Model = { records: [meta({ ...options })], logs: new Map(), flippable: [], t: 1, sceneT: 0, nextValue: 1, nextPartition: partitions, nextProcess: 0, hidden: new Set(), sentTogether: new Map(), unacked: new Set(), aborted: new Set(), expected: new Set(), throughWw: new Set(), stuck: [] };
  const next = new Map<number, number>();
  for (let k = 0; k < partitions; k++) {
    m.logs.set(k, []);
    next.set(k, shape.startOffset);
  }
  const position = new Array<number>(PROCESSES).fill(0);
  for (let proc = 0; proc < PROCESSES; proc++) m.records.push(...assign(`q${proc}`, m.t++, [proc % partitions]));
  for (const s of steps) {
    step(m, s, s.proc % partitions, position, next);
    // Aborted records take offsets too (read_committed consumers never see them), then the marker.
    if (s.txn && (s.fate === 'fail' || s.fate === 'ok' || s.landed)) for (const k of new Set(s.sends)) next.set(k, (next.get(k) as number) + (s.fate === 'fail' ? s.sends.filter((x) => x === k).length : 0) + (shape.markers ? 1 : 0));
  }
  return m;
}

type Sent = [partition: number, value: number, offset?: number];

function step(m: Model, s: Step, mine: number, position: number[], next: Map<number, number>): void {
  const name = `q${s.proc}`;
  const log = m.logs.get(mine) as Entry[];
  // A rebalance shows only in an op that read (it sends the process back to records it reads again).
  const rewinds = s.rebalance && s.pollMax > 0 && (position[s.proc] as number) > 0;
  const from = rewinds ? Math.max(0, (position[s.proc] as number) - REWIND) : (position[s.proc] as number);
  const got = log.slice(from, from + s.pollMax);
  const lands = s.fate === 'ok' || (s.fate !== 'fail' && s.landed);
  const sends = s.sends.map((k) => place(m, k, lands ? next : null, s.fate === 'ok'));
  const rebalanced = <T extends JournalRecord>(records: T[]): T[] => (rewinds ? records.map((r, i) => (i === 1 ? { ...r, rebalances: [{ assigned: [mine], revoked: [mine] }] } : r)) : records);
  if (!s.txn && got.length > 0) m.records.push(...rebalanced(poll(name, m.t++, { [mine]: got })));
  if (!s.txn || s.fate === 'ok') position[s.proc] = from + got.length;
  const polls: QueueMicroOp[] = s.txn && got.length > 0 ? [pollMop({ [mine]: got })] : [];
  if (s.txn && s.fate === 'ok' && sends.length > 1) for (const [, v] of sends) m.sentTogether.set(v, sends.map(([, w]) => w));
  if (s.txn && s.fate === 'ok' && got.length === 0 && sends.length > 0) m.flippable.push({ at: m.records.length + 1, values: sends.map(([, v]) => v) });
  if (s.fate === 'crash') {
    // In flight when the client was torn down (or between ops, when the step has nothing to write).
    if (polls.length + sends.length > 0) m.records.push(invokeOnly(name, m.t++, s.txn ? 'txn' : 'send', sends.map(([k, v]) => [k, v])));
    m.records.push(crashRecord(name, m.t++), ...assign(name, m.t++, [mine]));
    position[s.proc] = Math.max(0, (position[s.proc] as number) - REWIND);
  } else if (s.txn && polls.length + sends.length > 0) m.records.push(...rebalanced(txn(name, m.t++, [...polls, ...sends.map(sendMop)], s.fate)));
  else if (!s.txn && sends.length > 0) m.records.push(...send(name, m.t++, sends, s.fate));
}

/** A send's value, at partition `k`'s next offset when it lands (`next` null: it does not); its offset when acknowledged. */
function place(m: Model, k: number, next: Map<number, number> | null, acknowledged: boolean): Sent {
  const value = m.nextValue++;
  if (next === null) return [k, value];
  const offset = next.get(k) as number;
  next.set(k, offset + 1);
  (m.logs.get(k) as Entry[]).push([offset, value]);
  if (!acknowledged) m.unacked.add(value);
  return acknowledged ? [k, value, offset] : [k, value];
}

import type { JournalRecord, ReadBackPartition } from '../../../src/history/operation.js';
import type { QueueMicroOp, QueueOpRecord } from '../../../src/history/queue-op.js';
import type { QueueAnomalyName } from '../../../src/checker/queue-verdict.js';

/**
 * The state of a generated queue history while anomalies are injected into it (see queue-gen.ts), and the
 * few record builders queue-examples.ts does not export.
 */

/** Every anomaly the checker names has an injection (a test says so: a new name needs one). */
export type Injection = QueueAnomalyName;

/** The meta line's `queue` object: the workload options the policy depends on. */
export interface QueueOptions {
  subscribe: boolean;
  isolation: 'read_committed' | 'read_uncommitted';
  transactional: boolean;
  allowDuplicates: boolean;
}

/** A log entry: [offset, value]. */
export type Entry = [number, number];

export interface Model {
  records: JournalRecord[];
  /** Per partition: the records the log holds, in offset order (what the final drain reads, but for `hidden`). */
  logs: Map<number, Entry[]>;
  /** Txns that polled nothing (record index, values sent): safe to turn into aborted writes. */
  flippable: { at: number; values: number[] }[];
  /** Time of the next op of the history or of an injection into it. */
  t: number;
  /** Start of the next scene: scenes follow each other, overlapping the history's ops (see `scene`). */
  sceneT: number;
  nextValue: number;
  nextPartition: number;
  nextProcess: number;
  /** Values the final drain does not read. */
  hidden: Set<number>;
  /** Per value of an ok txn of the history that sent several: all the values it sent (hiding one tears it: G1b). */
  sentTogether: Map<number, number[]>;
  /** Values in the log whose write was never acknowledged (its op's outcome unknown): never unseen nor lost. */
  unacked: Set<number>;
  /** Values written by ops turned into aborted ones. */
  aborted: Set<number>;
  expected: Set<Injection>;
  /** Cycles injected through a ww edge: informational whatever the options (queue-policy.ts, cycleSeverity). */
  throughWw: Set<Injection>;
  /** Partitions the final drain could not finish (a hanging transaction). */
  stuck: ReadBackPartition[];
}

/** Time each scene takes: its ops are concurrent inside it, and every op of the scene before it has completed. */
const SCENE_MS = 20;

/**
 * A self-contained injection: partitions and processes of its own, a time window after the scene before it.
 * The history's ops run at the same time: with nothing but real-time order between a scene and them (no
 * partition, no process in common), and real-time order being transitive, they cannot join a scene's cycle.
 * Records go to the model unsorted: `queueHistory` sorts the journal by time.
 */
export interface Scene {
  /** Fresh partitions (their logs are drained at the end). */
  p: number[];
  /** A fresh process name per letter. */
  proc: (letter: string) => string;
  t: number;
  value: () => number;
  /** Adds the scene's records (each op a pair of invoke and completion, or an invoke alone). */
  emit: (records: JournalRecord[]) => void;
}

export function scene(m: Model, partitions: number): Scene {
  const p = Array.from({ length: partitions }, () => m.nextPartition++);
  for (const k of p) m.logs.set(k, []);
  const n = m.nextProcess++;
  const t = m.sceneT;
  m.sceneT += SCENE_MS;
  return {
    p,
    proc: (letter) => `s${n}${letter}`,
    t,
    value: () => m.nextValue++,
    emit: (records) => m.records.push(...records),
  };
}

/** Appends `entries` to the log of partition `k` (what the drain will read). */
export function logged(m: Model, k: number, ...entries: Entry[]): void {
  (m.logs.get(k) as Entry[]).push(...entries);
}

export const offsetsMop = (partition: number, offset: number): QueueMicroOp => ({ f: 'send-offsets', offsets: [{ partition, offset }] });

/** commitSync of one offset, ok. */
export function commit(process: string, t: number, partition: number, offset: number): QueueOpRecord[] {
  return [
    { kind: 'queue', type: 'invoke', f: 'commit', process, timeMs: t },
    { kind: 'queue', type: 'ok', f: 'commit', process, timeMs: t + 0.5, offsets: [{ partition, offset }] },
  ];
}

/** An invoke that never completes (the client timed out or died): its sends carry no offset. */
export function invokeOnly(process: string, t: number, f: 'send' | 'txn', sends: [number, number][]): QueueOpRecord {
  return { kind: 'queue', type: 'invoke', f, process, timeMs: t, mops: sends.map(([partition, value]) => ({ f: 'send', partition, value })) };
}

/** The client torn down without closing (one info record). */
export const crashRecord = (process: string, t: number): QueueOpRecord => ({ kind: 'queue', type: 'info', f: 'crash', process, timeMs: t });

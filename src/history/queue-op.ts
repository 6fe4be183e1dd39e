import type { OpError, OpType } from './operation.js';

/**
 * The queue history (issue 10): one `kind: 'queue'` record per client operation of a queue workload,
 * Jepsen style (`invoke`, then `ok` / `fail` / `info`). A record kind of its own, so the produce ops
 * (`kind: 'op'`) and their fast lane stay as they are. See docs/history.md, "queue".
 *
 * Partitions are those of the run's topic unless an entry names its `topic`. Values are integers, unique
 * per partition (the workload counts them per partition or per process), so a value names one write.
 */
export type QueueOpFunction = 'txn' | 'send' | 'poll' | 'assign' | 'subscribe' | 'commit' | 'crash';
export const QUEUE_OP_FUNCTIONS: readonly QueueOpFunction[] = ['txn', 'send', 'poll', 'assign', 'subscribe', 'commit', 'crash'];

/** Send one value to a partition. `offset`: on a completion, the offset the broker acknowledged (absent when unknown). */
export interface QueueSendMop {
  f: 'send';
  partition: number;
  topic?: string;
  /** The message key, when the workload sets one (informational: partitions are what the checker orders by). */
  key?: string;
  value: number;
  offset?: number;
}

/** What one poll returned for one partition: `[offset, value]` pairs in the order received. */
export interface QueuePolledPartition {
  partition: number;
  topic?: string;
  records: [number, number][];
}

/** One consumer poll; `partitions` is empty on an invoke (and when the poll returned nothing). */
export interface QueuePollMop {
  f: 'poll';
  partitions: QueuePolledPartition[];
}

/** A consumer group offset: the next offset to consume from `partition` (Kafka's committed offset). */
export interface QueueOffset {
  partition: number;
  topic?: string;
  offset: number;
}

/** `sendOffsetsToTransaction` inside a txn: these offsets commit with the transaction, or not at all. */
export interface QueueSendOffsetsMop {
  f: 'send-offsets';
  group?: string;
  offsets: QueueOffset[];
}

export type QueueMicroOp = QueueSendMop | QueuePollMop | QueueSendOffsetsMop;

/**
 * The step of a transaction whose error ended it (the workload's names for the client calls). Every step
 * but `commitTransaction` comes before the client asked to commit: a transaction that ended there can
 * never have committed. `workload`: the workload aborted it on purpose.
 */
export type QueueTxnStep = 'beginTransaction' | 'poll' | 'send' | 'sendOffsetsToTransaction' | 'workload' | 'commitTransaction';
export const QUEUE_TXN_STEPS: readonly QueueTxnStep[] = ['beginTransaction', 'poll', 'send', 'sendOffsetsToTransaction', 'workload', 'commitTransaction'];

/** One rebalance callback seen during an operation (subscribe): partitions given and taken. */
export interface QueueRebalance {
  timeMs?: number;
  topic?: string;
  assigned: number[];
  revoked: number[];
}

/**
 * One queue client operation.
 * - `txn`: `mops` (sends, polls, send-offsets) in one transaction: `ok` committed, `fail` aborted, `info` unknown.
 * - `send`: `mops` of sends only, outside a transaction; `poll`: `mops` of polls only, outside a transaction.
 *   The invoke may carry the mops without offsets/records; every completion but `info` repeats them with
 *   what the client got back (an `info` without `mops` means the invoke's).
 * - `assign`: `partitions` (of `topic`) assigned by hand; `seekToBeginning` when the consumer rewound to the log start.
 * - `subscribe`: `partitions` the consumer subscribed for (their topic); `rebalances` lists the callbacks.
 * - `commit`: `offsets` committed outside a transaction (commitSync).
 * - `crash`: one `info`: the client was torn down without closing (its consumer position and producer are gone).
 * Any op may carry `rebalances` (callbacks that fired during it, e.g. inside a poll).
 * Optional, on `txn` (and `send`) ops of a transactional producer: `transactionalId`, `incarnation` (which
 * producer of that transactional id: 1 for the first opened, +1 for each one opened after it) and, on a
 * `fail` or `info` txn, `failedStep` (the step whose error ended it). The queue checker's zombie-write and
 * G1b rules use them; histories without them are still checked (those rules then find less).
 */
export interface QueueOpRecord {
  kind: 'queue';
  type: OpType;
  f: QueueOpFunction;
  /** The client, e.g. 'q3'. One operation at a time per process. */
  process: string;
  timeMs: number;
  mops?: QueueMicroOp[];
  topic?: string;
  partitions?: number[];
  seekToBeginning?: boolean;
  offsets?: QueueOffset[];
  rebalances?: QueueRebalance[];
  transactionalId?: string;
  /** 1, 2, ...: the producer incarnation of `transactionalId` that ran this op (newer ones fence older ones). */
  incarnation?: number;
  failedStep?: QueueTxnStep;
  error?: OpError;
}

import { FaultlineError, UsageError } from '../errors.js';
import type { QueueMicroOp, QueueOpRecord } from '../history/queue-op.js';
import { COPIER_DEFAULT_TRANSACTION_SIZE, type CopierProgress } from './transactional-copier.js';

/**
 * The copier prints counts, never values or offsets. What it copied is in its output partition: read with
 * read_committed, that partition holds the committed transactions' records back to back, in commit order
 * (one copier writes it). So the k-th reported transaction of n messages is the next n output records; the
 * values it polled are the same values in the input partition (looked up by value, unique per partition).
 */
export interface CopierHistoryOptions {
  /** Process name in the history, e.g. 'copier0'. */
  readonly process: string;
  readonly inputTopic: string;
  readonly outputTopic: string;
  /** The copier's input partition (= the output partition it writes). */
  readonly partition: number;
  /** The input partition's records, `[offset, value]` in offset order (e.g. the drain's polls). */
  readonly input: readonly (readonly [number, number])[];
  /** The output partition's records read with read_committed, `[offset, value]` in offset order. */
  readonly output: readonly (readonly [number, number])[];
  /** --transaction-size the copier ran with (bounds the one unreported transaction); default 200. */
  readonly transactionSize?: number;
}

export interface CopierHistory {
  readonly records: QueueOpRecord[];
  /** Transactions from the progress lines (+1 when output records follow the last reported one). */
  readonly transactions: number;
  /**
   * Output records after those the progress lines account for: the transaction in flight when the tool
   * stopped committed, but no line counted it. Recorded as one more committed txn (at most transactionSize).
   */
  readonly unreportedMessages: number;
  /** Messages the progress lines count that the output partition does not hold (a committed copy lost). */
  readonly missingMessages: number;
  /** Output values not in the input partition (the txn's poll leaves them out). */
  readonly notInInput: number;
}

type Pair = readonly [number, number];

/** Pure: the queue `txn` records (invoke + ok) of one copier run, built from its progress and the two partitions. */
export function copierQueueRecords(progress: CopierProgress, options: CopierHistoryOptions): CopierHistory {
  if (options.process === '') throw new UsageError('process is empty');
  const size = options.transactionSize ?? COPIER_DEFAULT_TRANSACTION_SIZE;
  const inputOffsetOf = new Map<number, number>();
  for (const [offset, value] of options.input) if (!inputOffsetOf.has(value)) inputOffsetOf.set(value, offset);
  const records: QueueOpRecord[] = [];
  let next = 0;
  let missing = 0;
  let notInInput = 0;
  const emit = (chunk: readonly Pair[], startTimeMs: number, timeMs: number): void => {
    const built = txnRecords(chunk, inputOffsetOf, options, startTimeMs, timeMs);
    notInInput += built.notInInput;
    records.push(...built.records);
  };
  for (const txn of progress.transactions) {
    const chunk = options.output.slice(next, next + txn.messages);
    missing += txn.messages - chunk.length;
    next += chunk.length;
    emit(chunk, txn.startTimeMs, txn.timeMs);
  }
  const tail = options.output.slice(next);
  if (tail.length > size) {
    throw new FaultlineError(`copier ${options.process}: output partition ${options.partition} holds ${tail.length} records its progress lines do not count, more than one transaction (${size}): another writer, or the output of an earlier run`);
  }
  if (tail.length > 0) {
    const startMs = progress.lastStatusTimeMs ?? 0;
    emit(tail, startMs, Math.max(startMs, progress.shutdownTimeMs ?? startMs));
  }
  return { records, transactions: progress.transactions.length + (tail.length > 0 ? 1 : 0), unreportedMessages: tail.length, missingMessages: missing, notInInput };
}

function txnRecords(chunk: readonly Pair[], inputOffsetOf: ReadonlyMap<number, number>, o: CopierHistoryOptions, startTimeMs: number, timeMs: number): { records: QueueOpRecord[]; notInInput: number } {
  const polled: [number, number][] = [];
  for (const [, value] of chunk) {
    const offset = inputOffsetOf.get(value);
    if (offset !== undefined) polled.push([offset, value]);
  }
  const sends: QueueMicroOp[] = chunk.map(([offset, value]) => ({ f: 'send', topic: o.outputTopic, partition: o.partition, value, offset }));
  const poll: QueueMicroOp = { f: 'poll', partitions: [{ partition: o.partition, topic: o.inputTopic, records: polled }] };
  const planned: QueueMicroOp[] = [{ f: 'poll', partitions: [] }, ...chunk.map(([, value]): QueueMicroOp => ({ f: 'send', topic: o.outputTopic, partition: o.partition, value }))];
  const base = { kind: 'queue', f: 'txn', process: o.process } as const;
  return {
    records: [
      { ...base, type: 'invoke', timeMs: startTimeMs, mops: planned },
      { ...base, type: 'ok', timeMs, mops: [poll, ...sends] },
    ],
    notInInput: chunk.length - polled.length,
  };
}

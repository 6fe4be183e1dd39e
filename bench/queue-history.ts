/* eslint-disable @typescript-eslint/no-non-null-assertion -- a generator over arrays it sized itself; to be rewritten with typed reads */
import { closeSync, openSync } from 'node:fs';
import { encodeQueueOp, encodeRecord } from '../src/history/record-encode.js';
import { JOURNAL_FORMAT_VERSION } from '../src/history/operation.js';
import type { QueueMicroOp, QueueOpRecord } from '../src/history/queue-op.js';
import { Lines } from './line-writer.js';

export interface QueueHistoryShape {
  /** Journal lines of queue ops to write (invoke + completion per op). */
  lines: number;
  transactional: boolean;
  processes: number;
  partitions: number;
}

export interface QueueHistoryFile {
  lines: number;
  bytes: number;
  ops: number;
}

/**
 * A correct queue history, executed one op at a time: each process owns the partitions `p % partitions`
 * for reading. Transactional: each txn polls up to 3 committed records from its partition, sends 2 values,
 * sends its offsets; 1 in 20 aborts (its sends take offsets nobody reads; the consumer rewinds). A
 * transaction marker follows each committed or aborted write. Non-transactional: sends of one value and
 * polls of up to 10 records, alternating. Ends with a drain (assign from the beginning, poll everything)
 * and its read-back record. The checker must find nothing failing and say valid.
 */
export function writeQueueHistory(path: string, shape: QueueHistoryShape): QueueHistoryFile {
  const fd = openSync(path, 'w');
  const out = new Lines(fd);
  out.emit(encodeRecord({ kind: 'meta', timeMs: 0, formatVersion: JOURNAL_FORMAT_VERSION, startedAt: '2025-01-01T00:00:00.000Z', run: 'bench-queue', topic: 'q', queue: { transactional: shape.transactional, isolation: 'read_committed', subscribe: false } }));
  const K = shape.partitions;
  const nextOffset = new Float64Array(K);
  const logOffsets: number[][] = Array.from({ length: K }, () => []);
  const logValues: number[][] = Array.from({ length: K }, () => []);
  const nextValue = new Float64Array(K);
  const position = new Int32Array(shape.processes);
  let t = 0;
  let ops = 0;
  const emitOp = (process: string, f: QueueOpRecord['f'], type: 'ok' | 'fail', body: Partial<QueueOpRecord>): void => {
    out.emit(encodeQueueOp({ kind: 'queue', type: 'invoke', f, process, timeMs: ++t }));
    out.emit(encodeQueueOp({ kind: 'queue', type, f, process, timeMs: t + 0.5, ...body }));
    ops++;
  };
  for (let p = 0; p < shape.processes; p++) emitOp(`q${p}`, 'assign', 'ok', { partitions: [p % K] });
  let turn = 0;
  while (out.lines < shape.lines - 2 * shape.processes - 2 * (K * 2 + 10)) {
    const p = turn % shape.processes;
    const mine = p % K;
    const polled: [number, number][] = [];
    const limit = shape.transactional ? 3 : 10;
    const doPoll = shape.transactional || (turn >> 1) % 2 === 0;
    if (doPoll) while (polled.length < limit && position[p]! < logOffsets[mine]!.length) {
      polled.push([logOffsets[mine]![position[p]!]!, logValues[mine]![position[p]!]!]);
      position[p]!++;
    }
    if (!shape.transactional) {
      if (doPoll) emitOp(`q${p}`, 'poll', 'ok', { mops: [{ f: 'poll', partitions: polled.length > 0 ? [{ partition: mine, records: polled }] : [] }] });
      else {
        const k = (turn * 7) % K;
        const value = nextValue[k]!++;
        const offset = nextOffset[k]!++;
        logOffsets[k]!.push(offset);
        logValues[k]!.push(value);
        emitOp(`q${p}`, 'send', 'ok', { mops: [{ f: 'send', partition: k, value, offset }] });
      }
      turn++;
      continue;
    }
    const abort = turn % 20 === 19;
    const mops: QueueMicroOp[] = [];
    if (polled.length > 0) mops.push({ f: 'poll', partitions: [{ partition: mine, records: polled }] });
    const written = new Set<number>();
    for (let s = 0; s < 2; s++) {
      const k = (turn * 3 + s * 5) % K;
      const value = nextValue[k]!++;
      const offset = nextOffset[k]!++;
      mops.push({ f: 'send', partition: k, value, offset });
      written.add(k);
      if (!abort) {
        logOffsets[k]!.push(offset);
        logValues[k]!.push(value);
      }
    }
    for (const k of written) nextOffset[k]!++;
    if (abort) position[p]! -= polled.length;
    else if (polled.length > 0) mops.push({ f: 'send-offsets', offsets: [{ partition: mine, offset: polled[polled.length - 1]![0] + 1 }] });
    emitOp(`q${p}`, 'txn', abort ? 'fail' : 'ok', { mops });
    turn++;
  }
  drain(emitOp, logOffsets, logValues, K);
  out.emit(encodeRecord({ kind: 'read-back', timeMs: ++t, process: 'drain', topic: 'q', isolation: 'read_committed', partitions: Array.from({ length: K }, (_, k) => ({ partition: k, startOffset: 0, endOffset: nextOffset[k]!, read: logOffsets[k]!.length, reachedEnd: true })) }));
  out.flush();
  closeSync(fd);
  return { lines: out.lines, bytes: out.bytes, ops };
}

function drain(emitOp: (process: string, f: QueueOpRecord['f'], type: 'ok', body: Partial<QueueOpRecord>) => void, logOffsets: number[][], logValues: number[][], K: number): void {
  emitOp('drain', 'assign', 'ok', { partitions: Array.from({ length: K }, (_, k) => k), seekToBeginning: true });
  const batch = 1000;
  for (let k = 0; k < K; k++) {
    const offsets = logOffsets[k]!;
    for (let i = 0; i < offsets.length; i += batch) {
      const records: [number, number][] = [];
      for (let j = i; j < Math.min(offsets.length, i + batch); j++) records.push([offsets[j]!, logValues[k]![j]!]);
      emitOp('drain', 'poll', 'ok', { mops: [{ f: 'poll', partitions: [{ partition: k, records }] }] });
    }
  }
}

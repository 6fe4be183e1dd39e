import { closeSync, openSync, writeSync } from 'node:fs';
import { encodeOp, encodeRecord } from '../src/history/record-encode.js';
import { JOURNAL_FORMAT_VERSION, sendValue, type OpRecord } from '../src/history/operation.js';

export interface SyntheticHistoryShape {
  /** Journal operations (op lines) to write. */
  operations: number;
  producers: number;
  partitions: number;
}

export interface SyntheticHistoryFile {
  path: string;
  operations: number;
  values: number;
  bytes: number;
  lines: number;
}

/**
 * Writes a correct produce-then-read-back history: per value an invoke, an ok (with partition and
 * offset) and one read record; producers interleave round robin, each spreading its values over the
 * partitions; a cluster sample every 100,000 lines; the read-back's end record. The checkers must find it valid.
 */
export function writeSyntheticHistory(path: string, shape: SyntheticHistoryShape): SyntheticHistoryFile {
  const values = Math.floor((shape.operations - 1) / 3);
  const fd = openSync(path, 'w');
  let bytes = 0;
  let lines = 0;
  let chunk: string[] = [];
  let chunkChars = 0;
  const emit = (line: string): void => {
    chunk.push(line);
    chunkChars += line.length + 1;
    lines++;
    if (chunkChars >= 4 * 1024 * 1024) flush();
  };
  const flush = (): void => {
    if (chunk.length === 0) return;
    const data = Buffer.from(chunk.join('\n') + '\n', 'utf8');
    let done = 0;
    while (done < data.length) done += writeSync(fd, data, done);
    bytes += data.length;
    chunk = [];
    chunkChars = 0;
  };
  const topic = 'bench';
  emit(encodeRecord({ kind: 'meta', timeMs: 0, formatVersion: JOURNAL_FORMAT_VERSION, startedAt: '2025-01-01T00:00:00.000Z', run: 'bench', topic, acks: 'all', seed: 1 }));
  const nextOffset = new Array<number>(shape.partitions).fill(0);
  const seqOf = new Array<number>(shape.producers).fill(0);
  const sample = (timeMs: number): string =>
    encodeRecord({ kind: 'sample', timeMs, topic, partitions: nextOffset.map((hw, partition) => ({ partition, leader: 1, isr: [1, 2, 3], highWatermark: hw })) });
  let timeMs = 0;
  for (let v = 0; v < values; v++) {
    const p = v % shape.producers;
    const seq = seqOf[p] as number;
    seqOf[p] = seq + 1;
    const process = `p${p}`;
    const value = sendValue(process, seq);
    const partition = (seq + p) % shape.partitions;
    const offset = nextOffset[partition] as number;
    nextOffset[partition] = offset + 1;
    timeMs++;
    const invoke: OpRecord = { kind: 'op', type: 'invoke', f: 'send', process, value, timeMs };
    emit(encodeOp(invoke));
    emit(encodeOp({ kind: 'op', type: 'ok', f: 'send', process, value, timeMs: timeMs + 0.5, partition, offset }));
    if (lines % 100_000 < 2) emit(sample(timeMs));
  }
  emit(sample(timeMs));
  emit(encodeOp({ kind: 'op', type: 'invoke', f: 'read', process: 'r0', value: '', timeMs }));
  // Read back partition by partition, in offset order, as a consumer would.
  const perPartition: number[][] = Array.from({ length: shape.partitions }, () => []);
  seqOf.fill(0);
  for (let v = 0; v < values; v++) {
    const p = v % shape.producers;
    const seq = seqOf[p] as number;
    seqOf[p] = seq + 1;
    (perPartition[(seq + p) % shape.partitions] as number[]).push(v);
  }
  seqOf.fill(0);
  const seqOfValue = new Int32Array(values);
  for (let v = 0; v < values; v++) {
    const p = v % shape.producers;
    seqOfValue[v] = seqOf[p] as number;
    seqOf[p] = (seqOf[p] as number) + 1;
  }
  for (let partition = 0; partition < shape.partitions; partition++) {
    const list = perPartition[partition] as number[];
    for (let offset = 0; offset < list.length; offset++) {
      const v = list[offset] as number;
      const process = `p${v % shape.producers}`;
      emit(encodeOp({ kind: 'op', type: 'ok', f: 'read', process: 'r0', value: sendValue(process, seqOfValue[v] as number), timeMs: ++timeMs, partition, offset }));
    }
  }
  // The read-back reached the end offsets of every partition: the checker's evidence for valid.
  const ends = perPartition.map((list, partition) => ({ partition, startOffset: 0, endOffset: list.length, read: list.length, reachedEnd: true }));
  emit(encodeRecord({ kind: 'read-back', timeMs: ++timeMs, process: 'r0', topic, isolation: 'read_uncommitted', partitions: ends }));
  flush();
  closeSync(fd);
  return { path, operations: values * 3 + 1, values, bytes, lines };
}

import { closeSync, openSync } from 'node:fs';
import { JOB_OFFSETS_EVENT } from '../src/history/job-event.js';
import { JOURNAL_FORMAT_VERSION, type OpRecord } from '../src/history/operation.js';
import type { OutRecord } from '../src/history/output-record.js';
import { encodeRecord } from '../src/history/record-encode.js';
import { Lines } from './line-writer.js';

export interface PipelineHistoryShape {
  /** Input values, each processed once: one output or DLQ record each. */
  values: number;
  inputPartitions: number;
  outputPartitions: number;
  /** Every n-th input is a poison record (to the DLQ, with headers: those lines take JSON.parse). */
  poisonEvery: number;
  /** Distinct keys. */
  keys: number;
  /** Write each send's invoke as well as its ok (the input generator does). */
  invokes: boolean;
}

export interface PipelineHistoryFile {
  lines: number;
  bytes: number;
  outRecords: number;
}

/** Inputs written before their outputs, in blocks of this many (the live reader journals output as it arrives). */
const BLOCK = 1000;

/**
 * A correct exactly-once pipeline history: `values` inputs (ids 0..n-1, id i on input partition i % P at
 * offset i / P), each output once as `<id>:<keyCount>` (the poison ones to the DLQ with provenance headers),
 * both topics read to the end, the group's offsets committed at the end of every input partition.
 * The pipeline checker must find nothing and say valid.
 */
export function writePipelineHistory(path: string, shape: PipelineHistoryShape): PipelineHistoryFile {
  const fd = openSync(path, 'w');
  const lines = new Lines(fd);
  const pipeline = { inputTopic: 'in', outputTopic: 'out', dlqTopic: 'dlq', guarantee: 'exactly-once', keys: shape.keys };
  lines.emit(encodeRecord({ kind: 'meta', timeMs: 0, formatVersion: JOURNAL_FORMAT_VERSION, startedAt: '2025-01-01T00:00:00.000Z', run: 'bench-pipeline', pipeline }));
  const outEnd = new Float64Array(shape.outputPartitions);
  const keyCount = new Float64Array(shape.keys);
  let dlqEnd = 0;
  for (let first = 0; first < shape.values; first += BLOCK) {
    const last = Math.min(shape.values, first + BLOCK);
    for (let id = first; id < last; id++) {
      const value = id % shape.poisonEvery === shape.poisonEvery - 1 ? `!${id}` : String(id);
      const timeMs = Math.round(id * 37) / 100;
      const send: OpRecord = { kind: 'op', type: 'invoke', f: 'send', process: 'in', value, timeMs };
      if (shape.invokes) lines.emit(encodeRecord(send));
      lines.emit(encodeRecord({ ...send, type: 'ok', timeMs: timeMs + 0.25, partition: id % shape.inputPartitions, offset: Math.floor(id / shape.inputPartitions) }));
    }
    for (let id = first; id < last; id++) {
      const key = id % shape.keys;
      const timeMs = Math.round(id * 37) / 100 + 3;
      if (id % shape.poisonEvery === shape.poisonEvery - 1) {
        const headers = { 'faultline.source.topic': 'in', 'faultline.source.partition': String(id % shape.inputPartitions), 'faultline.source.offset': String(Math.floor(id / shape.inputPartitions)), 'faultline.error': 'NumberFormatException' };
        lines.emit(encodeRecord({ kind: 'out', timeMs, reader: 'live', topic: 'dlq', partition: 0, offset: dlqEnd++, key: `k${key}`, value: `!${id}`, headers }));
        continue;
      }
      const partition = key % shape.outputPartitions;
      keyCount[key] = (keyCount[key] as number) + 1;
      const out: OutRecord = { kind: 'out', timeMs, reader: 'live', topic: 'out', partition, offset: outEnd[partition] as number, key: `k${key}`, value: `${id}:${keyCount[key]}` };
      outEnd[partition] = (outEnd[partition] as number) + 1;
      lines.emit(encodeRecord(out));
    }
  }
  const endMs = shape.values * 0.37 + 10;
  const partitions = (ends: readonly number[]): { partition: number; startOffset: number; endOffset: number; read: number; reachedEnd: boolean }[] => ends.map((end, partition) => ({ partition, startOffset: 0, endOffset: end, read: end, reachedEnd: true }));
  lines.emit(encodeRecord({ kind: 'out-end', timeMs: endMs, reader: 'live', topic: 'out', isolation: 'read_committed', partitions: partitions([...outEnd]) }));
  lines.emit(encodeRecord({ kind: 'out-end', timeMs: endMs, reader: 'live', topic: 'dlq', isolation: 'read_committed', partitions: partitions([dlqEnd]) }));
  const offsets = Object.fromEntries(Array.from({ length: shape.inputPartitions }, (_, p) => [String(p), Math.ceil((shape.values - p) / shape.inputPartitions)]));
  lines.emit(encodeRecord({ kind: 'event', timeMs: endMs, event: JOB_OFFSETS_EVENT, detail: { job: 'bench', group: 'bench-app', topic: 'in', offsets } }));
  lines.flush();
  closeSync(fd);
  return { lines: lines.lines, bytes: lines.bytes, outRecords: shape.values };
}

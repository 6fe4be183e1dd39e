import { JOB_OFFSETS_EVENT } from '../../../src/history/job-event.js';
import type { EventRecord, JournalRecord, MetaRecord, OpRecord } from '../../../src/history/operation.js';
import type { OutEndRecord, OutRecord } from '../../../src/history/output-record.js';
import type { PipelineGuarantee } from '../../../src/history/pipeline-meta.js';

/** Builders for small pipeline histories: input topic `in`, output `out`, DLQ `dlq`, 4 keys. */
const KEYS = 4;

export const pmeta = (guarantee: PipelineGuarantee = 'exactly-once'): MetaRecord => ({
  kind: 'meta',
  timeMs: 0,
  formatVersion: 4,
  startedAt: '2025-01-01T00:00:00.000Z',
  run: 'p',
  pipeline: { inputTopic: 'in', outputTopic: 'out', dlqTopic: 'dlq', guarantee, keys: KEYS },
});

/** One input send: invoke, then its completion (ok with its location). */
export function input(id: number, partition: number, offset: number, type: 'ok' | 'info' | 'fail' | 'none' = 'ok', poison = false): OpRecord[] {
  const value = `${poison ? '!' : ''}${id}`;
  const invoke: OpRecord = { kind: 'op', type: 'invoke', f: 'send', process: 'in', value, timeMs: id };
  if (type === 'none') return [invoke];
  const done: OpRecord = { kind: 'op', type, f: 'send', process: 'in', value, timeMs: id + 0.5 };
  if (type === 'ok') Object.assign(done, { partition, offset });
  return [invoke, done];
}

/** The key count of input `id` when every input before it was a good one, output once: `id div keys` + 1. */
export const keyCountOf = (id: number): number => Math.floor(id / KEYS) + 1;

/** An output record of input `id` (`<id>:<keyCount>`, by default keyCountOf(id)). */
export const out = (id: number, partition: number, offset: number, reader = 'live', key = `k${id % KEYS}`, keyCount = keyCountOf(id)): OutRecord => ({ kind: 'out', timeMs: 1000 + offset, reader, topic: 'out', partition, offset, key, value: `${id}:${keyCount}` });

/** A DLQ record of poison input `id`, with provenance headers naming `source` (none when null). */
export function dlq(id: number, partition: number, offset: number, source: { partition: number; offset: number; topic?: string } | null, reader = 'live'): OutRecord {
  const record: OutRecord = { kind: 'out', timeMs: 2000 + offset, reader, topic: 'dlq', partition, offset, key: `k${id % KEYS}`, value: `!${id}` };
  if (source !== null) {
    record.headers = { 'faultline.source.topic': source.topic ?? 'in', 'faultline.source.partition': String(source.partition), 'faultline.source.offset': String(source.offset), 'faultline.error': 'not a number' };
  }
  return record;
}

/** An out-end record: every partition read to `ends[p]`. */
export function ends(topic: string, byPartition: Record<number, number>, options: { reader?: string; reachedEnd?: boolean; lastStableOffset?: number } = {}): OutEndRecord {
  const partitions = Object.entries(byPartition).map(([p, end]) => ({ partition: Number(p), startOffset: 0, endOffset: end, read: end, reachedEnd: options.reachedEnd ?? true, ...(options.lastStableOffset === undefined ? {} : { lastStableOffset: options.lastStableOffset }) }));
  const reader = options.reader ?? 'live';
  return { kind: 'out-end', timeMs: 5000, reader, topic, isolation: reader === 'live' ? 'read_committed' : 'read_uncommitted', partitions };
}

export const jobOffsets = (offsets: Record<string, number>, timeMs = 6000): EventRecord => ({ kind: 'event', timeMs, event: JOB_OFFSETS_EVENT, detail: { job: 'j', group: 'app-1', topic: 'in', offsets } });

/**
 * A valid exactly-once history: inputs 0..5 on input partition 0 at offsets 0..5, id 3 poison; each good
 * input output once (output partition 0, in order), the poison one in the DLQ with its provenance; both
 * topics read to the end; the group committed offset 6.
 */
export function validHistory(guarantee: PipelineGuarantee = 'exactly-once'): JournalRecord[] {
  const records: JournalRecord[] = [pmeta(guarantee)];
  let outOffset = 0;
  for (let id = 0; id < 6; id++) {
    records.push(...input(id, 0, id, 'ok', id === 3));
    records.push(id === 3 ? dlq(id, 0, 0, { partition: 0, offset: 3 }) : out(id, 0, outOffset++));
  }
  records.push(ends('out', { 0: outOffset }), ends('dlq', { 0: 1 }), jobOffsets({ 0: 6 }));
  return records;
}

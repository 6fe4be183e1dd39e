import type { ReadBackPartition } from './operation.js';
import type { OutEndRecord, OutRecord } from './output-record.js';

/**
 * Validates parsed `out` and `out-end` records field by field. Errors name the field by its path
 * (`out-end: partitions[1].endOffset must be ...`, `out: headers["faultline.source.offset"] must be a string`);
 * the reader adds the line number.
 */

type Json = Record<string, unknown>;
type Fail = (message: string) => never;

/** Kafka partition ids are 32-bit signed. */
const MAX_PARTITION_ID = 2 ** 31 - 1;
const ISOLATIONS = ['read_committed', 'read_uncommitted'] as const;

export function toOutRecord(o: Json, fail: Fail): OutRecord {
  common(o, 'out', fail);
  whole(o['partition'], 'out: partition', fail, MAX_PARTITION_ID);
  whole(o['offset'], 'out: offset', fail);
  for (const key of ['key', 'value']) {
    if (o[key] !== null && typeof o[key] !== 'string') fail(`out: ${key} must be a string or null`);
  }
  const headers = o['headers'];
  if (headers !== undefined) {
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) fail('out: headers must be an object of strings');
    for (const [name, v] of Object.entries(headers as Json)) {
      if (typeof v !== 'string') fail(`out: headers[${JSON.stringify(name)}] must be a string`);
    }
  }
  return o as unknown as OutRecord;
}

export function toOutEndRecord(o: Json, fail: Fail): OutEndRecord {
  common(o, 'out-end', fail);
  if (!(ISOLATIONS as readonly unknown[]).includes(o['isolation'])) fail(`out-end: isolation must be one of ${ISOLATIONS.join(', ')}, got ${JSON.stringify(o['isolation'])}`);
  const parts = o['partitions'];
  if (!Array.isArray(parts)) fail('out-end: partitions must be an array');
  (parts as unknown[]).forEach((p, i) => checkPartition(p, `out-end: partitions[${i}]`, fail));
  return o as unknown as OutEndRecord;
}

function common(o: Json, kind: string, fail: Fail): void {
  if (typeof o['timeMs'] !== 'number' || !Number.isFinite(o['timeMs'])) fail(`${kind}: timeMs must be a number`);
  if (typeof o['reader'] !== 'string' || o['reader'] === '') fail(`${kind}: reader must be a non-empty string`);
  if (typeof o['topic'] !== 'string' || o['topic'] === '') fail(`${kind}: topic must be a non-empty string`);
}

function checkPartition(p: unknown, path: string, fail: Fail): ReadBackPartition {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) fail(`${path} must be an object`);
  const o = p as Json;
  whole(o['partition'], `${path}.partition`, fail, MAX_PARTITION_ID);
  for (const key of ['startOffset', 'endOffset', 'read']) whole(o[key], `${path}.${key}`, fail);
  if (typeof o['reachedEnd'] !== 'boolean') fail(`${path}.reachedEnd must be true or false`);
  if (o['lastStableOffset'] !== undefined) whole(o['lastStableOffset'], `${path}.lastStableOffset`, fail);
  return o as unknown as ReadBackPartition;
}

function whole(v: unknown, path: string, fail: Fail, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) fail(`${path} must be a whole number in 0..${max}`);
  return v;
}

import type { EventTally } from './window-events.js';
import type { WindowCase, WindowResult } from './window-types.js';
import { parseWindowValue, tumblingProblem } from './window-value.js';

/** Malformed records listed (all are counted). */
const MAX_LISTED_MALFORMED = 100;

/** What reading the result records found. */
export interface ResultTally {
  /** Distinct locations read. */
  records: number;
  /** Records read again at a location already read, with the same key and value (ignored). */
  rereads: number;
  malformed: number;
  malformedCases: WindowCase[];
  /** Per result (input order), its window's slot; -1 for malformed records and rereads. */
  resultSlot: Int32Array;
}

/**
 * Reads the result records into the event table: each well-formed one is noted on its (key, window) slot
 * (added when no event fell in it). Malformed: the value does not parse, is not a tumbling window of `sizeMs`,
 * its key is no event key, or another record was read at the same location with a different key or value.
 */
export function tallyResults(results: readonly WindowResult[], events: EventTally, sizeMs: number): ResultTally {
  const out: ResultTally = { records: 0, rereads: 0, malformed: 0, malformedCases: [], resultSlot: new Int32Array(results.length).fill(-1) };
  const firstAt = earlierAtLocation(results);
  for (let j = 0; j < results.length; j++) {
    const r = results[j] as WindowResult;
    const earlier = firstAt === null ? -1 : (firstAt[j] as number);
    const first = earlier < 0 ? null : (results[earlier] as WindowResult);
    if (first !== null && first.key === r.key && first.value === r.value) {
      out.rereads++;
      continue;
    }
    out.records++;
    const parsed = first === null ? judgeRecord(r, events, sizeMs) : `read twice at partition ${r.partition} offset ${r.offset} with different contents ('${first.key}' '${first.value}', then '${r.key}' '${r.value}')`;
    if (typeof parsed === 'string') {
      out.malformed++;
      if (out.malformedCases.length < MAX_LISTED_MALFORMED) out.malformedCases.push({ window: null, records: [{ partition: r.partition, offset: r.offset }], detail: `key '${r.key.slice(0, 64)}': ${parsed}` });
      continue;
    }
    const slot = events.table.slotOf(parsed.key, parsed.startMs);
    events.table.noteResult(slot, parsed.count);
    out.resultSlot[j] = slot;
  }
  return out;
}

/** The record's key index, window start and count, or why it is malformed. */
function judgeRecord(r: WindowResult, events: EventTally, sizeMs: number): { key: number; startMs: number; count: number } | string {
  const parsed = parseWindowValue(r.value);
  if (typeof parsed === 'string') return parsed;
  const shape = tumblingProblem(parsed, sizeMs);
  if (shape !== null) return shape;
  const key = events.keyIndex.get(r.key);
  if (key === undefined) return 'not the key of any event';
  return { key, startMs: parsed.startMs, count: parsed.count };
}

/**
 * Per record, the index of the first record read at the same (partition, offset), -1 for the first; null when no
 * location repeats (the usual case, seen in one pass: every partition's offsets increase in read order).
 */
function earlierAtLocation(results: readonly WindowResult[]): Int32Array | null {
  const last = new Map<number, number>();
  let increasing = true;
  for (const r of results) {
    if ((last.get(r.partition) ?? -Infinity) >= r.offset) increasing = false;
    last.set(r.partition, r.offset);
  }
  if (increasing) return null;
  const order = Array.from(results.keys()).sort((a, b) => {
    const x = results[a] as WindowResult;
    const y = results[b] as WindowResult;
    return x.partition - y.partition || x.offset - y.offset || a - b;
  });
  const firstAt = new Int32Array(results.length).fill(-1);
  for (let i = 1; i < order.length; i++) {
    const here = results[order[i] as number] as WindowResult;
    const prev = results[order[i - 1] as number] as WindowResult;
    if (here.partition !== prev.partition || here.offset !== prev.offset) continue;
    const prevFirst = firstAt[order[i - 1] as number] as number;
    firstAt[order[i] as number] = prevFirst < 0 ? (order[i - 1] as number) : prevFirst;
  }
  return firstAt;
}

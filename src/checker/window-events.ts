import { FieldError } from '../errors.js';
import { WindowTable } from './window-table.js';
import type { WindowEvent } from './window-types.js';
import { windowStartMs } from './window-value.js';

/** At most this many (key, window) cells are indexed densely; keys beyond go through the table's hash. */
const MAX_DENSE_CELLS = 1 << 24;

/** The events grouped by (key, window): the table, the key strings by index, and the windows' span. */
export interface EventTally {
  table: WindowTable;
  keys: string[];
  keyIndex: Map<string, number>;
  acked: number;
  unknown: number;
  maxEventTimeMs: number | null;
  /** The first window's start and the number of windows up to the last event's (0 without events). */
  firstStartMs: number;
  windowCount: number;
}

/**
 * Groups the events by (key, window) in two passes, into typed arrays: no object or array per event. The first
 * pass validates the times and finds their range; the second finds each event's key index and its window's slot,
 * through a dense index (key * windowCount + window number) for the first MAX_DENSE_CELLS / windowCount keys,
 * through the table's hash beyond. Throws a FieldError for an event time that is not a safe integer.
 */
export function tallyEvents(events: readonly WindowEvent[], sizeMs: number): EventTally {
  const table = new WindowTable();
  const keyIndex = new Map<string, number>();
  const tally: EventTally = { table, keys: [], keyIndex, acked: 0, unknown: 0, maxEventTimeMs: null, firstStartMs: 0, windowCount: 0 };
  if (events.length === 0) return tally;
  const range = timeRange(events);
  tally.maxEventTimeMs = range[1] as number;
  tally.firstStartMs = windowStartMs(range[0] as number, sizeMs);
  tally.windowCount = (windowStartMs(range[1] as number, sizeMs) - tally.firstStartMs) / sizeMs + 1;
  tally.acked = countEvents(events, sizeMs, tally);
  tally.unknown = events.length - tally.acked;
  return tally;
}

/** Pass 1: [min, max] event time (in a Float64Array: V8 boxes double locals carried around a loop, per write). */
function timeRange(events: readonly WindowEvent[]): Float64Array {
  const range = new Float64Array([Infinity, -Infinity]);
  for (let i = 0; i < events.length; i++) {
    const t = (events[i] as WindowEvent).eventTimeMs;
    if (!Number.isSafeInteger(t)) throw new FieldError(['events', i, 'eventTimeMs'], `${String(t)} is not an integer number of ms`);
    if (t < (range[0] as number)) range[0] = t;
    if (t > (range[1] as number)) range[1] = t;
  }
  return range;
}

/** Pass 2: key index, window slot and tally per event. Returns the acknowledged count. */
function countEvents(events: readonly WindowEvent[], sizeMs: number, tally: EventTally): number {
  const { table, keys, keyIndex, firstStartMs, windowCount } = tally;
  const denseKeys = Math.floor(MAX_DENSE_CELLS / windowCount);
  let dense: Int32Array = new Int32Array(Math.min(denseKeys, 64) * windowCount).fill(-1);
  let acked = 0;
  let lastKey = '';
  let k = -1;
  for (const e of events) {
    if (e.key !== lastKey || k < 0) {
      k = keyIndex.get(e.key) ?? -1;
      if (k < 0) {
        k = keys.length;
        keys.push(e.key);
        keyIndex.set(e.key, k);
        if (k < denseKeys && (k + 1) * windowCount > dense.length) dense = grownDense(dense, Math.min(denseKeys, 2 * (k + 1)) * windowCount);
      }
      lastKey = e.key;
    }
    const startMs = windowStartMs(e.eventTimeMs, sizeMs);
    let slot: number;
    if (k < denseKeys) {
      const cell = k * windowCount + (startMs - firstStartMs) / sizeMs;
      slot = dense[cell] as number;
      if (slot < 0) dense[cell] = slot = table.slotOf(k, startMs);
    } else {
      slot = table.slotOf(k, startMs);
    }
    if (e.acked === 'ok') {
      table.acked[slot] = (table.acked[slot] as number) + 1;
      acked++;
    } else {
      table.unknown[slot] = (table.unknown[slot] as number) + 1;
    }
  }
  return acked;
}

function grownDense(old: Int32Array, cells: number): Int32Array {
  const next = new Int32Array(cells).fill(-1);
  next.set(old);
  return next;
}

import type { EventTally } from './window-events.js';
import type { WindowJudgement } from './window-judge.js';
import { windowStartMs } from './window-value.js';
import type { WindowCase, WindowEvent, WindowFinding, WindowFindingName, WindowLateCase, WindowRecordRef, WindowRef } from './window-types.js';

/** Cases listed per finding (all are counted). */
const MAX_LISTED_CASES = 100;
/** Late windows listed (all are counted and summed). */
const MAX_LISTED_LATE_WINDOWS = 100;
/** Event ids listed per missing window, and over all missing windows. */
export const MAX_LISTED_IDS_PER_WINDOW = 20;
export const MAX_LISTED_IDS = 1000;
/** Result records listed per case. */
const MAX_RECORDS_PER_CASE = 5;

type WindowSlotFinding = Exclude<WindowFindingName, 'malformed'>;

/** What the listed cases are made from. */
export interface CaseSource {
  events: readonly WindowEvent[];
  tally: EventTally;
  resultSlot: Int32Array;
  results: readonly { partition: number; offset: number }[];
  sizeMs: number;
  watermarkMs: number | null;
}

/** The slots ordered by window start, then key. */
function sortSlots(slots: number[], src: CaseSource): number[] {
  const { startMs, keyIndex } = src.tally.table;
  const keys = src.tally.keys;
  return slots.sort((a, b) => {
    const byStart = (startMs[a] as number) - (startMs[b] as number);
    if (byStart !== 0) return byStart;
    const ka = keys[keyIndex[a] as number] as string;
    const kb = keys[keyIndex[b] as number] as string;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

function windowRef(slot: number, src: CaseSource): WindowRef {
  const t = src.tally.table;
  const startMs = t.startMs[slot] as number;
  return { key: src.tally.keys[t.keyIndex[slot] as number] as string, startMs, endMs: startMs + src.sizeMs };
}

/**
 * The per-window findings with a count above 0, their first cases ordered by start then key, and how many event
 * ids the missingWindow cases list.
 */
export function slotFindings(j: WindowJudgement, src: CaseSource, duplicateSeverity: WindowFinding['severity']): { findings: Partial<Record<WindowSlotFinding, WindowFinding>>; eventIdsListed: number } {
  const findings: Partial<Record<WindowSlotFinding, WindowFinding>> = {};
  const listed = new Map<number, WindowRecordRef[]>();
  let eventIdsListed = 0;
  for (const name of Object.keys(j.slots) as WindowSlotFinding[]) {
    const slots = j.slots[name];
    if (slots.length === 0) continue;
    const first = sortSlots(slots, src).slice(0, MAX_LISTED_CASES);
    const cases = first.map((slot): WindowCase => {
      const records = listed.get(slot) ?? [];
      listed.set(slot, records);
      return { window: windowRef(slot, src), records, detail: detailOf(name, slot, src) };
    });
    if (name === 'missingWindow') eventIdsListed = fillEventIds(cases, first, src);
    findings[name] = { count: slots.length, severity: severityOf(name, duplicateSeverity), cases };
  }
  fillRecords(listed, src);
  return { findings, eventIdsListed };
}

/** missingWindow is the measured cost of lateness (as partial drops are); duplicate as the sink says; the rest fail. */
function severityOf(name: WindowSlotFinding, duplicateSeverity: WindowFinding['severity']): WindowFinding['severity'] {
  return name === 'missingWindow' ? 'expected' : name === 'duplicate' ? duplicateSeverity : 'failure';
}

function detailOf(name: WindowSlotFinding, slot: number, src: CaseSource): string {
  const t = src.tally.table;
  const n = t.emissions[slot] as number;
  const acked = t.acked[slot] as number;
  const unknown = t.unknown[slot] as number;
  const end = (t.startMs[slot] as number) + src.sizeMs;
  switch (name) {
    case 'early': return `emitted ${n === 1 ? 'once' : `${n} times`} while open: its end ${end} is above the watermark ${String(src.watermarkMs)}`;
    case 'duplicate': return `emitted ${n} times, each with count ${t.firstCount[slot] as number}`;
    case 'conflicting': return `emitted ${n} times with differing counts (first ${t.firstCount[slot] as number}, highest ${t.maxCount[slot] as number})`;
    case 'overcount': return `count ${t.maxCount[slot] as number} above its ${acked} acknowledged + ${unknown} unknown events`;
    case 'missingWindow': return `final (end ${end} <= watermark ${String(src.watermarkMs)}) with ${acked} acknowledged and ${unknown} unknown events, never emitted: all dropped as late`;
  }
}

/** Adds to each listed slot's record list the first records of its window. */
function fillRecords(listed: Map<number, WindowRecordRef[]>, src: CaseSource): void {
  if (listed.size === 0) return;
  for (let r = 0; r < src.resultSlot.length; r++) {
    const records = listed.get(src.resultSlot[r] as number);
    if (records === undefined || records.length >= MAX_RECORDS_PER_CASE) continue;
    const { partition, offset } = src.results[r] as WindowRecordRef;
    records.push({ partition, offset });
  }
}

/**
 * Lists the acknowledged event ids of the listed missing windows (`slots[i]` is `cases[i]`'s window): at most
 * MAX_LISTED_IDS_PER_WINDOW each, MAX_LISTED_IDS in all. One pass over the events; only those whose window start
 * is a listed one (a binary search in at most MAX_LISTED_CASES starts) are looked up. Returns how many ids it listed.
 */
function fillEventIds(cases: WindowCase[], slots: readonly number[], src: CaseSource): number {
  const { table, keyIndex } = src.tally;
  const caseOf = new Int32Array(table.size).fill(-1);
  slots.forEach((slot, i) => (caseOf[slot] = i));
  const starts = Float64Array.from(new Set(slots.map((slot) => table.startMs[slot] as number))).sort();
  const ids = cases.map((): number[] => []);
  let listed = 0;
  for (let i = 0; i < src.events.length && listed < MAX_LISTED_IDS; i++) {
    const e = src.events[i] as WindowEvent;
    const startMs = windowStartMs(e.eventTimeMs, src.sizeMs);
    if (e.acked !== 'ok' || !sortedHas(starts, startMs)) continue;
    const mine = ids[caseOf[table.find(keyIndex.get(e.key) as number, startMs)] as number];
    if (mine === undefined || mine.length >= MAX_LISTED_IDS_PER_WINDOW) continue;
    mine.push(e.id);
    listed++;
  }
  cases.forEach((c, i) => {
    const mine = (ids[i] as number[]).sort((x, y) => x - y);
    c.eventIds = mine;
    c.eventIdsLeftOut = (table.acked[slots[i] as number] as number) - mine.length;
  });
  return listed;
}

/** Whether the ascending `sorted` holds `x`. */
function sortedHas(sorted: Float64Array, x: number): boolean {
  let low = 0;
  let high = sorted.length - 1;
  if (high < 0 || x < (sorted[0] as number) || x > (sorted[high] as number)) return false;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const m = sorted[mid] as number;
    if (m === x) return true;
    if (m < x) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}

/** The final windows that lost events to lateness, the first MAX_LISTED_LATE_WINDOWS by start then key. */
export function lateCases(j: WindowJudgement, src: CaseSource): WindowLateCase[] {
  const t = src.tally.table;
  return sortSlots(j.lateSlots, src).slice(0, MAX_LISTED_LATE_WINDOWS).map((slot) => {
    const acked = t.acked[slot] as number;
    const unknown = t.unknown[slot] as number;
    const count = (t.emissions[slot] as number) === 0 ? null : (t.maxCount[slot] as number);
    const c = count ?? 0;
    return { ...windowRef(slot, src), acked, unknown, count, droppedLate: { min: Math.max(0, acked - c), max: Math.max(0, acked + unknown - c) } };
  });
}

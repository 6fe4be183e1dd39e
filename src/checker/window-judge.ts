import type { WindowTable } from './window-table.js';
import type { WindowFindingName } from './window-types.js';

/** The per-window findings as slot lists (unsorted), and the sums over windows. */
export interface WindowJudgement {
  finalWindows: number;
  openWindows: number;
  ackedInFinal: number;
  emitted: number;
  /** The earliest window end; null without windows. */
  minEndMs: number | null;
  slots: Record<Exclude<WindowFindingName, 'malformed'>, number[]>;
  /** Final windows that lost events to lateness (droppedLate.max > 0). */
  lateSlots: number[];
  droppedLateMin: number;
  droppedLateMax: number;
}

/**
 * Judges every (key, window) slot (docs/pipelines.md, "Windows and watermarks"):
 * - final iff the watermark is known and end <= watermarkMs; the others are open;
 * - early: emitted while not final (only with a known watermark);
 * - duplicate / conflicting: emitted more than once with equal / differing counts;
 * - overcount: the (highest) count above acked + unknown events;
 * - final windows: droppedLate = [max(0, acked - count), max(0, acked + unknown - count)], with count 0 when never
 *   emitted; missingWindow: final, acked events, never emitted.
 */
export function judgeWindows(t: WindowTable, sizeMs: number, watermarkMs: number | null): WindowJudgement {
  const j: WindowJudgement = {
    finalWindows: 0, openWindows: 0, ackedInFinal: 0, emitted: 0, minEndMs: null,
    slots: { early: [], duplicate: [], conflicting: [], overcount: [], missingWindow: [] },
    lateSlots: [], droppedLateMin: 0, droppedLateMax: 0,
  };
  const wm = watermarkMs ?? -Infinity;
  let minEnd = Infinity;
  for (let s = 0; s < t.size; s++) {
    const end = (t.startMs[s] as number) + sizeMs;
    if (end < minEnd) minEnd = end;
    const isFinal = end <= wm;
    const acked = t.acked[s] as number;
    const all = acked + (t.unknown[s] as number);
    const n = t.emissions[s] as number;
    const count = n === 0 ? 0 : (t.maxCount[s] as number);
    if (n > 0) {
      j.emitted++;
      if (!isFinal && watermarkMs !== null) j.slots.early.push(s);
      if (n > 1) (t.conflicting[s] === 1 ? j.slots.conflicting : j.slots.duplicate).push(s);
      if (count > all) j.slots.overcount.push(s);
    }
    if (!isFinal) {
      j.openWindows++;
      continue;
    }
    j.finalWindows++;
    j.ackedInFinal += acked;
    if (n === 0 && acked > 0) j.slots.missingWindow.push(s);
    const max = Math.max(0, all - count);
    if (max > 0) {
      j.lateSlots.push(s);
      j.droppedLateMin += Math.max(0, acked - count);
      j.droppedLateMax += max;
    }
  }
  j.minEndMs = t.size === 0 ? null : minEnd;
  return j;
}

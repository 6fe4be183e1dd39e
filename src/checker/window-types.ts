import type { CheckerResult, Validity } from './checker.js';

/**
 * The window checker's input and verdict (docs/pipelines.md, "Windows and watermarks"): a keyed count in
 * tumbling event-time windows aligned to epoch 0 (start = floor(eventTimeMs / sizeMs) * sizeMs, end = start +
 * sizeMs, exclusive), a watermark of `latenessMs`, output mode append (one result per window once the
 * watermark reaches its end).
 */

/** One input send. Sends that failed are not given; `unknown`: the send may or may not have been written. */
export interface WindowEvent {
  id: number;
  key: string;
  eventTimeMs: number;
  acked: 'ok' | 'unknown';
}

/** One record as read from the windows topic: key = the input key, value `<startMs>:<endMs>:<count>`. */
export interface WindowResult {
  key: string;
  value: string;
  partition: number;
  offset: number;
}

export interface WindowRules {
  /** Tumbling window size (a positive integer). */
  sizeMs: number;
  /** The job's watermark delay (used for the plausibility warning on `watermarkMs`). */
  latenessMs: number;
}

export interface WindowCheckInput {
  events: readonly WindowEvent[];
  results: readonly WindowResult[];
  rules: WindowRules;
  /** The highest watermark the job reported; null when unknown. */
  watermarkMs: number | null;
  /** The sink writes each window once (transactional/idempotent): a duplicate emission is then a failure. */
  sinkExactlyOnce: boolean;
}

/** A result value, parsed. */
export interface WindowValue {
  startMs: number;
  endMs: number;
  count: number;
}

/**
 * - malformed: a result whose value does not parse, is not a tumbling window of `sizeMs`, or whose key is no event key;
 * - early: a result for a window that is not final (append mode emits only once the watermark passed its end);
 * - duplicate: a window emitted more than once with the same count (a failure only with an exactly-once sink);
 * - conflicting: a window emitted more than once with different counts;
 * - overcount: a window's count above its acknowledged + unknown events;
 * - missingWindow: a final window with acknowledged events and no result: all its events dropped as late. Like a
 *   partial deficit it is the measured cost of lateness, not a failure: Spark never emits a window whose events all
 *   came after the watermark passed its end, and without per-event read times that cannot be told from a lost one.
 */
export type WindowFindingName = 'malformed' | 'early' | 'duplicate' | 'conflicting' | 'overcount' | 'missingWindow';

export const WINDOW_FINDING_NAMES: readonly WindowFindingName[] = ['malformed', 'early', 'duplicate', 'conflicting', 'overcount', 'missingWindow'];

/** A (key, window). */
export interface WindowRef {
  key: string;
  startMs: number;
  endMs: number;
}

/** Where a result record was read. */
export interface WindowRecordRef {
  partition: number;
  offset: number;
}

/** An inclusive range of event counts: exact when min === max (unknown sends make it a range). */
export interface WindowCountRange {
  min: number;
  max: number;
}

/** One case of a finding. */
export interface WindowCase {
  /** null for a malformed record naming no window. */
  window: WindowRef | null;
  /** The result records concerned (the first few). */
  records: WindowRecordRef[];
  /** One line: what is wrong. */
  detail: string;
  /** missingWindow: the ids of the window's acknowledged events (the first few, ascending) and how many were left out. */
  eventIds?: number[];
  eventIdsLeftOut?: number;
}

export interface WindowFinding {
  /** Exact count: records for malformed, windows for the others. */
  count: number;
  /** failure: fails the verdict; expected: listed, does not (missingWindow; duplicate with an at-least-once sink). */
  severity: 'failure' | 'expected';
  /** The first cases, ordered by window start then key. */
  cases: WindowCase[];
}

/** A final window that lost events to lateness: its events, its emitted count and the deficit. */
export interface WindowLateCase extends WindowRef {
  acked: number;
  unknown: number;
  /** The emitted count (the highest, when emitted more than once); null when never emitted. */
  count: number | null;
  droppedLate: WindowCountRange;
}

export interface WindowLateReport {
  /** Final windows whose droppedLate.max is above 0. */
  windows: number;
  /** Events dropped as late, summed over the final windows. */
  droppedLate: WindowCountRange;
  /** droppedLate.min / acknowledged events in final windows; null when there are none. */
  share: number | null;
  /** The first windows, ordered by start then key, and how many were left out. */
  listed: WindowLateCase[];
  leftOut: number;
  /** Event ids listed under missingWindow, and those left out by the caps. */
  eventIdsListed: number;
  eventIdsLeftOut: number;
}

export interface WindowTotals {
  events: number;
  acked: number;
  unknown: number;
  /** Distinct (key, window) with an event or a well-formed result. */
  windows: number;
  finalWindows: number;
  openWindows: number;
  /** Acknowledged events in final windows (the late share's denominator). */
  ackedInFinal: number;
  /** Result records read (distinct locations), records read again at a location already read, and windows emitted. */
  results: number;
  rereads: number;
  emitted: number;
  /** The highest event time of all events; null without events. */
  maxEventTimeMs: number | null;
}

export interface WindowVerdict extends CheckerResult {
  readonly checker: 'window';
  readonly valid: Validity;
  readonly evidence: string;
  readonly reasons: string[];
  readonly warnings: string[];
  readonly rules: WindowRules;
  readonly watermarkMs: number | null;
  readonly sinkExactlyOnce: boolean;
  readonly totals: WindowTotals;
  readonly late: WindowLateReport;
  /** Only the findings with a count above 0. */
  readonly findings: Partial<Record<WindowFindingName, WindowFinding>>;
}

import { FieldError } from '../errors.js';
import { countText, type Validity } from './checker.js';
import { lateCases, slotFindings, type CaseSource } from './window-cases.js';
import { tallyEvents, type EventTally } from './window-events.js';
import { judgeWindows, type WindowJudgement } from './window-judge.js';
import { tallyResults, type ResultTally } from './window-results.js';
import { WINDOW_FINDING_NAMES, type WindowCheckInput, type WindowFinding, type WindowFindingName, type WindowLateReport, type WindowTotals, type WindowVerdict } from './window-types.js';

/** How each finding reads in a reason: `<name>: <count> <text>`. */
const FINDING_TEXT: Record<WindowFindingName, string> = {
  malformed: 'result records that are no tumbling window of an event key',
  early: 'windows emitted before the watermark passed their end',
  duplicate: 'windows emitted more than once with the same count',
  conflicting: 'windows emitted more than once with differing counts',
  overcount: 'windows whose count is above their acknowledged + unknown events',
  missingWindow: 'final windows with acknowledged events never emitted',
};

/**
 * Checks a windowed count against its input (docs/pipelines.md, "Windows and watermarks"). Pure: plain arrays in,
 * a verdict out; one pass over the events into typed arrays, one over the results, one over the windows.
 * - A window (key, start) is final iff watermarkMs !== null and end <= watermarkMs; only final windows are judged
 *   for completeness, the others are counted as open.
 * - Failures: malformed, early, conflicting, overcount, and duplicate when `sinkExactlyOnce` (an expected
 *   finding otherwise). missingWindow is an expected finding: its events count as dropped late.
 * - Late drops are the measured cost, not a failure: per final window [max(0, acked - count), max(0, acked +
 *   unknown - count)] (count 0 when never emitted; the highest count when emitted more than once).
 * - valid: false with any failure; else 'unknown' when watermarkMs is null or no window is final; else true.
 * Throws a FieldError for rules, watermark or event times that are not integers.
 */
export function checkWindows(input: WindowCheckInput): WindowVerdict {
  const { rules, watermarkMs } = input;
  checkRules(input);
  const tally = tallyEvents(input.events, rules.sizeMs);
  const read = tallyResults(input.results, tally, rules.sizeMs);
  const j = judgeWindows(tally.table, rules.sizeMs, watermarkMs);
  const src: CaseSource = { events: input.events, tally, resultSlot: read.resultSlot, results: input.results, sizeMs: rules.sizeMs, watermarkMs };
  const { findings: slotFound, eventIdsListed } = slotFindings(j, src, input.sinkExactlyOnce ? 'failure' : 'expected');
  const findings: Partial<Record<WindowFindingName, WindowFinding>> = {};
  if (read.malformed > 0) findings.malformed = { count: read.malformed, severity: 'failure', cases: read.malformedCases };
  Object.assign(findings, slotFound);
  const totals = totalsOf(tally, read, j);
  const late = lateReport(j, src, eventIdsListed);
  const { valid, reasons } = decide(findings, j, watermarkMs, tally.table.size);
  return {
    checker: 'window',
    valid,
    evidence: evidenceOf(input, totals, late),
    reasons,
    warnings: warningsOf(input, totals),
    rules: { sizeMs: rules.sizeMs, latenessMs: rules.latenessMs },
    watermarkMs,
    sinkExactlyOnce: input.sinkExactlyOnce,
    totals,
    late,
    findings,
  };
}

function checkRules(input: WindowCheckInput): void {
  const { sizeMs, latenessMs } = input.rules;
  if (!Number.isSafeInteger(sizeMs) || sizeMs < 1) throw new FieldError(['rules', 'sizeMs'], `${String(sizeMs)} is not a positive integer`);
  if (!Number.isSafeInteger(latenessMs) || latenessMs < 0) throw new FieldError(['rules', 'latenessMs'], `${String(latenessMs)} is not a non-negative integer`);
  const wm = input.watermarkMs;
  if (wm !== null && !Number.isSafeInteger(wm)) throw new FieldError(['watermarkMs'], `${String(wm)} is not an integer (or null)`);
}

function totalsOf(tally: EventTally, read: ResultTally, j: WindowJudgement): WindowTotals {
  return {
    events: tally.acked + tally.unknown,
    acked: tally.acked,
    unknown: tally.unknown,
    windows: tally.table.size,
    finalWindows: j.finalWindows,
    openWindows: j.openWindows,
    ackedInFinal: j.ackedInFinal,
    results: read.records,
    rereads: read.rereads,
    emitted: j.emitted,
    maxEventTimeMs: tally.maxEventTimeMs,
  };
}

function lateReport(j: WindowJudgement, src: CaseSource, eventIdsListed: number): WindowLateReport {
  const acked = src.tally.table.acked;
  let missingAcked = 0;
  for (const slot of j.slots.missingWindow) missingAcked += acked[slot] as number;
  const listed = lateCases(j, src);
  return {
    windows: j.lateSlots.length,
    droppedLate: { min: j.droppedLateMin, max: j.droppedLateMax },
    share: j.ackedInFinal === 0 ? null : j.droppedLateMin / j.ackedInFinal,
    listed,
    leftOut: j.lateSlots.length - listed.length,
    eventIdsListed,
    eventIdsLeftOut: missingAcked - eventIdsListed,
  };
}

function decide(findings: Partial<Record<WindowFindingName, WindowFinding>>, j: WindowJudgement, watermarkMs: number | null, windows: number): { valid: Validity; reasons: string[] } {
  const failing = WINDOW_FINDING_NAMES.filter((name) => findings[name]?.severity === 'failure');
  if (failing.length > 0) return { valid: false, reasons: failing.map((name) => `${name}: ${(findings[name] as WindowFinding).count.toLocaleString('en-US')} ${FINDING_TEXT[name]}`) };
  if (watermarkMs === null) return { valid: 'unknown', reasons: ['the job reported no watermark (watermarkMs is null): no window is known to be final'] };
  if (windows === 0) return { valid: 'unknown', reasons: ['no events and no results: no window to judge'] };
  if (j.finalWindows === 0) return { valid: 'unknown', reasons: [`no window is final: the watermark ${watermarkMs} is below every window end (the earliest is ${String(j.minEndMs)})`] };
  return { valid: true, reasons: [] };
}

function evidenceOf(input: WindowCheckInput, t: WindowTotals, late: WindowLateReport): string {
  const { sizeMs, latenessMs } = input.rules;
  const wm = input.watermarkMs === null ? 'no watermark known' : `${countText(t.finalWindows, 'final window')} at watermark ${input.watermarkMs}`;
  const dropped = late.droppedLate.min === late.droppedLate.max ? late.droppedLate.min.toLocaleString('en-US') : `${late.droppedLate.min.toLocaleString('en-US')} to ${late.droppedLate.max.toLocaleString('en-US')}`;
  const share = late.share === null ? '' : ` (${(late.share * 100).toFixed(2)} % of ${t.ackedInFinal.toLocaleString('en-US')} acknowledged in final windows)`;
  return `${countText(t.events, 'event')} (${t.acked.toLocaleString('en-US')} acknowledged, ${t.unknown.toLocaleString('en-US')} unknown) in ${countText(t.windows, 'window')} of ${sizeMs} ms (lateness ${latenessMs} ms), ${wm}, ${t.openWindows.toLocaleString('en-US')} open; ${countText(t.results, 'result record')} for ${countText(t.emitted, 'window')}; ${dropped} dropped as late${share}`;
}

function warningsOf(input: WindowCheckInput, t: WindowTotals): string[] {
  const wm = input.watermarkMs;
  const out: string[] = [];
  if (wm !== null && t.maxEventTimeMs !== null && wm > t.maxEventTimeMs - input.rules.latenessMs) {
    out.push(`watermarkMs ${wm} is above the highest event time ${t.maxEventTimeMs} minus latenessMs ${input.rules.latenessMs}: the job saw event times not among the events given, or its watermark rule differs`);
  }
  if (t.rereads > 0) out.push(`${countText(t.rereads, 'result record')} read again at a location already read (ignored)`);
  return out;
}

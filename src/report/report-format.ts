import type { ReportStep } from './run-report.js';

/** Run-clock milliseconds as seconds with one decimal: `12.3 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

const timeCell = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '-' : seconds(ms));

/** The steps table's cells: step, status, start, end, detail. */
export function stepRows(steps: readonly ReportStep[]): string[][] {
  return steps.map((s) => [s.name, s.status, timeCell(s.startMs), timeCell(s.endMs), s.detail ?? '']);
}

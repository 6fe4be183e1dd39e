/**
 * A job that exited on its own with an error (a non-zero exit code, not a signal faultline sent): when, with which
 * code, and the line of its output that says why, so a checkpoint failure or a refused restart shows the job's
 * own error in the reports (docs/pipelines.md, "Recovery times").
 */
export interface JobFailure {
  readonly instance: number | null;
  /** The job-exit event's time, ms since the run started. */
  readonly atMs: number;
  readonly code: number;
  /** The last line of its output tail naming an error (log lines below ERROR left out); '' when none. */
  readonly error: string;
  /** The deepest cause of a Java stack trace in the tail (its last `Caused by:` line, without the prefix); '' when none. */
  readonly cause: string;
}

const MAX_ERROR_CHARS = 240;
const ERROR_LINE = /error|exception|failed|refused/i;
/** A log4j-style line below ERROR (`2026-12-02T12:54:17.376Z WARN DAGScheduler: ...`): not the job's failure. */
const QUIET_LOG_LINE = /^\S+\s+(TRACE|DEBUG|INFO|WARN)\s/;
const CAUSED_BY = 'Caused by:';

const clip = (line: string): string => (line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS - 1)}…` : line);

/** Why a job failed, from the tail of its output: its last error line and the deepest cause of a stack trace. */
export function failureLines(tail: string): { error: string; cause: string } {
  const lines = tail.split('\n').map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith('at ') && !l.startsWith('...'));
  const cause = lines.filter((l) => l.startsWith(CAUSED_BY)).pop()?.slice(CAUSED_BY.length).trim() ?? '';
  const error = lines.filter((l) => ERROR_LINE.test(l) && !QUIET_LOG_LINE.test(l) && !l.startsWith(CAUSED_BY)).pop() ?? '';
  return { error: clip(error), cause: clip(cause) };
}

/** A job-exit event's failure, or null when the job exited cleanly or was stopped by a signal. */
export function jobFailureOf(timeMs: number, detail: Readonly<Record<string, unknown>>): JobFailure | null {
  const code = detail['code'];
  if (typeof code !== 'number' || code === 0) return null;
  const instance = detail['instance'];
  const tail = detail['tail'];
  return { instance: typeof instance === 'number' ? instance : null, atMs: Math.round(timeMs), code, ...failureLines(typeof tail === 'string' ? tail : '') };
}

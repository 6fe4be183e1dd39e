import { selectJsonPath } from './json-path.js';
import type { Tolerance } from './tolerance.js';

/** One earlier run of a probe: its value, or `failed` when the probe itself failed (an error, a timeout). */
export interface ProbeObservation {
  readonly timeMs: number;
  readonly value: unknown;
  readonly failed?: boolean;
}

export interface ToleranceOutcome {
  readonly ok: boolean;
  /** Why, in one line: `maxLag 12 in [null, 100]`, `2 of 3 consecutive passed`. */
  readonly detail: string;
}

/** Strings longer than this are not matched against a regex (a bound on matching time). */
export const MAX_REGEX_INPUT_CHARS = 100_000;
const SHOWN_VALUE_CHARS = 120;

/** A value as a report shows it: JSON, cut to a bounded length. */
function showValue(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > SHOWN_VALUE_CHARS ? `${text.slice(0, SHOWN_VALUE_CHARS)}...` : text;
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  const left = a as Readonly<Record<string, unknown>>;
  const right = b as Readonly<Record<string, unknown>>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((k) => Object.hasOwn(right, k) && jsonEqual(left[k], right[k]));
}

const pass = (detail: string): ToleranceOutcome => ({ ok: true, detail });
const fail = (detail: string): ToleranceOutcome => ({ ok: false, detail });

/**
 * Whether `value` passes `tolerance`. `history` holds the probe's earlier observations, oldest first
 * (`consecutive` and `ratio` need them; without, only the current value counts); `nowMs` is the time
 * of the current value on the same clock (default: the last observation's time).
 */
export function evaluateTolerance(tolerance: Tolerance, value: unknown, history: readonly ProbeObservation[] = [], nowMs = history.at(-1)?.timeMs ?? 0): ToleranceOutcome {
  switch (tolerance.kind) {
    case 'equals':
      return jsonEqual(value, tolerance.value) ? pass(`${showValue(value)} as expected`) : fail(`expected ${showValue(tolerance.value)}, got ${showValue(value)}`);
    case 'one-of':
      return tolerance.values.some((v) => jsonEqual(value, v)) ? pass(`${showValue(value)} as expected`) : fail(`expected one of ${showValue(tolerance.values)}, got ${showValue(value)}`);
    case 'range':
      return inRange(tolerance.min, tolerance.max, value);
    case 'regex':
      return matches(tolerance.pattern, value);
    case 'all': {
      const outcomes = tolerance.tolerances.map((t) => evaluateTolerance(t, value, history, nowMs));
      const failed = outcomes.filter((o) => !o.ok);
      return failed.length === 0 ? pass(outcomes.map((o) => o.detail).join('; ')) : fail(failed.map((o) => o.detail).join('; '));
    }
    case 'path': {
      const picked = selectJsonPath(value, tolerance.steps);
      if (picked === undefined) return fail(`${tolerance.path}: no such field in ${showValue(value)}`);
      const pickedHistory = history.map((h) => ({ ...h, value: selectJsonPath(h.value, tolerance.steps) }));
      const outcome = evaluateTolerance(tolerance.tolerance, picked, pickedHistory, nowMs);
      return { ok: outcome.ok, detail: `${tolerance.path}: ${outcome.detail}` };
    }
    case 'consecutive':
      return consecutive(tolerance.count, tolerance.tolerance, value, history, nowMs);
    case 'ratio':
      return ratio(tolerance, value, history, nowMs);
  }
}

function rangeText(min: number | null, max: number | null): string {
  return `[${min ?? 'null'}, ${max ?? 'null'}]`;
}

function inRange(min: number | null, max: number | null, value: unknown): ToleranceOutcome {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fail(`expected a number in ${rangeText(min, max)}, got ${showValue(value)}`);
  const ok = (min === null || value >= min) && (max === null || value <= max);
  return { ok, detail: `${value} ${ok ? 'in' : 'outside'} ${rangeText(min, max)}` };
}

function matches(pattern: string, value: unknown): ToleranceOutcome {
  if (typeof value !== 'string') return fail(`expected a string matching /${pattern}/, got ${showValue(value)}`);
  if (value.length > MAX_REGEX_INPUT_CHARS) return fail(`a string of ${value.length} characters is too long to match (at most ${MAX_REGEX_INPUT_CHARS})`);
  return new RegExp(pattern, 'u').test(value) ? pass(`${showValue(value)} matches /${pattern}/`) : fail(`${showValue(value)} does not match /${pattern}/`);
}

/** Whether one earlier observation passed `inner`, judged with the observations before it. */
function observationPassed(inner: Tolerance, history: readonly ProbeObservation[], index: number): boolean {
  const observation = history[index];
  if (!observation || observation.failed === true) return false;
  return evaluateTolerance(inner, observation.value, history.slice(0, index), observation.timeMs).ok;
}

function consecutive(count: number, inner: Tolerance, value: unknown, history: readonly ProbeObservation[], nowMs: number): ToleranceOutcome {
  const current = evaluateTolerance(inner, value, history, nowMs);
  let streak = current.ok ? 1 : 0;
  // Bounded by count: only the last count observations matter.
  for (let i = history.length - 1; streak > 0 && streak < count && i >= 0; i--) {
    if (!observationPassed(inner, history, i)) break;
    streak++;
  }
  const detail = `${streak} of ${count} consecutive passed (last: ${current.detail})`;
  return streak >= count ? pass(detail) : fail(detail);
}

function ratio(t: Extract<Tolerance, { kind: 'ratio' }>, value: unknown, history: readonly ProbeObservation[], nowMs: number): ToleranceOutcome {
  const current = evaluateTolerance(t.tolerance, value, history, nowMs);
  let passed = current.ok ? 1 : 0;
  let total = 1;
  for (let i = history.length - 1; i >= 0; i--) {
    const observation = history[i] as ProbeObservation;
    if (observation.timeMs <= nowMs - t.windowMs) break;
    if (observation.timeMs > nowMs) continue;
    total++;
    if (observationPassed(t.tolerance, history, i)) passed++;
  }
  const share = passed / total;
  const detail = `${passed} of ${total} passed in the last ${t.windowMs} ms (${share.toFixed(3)}, needs ${t.ratio}; last: ${current.detail})`;
  return share >= t.ratio ? pass(detail) : fail(detail);
}

import type { WindowValue } from './window-types.js';

/** Digits per number in a result value (2^53 has 16). */
const MAX_DIGITS = 16;

/**
 * Parses a window result value `<startMs>:<endMs>:<count>` (decimal; start and end may be negative): the window,
 * or a reason it is not one. Values must be safe integers, end above start, and count at least 1 (a count
 * aggregate never emits a window without rows). Reads char codes: no substring or match array per value.
 */
export function parseWindowValue(value: string): WindowValue | string {
  const cursor = new Float64Array(4); // [position, start, end, count]: doubles kept out of boxed locals
  const ok = readNumber(value, cursor, 1, true) && value.charCodeAt(cursor[0] as number) === COLON && advance(cursor)
    && readNumber(value, cursor, 2, true) && value.charCodeAt(cursor[0] as number) === COLON && advance(cursor)
    && readNumber(value, cursor, 3, false) && cursor[0] === value.length;
  if (!ok) return `value '${value.slice(0, 64)}' is not <startMs>:<endMs>:<count>`;
  const startMs = cursor[1] as number;
  const endMs = cursor[2] as number;
  const count = cursor[3] as number;
  if (!Number.isSafeInteger(startMs) || !Number.isSafeInteger(endMs) || !Number.isSafeInteger(count)) return `value '${value}' has a number beyond 2^53`;
  if (endMs <= startMs) return `value '${value}': end ${endMs} is not after start ${startMs}`;
  if (count < 1) return `value '${value}': count 0 (a window without events is never emitted)`;
  return { startMs, endMs, count };
}

const COLON = 58;
const MINUS = 45;
const ZERO = 48;

function advance(cursor: Float64Array): boolean {
  cursor[0] = (cursor[0] as number) + 1;
  return true;
}

/** Reads 1..MAX_DIGITS decimal digits (after a '-' when `signed`) at cursor[0] into cursor[at]; false when none. */
function readNumber(value: string, cursor: Float64Array, at: number, signed: boolean): boolean {
  let i = cursor[0] as number;
  const negative = signed && value.charCodeAt(i) === MINUS;
  if (negative) i++;
  const first = i;
  let n = 0;
  for (; i < value.length && i - first <= MAX_DIGITS; i++) {
    const digit = value.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) break;
    n = n * 10 + digit;
  }
  if (i === first || i - first > MAX_DIGITS) return false;
  cursor[0] = i;
  cursor[at] = negative ? 0 - n : n; // 0 - n: no -0
  return true;
}

/** The start of the tumbling window holding `timeMs`: floor(timeMs / sizeMs) * sizeMs, exact (fmod is exact). */
export function windowStartMs(timeMs: number, sizeMs: number): number {
  let r = timeMs % sizeMs;
  if (r < 0) r += sizeMs;
  return timeMs - r;
}

/** Why `v` is not a tumbling window of `sizeMs` aligned to epoch 0; null when it is. */
export function tumblingProblem(v: WindowValue, sizeMs: number): string | null {
  if (v.endMs - v.startMs !== sizeMs) return `window ${v.startMs}..${v.endMs} is ${v.endMs - v.startMs} ms long, not sizeMs ${sizeMs}`;
  if (windowStartMs(v.startMs, sizeMs) !== v.startMs) return `window start ${v.startMs} is not a multiple of sizeMs ${sizeMs}`;
  return null;
}

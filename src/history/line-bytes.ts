/**
 * Byte-level helpers of the journal reader's fast lanes (op-line-fast.ts, out-line-fast.ts): they decode
 * canonical lines in place, without JSON.parse and without making strings, and decline anything unusual.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
export const CLOSE = 0x7d;
export const COMMA = 0x2c;
const DOT = 0x2e;
/** 15 digits stay below 2^53, so the integer is exact. */
const MAX_INT_DIGITS = 15;

/** The bytes of an ASCII literal, for matchAt. */
export const literal = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

export function matchAt(buf: Buffer, at: number, end: number, lit: Uint8Array): boolean {
  if (at + lit.length > end) return false;
  for (let k = 0; k < lit.length; k++) if (buf[at + k] !== lit[k]) return false;
  return true;
}

/** Index of the closing quote of a JSON string without escapes whose text starts at `at`, or -1. */
export function scanPlainString(buf: Buffer, at: number, end: number): number {
  for (let i = at; i < end; i++) {
    const b = buf[i] as number;
    if (b === QUOTE) return i;
    if (b === BACKSLASH || b < 0x20) return -1;
  }
  return -1;
}

/** Where the last scan that succeeded stopped (scanWhole: after the number; scanKeyedString: the string's start). */
export const scanned = { end: 0, start: 0 };

/** Parses a JSON whole number at `at` (sets intEnd), or returns -1 (declined). */
export function scanWhole(buf: Buffer, at: number, end: number): number {
  let i = at;
  let n = 0;
  while (i < end) {
    const d = (buf[i] as number) - 48;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
    i++;
  }
  const digits = i - at;
  if (digits === 0 || digits > MAX_INT_DIGITS || (digits > 1 && buf[at] === 48)) return -1;
  scanned.end = i;
  return n;
}

/** Index of the closing quote of `<key>"<plain string>"` at `at` (sets scanned.start to the string's start), or -1. */
export function scanKeyedString(buf: Buffer, at: number, end: number, key: Uint8Array): number {
  if (!matchAt(buf, at, end, key)) return -1;
  scanned.start = at + key.length;
  return scanPlainString(buf, scanned.start, end);
}

/**
 * The end of a non-negative JSON number without exponent starting at `at` (a timeMs, kept as text and
 * parsed only when asked for), or -1 when it is not one.
 */
export function scanTimeText(buf: Buffer, at: number, end: number): number {
  let i = at;
  let dots = 0;
  while (i < end) {
    const b = buf[i] as number;
    if (b === DOT) dots++;
    else if (b < 48 || b > 57) break;
    i++;
  }
  // JSON numbers: no leading '.', no trailing '.', no leading zero before a digit, one '.' at most.
  if (i === at || dots > 1 || buf[at] === DOT || buf[i - 1] === DOT) return -1;
  if (buf[at] === 48 && i > at + 1 && buf[at + 1] !== DOT) return -1;
  return i;
}

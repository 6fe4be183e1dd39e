/**
 * The pipeline's record values (docs/pipelines.md, "Records"): input `17` or `!17` (poison), output
 * `17:4` (`<id>:<keyCount>`), dead-letter `!17`. Parsed from bytes (the fast lanes) or text, one way.
 */

const BANG = 0x21;
const COLON = 0x3a;
const ZERO = 0x30;
/** 15 digits stay below 2^53. */
const MAX_DIGITS = 15;

/** What the last parse that succeeded found: a `!` prefix, a `:<count>` suffix. */
export const parsed = { poison: false, keyCount: -1 };

function digitsEnd(buf: Uint8Array, at: number, end: number): number {
  let i = at;
  while (i < end && (buf[i] as number) >= ZERO && (buf[i] as number) <= ZERO + 9) i++;
  const n = i - at;
  if (n === 0 || n > MAX_DIGITS || (n > 1 && buf[at] === ZERO)) return -1;
  return i;
}

function wholeAt(buf: Uint8Array, at: number, end: number): number {
  let n = 0;
  for (let i = at; i < end; i++) n = n * 10 + ((buf[i] as number) - ZERO);
  return n;
}

/** The id of `[!]<id>[:<count>]` in buf[start, end), or -1 when the value is not of that form. */
export function parseIdBytes(buf: Uint8Array, start: number, end: number): number {
  const poison = buf[start] === BANG;
  const idStart = poison ? start + 1 : start;
  const idEnd = digitsEnd(buf, idStart, end);
  if (idEnd < 0) return -1;
  let keyCount = -1;
  if (idEnd < end) {
    if (buf[idEnd] !== COLON) return -1;
    const countEnd = digitsEnd(buf, idEnd + 1, end);
    if (countEnd !== end) return -1;
    keyCount = wholeAt(buf, idEnd + 1, end);
  }
  parsed.poison = poison;
  parsed.keyCount = keyCount;
  return wholeAt(buf, idStart, idEnd);
}

/** parseIdBytes for a string (the slow lanes); -1 for null. */
export function parseIdText(value: string | null): number {
  if (value === null) return -1;
  const bytes = Buffer.from(value, 'utf8');
  return parseIdBytes(bytes, 0, bytes.length);
}

/** buf[start, end) is `k<id mod keys>`. */
export function keyBytesMatch(buf: Uint8Array, start: number, end: number, id: number, keys: number): boolean {
  if (buf[start] !== 0x6b) return false;
  const digitsStop = digitsEnd(buf, start + 1, end);
  return digitsStop === end && wholeAt(buf, start + 1, end) === id % keys;
}

/** Bytes equal to a string (ASCII or UTF-8). */
export function bytesEqual(buf: Uint8Array, start: number, end: number, text: Uint8Array): boolean {
  if (end - start !== text.length) return false;
  for (let k = 0; k < text.length; k++) if (buf[start + k] !== text[k]) return false;
  return true;
}

import type { OpFunction, OpRecord, OpType } from './operation.js';
import { CLOSE, COMMA, literal, matchAt, scanned, scanPlainString, scanTimeText, scanWhole } from './line-bytes.js';
import { MAX_PARTITION } from './record-validate.js';

/**
 * Fast path for op lines in the canonical key order written by `encodeOp`: decodes the line in place
 * from the bytes, without JSON.parse and without making strings. Anything unusual (escapes in strings,
 * an `error` field, exponents, other key orders) is declined, and the reader falls back to JSON.parse.
 * That keeps this parser small: it only has to be right about the lines it accepts.
 */

const OP_TYPE_CODES: readonly OpType[] = ['invoke', 'ok', 'fail', 'info'];
export const TYPE_INVOKE = 0;
export const TYPE_OK = 1;
export const TYPE_FAIL = 2;
export const TYPE_INFO = 3;
const OP_F_CODES: readonly OpFunction[] = ['send', 'read', 'consume'];
export const F_SEND = 0;
export const F_READ = 1;
export const F_CONSUME = 2;

/** A decoded op line; the reader reuses one view for every line, so read it during the callback only. */
export class OpLineView {
  buf: Buffer = Buffer.alloc(0);
  /** @public Line number in the journal (1-based), for visitors that report where a line is. */
  lineNumber = 0;
  typeCode = 0;
  fCode = 0;
  processStart = 0;
  processEnd = 0;
  valueStart = 0;
  valueEnd = 0;
  timeStart = 0;
  timeEnd = 0;
  /** -1 when absent. */
  partition = -1;
  /** -1 when absent. */
  offset = -1;

  get type(): OpType {
    return OP_TYPE_CODES[this.typeCode] ?? 'info';
  }
  get f(): OpFunction {
    return OP_F_CODES[this.fCode] ?? 'send';
  }
  valueString(): string {
    return this.buf.toString('utf8', this.valueStart, this.valueEnd);
  }
  processString(): string {
    return this.buf.toString('utf8', this.processStart, this.processEnd);
  }
  timeMs(): number {
    return Number(this.buf.toString('latin1', this.timeStart, this.timeEnd));
  }
  /** A plain record, independent of the buffer. */
  toRecord(): OpRecord {
    const op: OpRecord = { kind: 'op', type: this.type, f: this.f, process: this.processString(), value: this.valueString(), timeMs: this.timeMs() };
    if (this.partition >= 0) op.partition = this.partition;
    if (this.offset >= 0) op.offset = this.offset;
    return op;
  }
}

const HEAD = literal('{"kind":"op","type":"');
const TYPE_LITERALS = ['invoke"', 'ok"', 'fail"', 'info"'].map(literal);
const F_KEY = literal(',"f":"');
const F_LITERALS = ['send"', 'read"', 'consume"'].map(literal);
const PROCESS_KEY = literal(',"process":"');
const VALUE_KEY = literal(',"value":"');
const TIME_KEY = literal(',"timeMs":');
const PARTITION_KEY = literal(',"partition":');
const OFFSET_KEY = literal(',"offset":');

/** Decodes the op line buf[start, end) into `view`; false when the line is not in the canonical form. */
export function parseOpLineFast(buf: Buffer, start: number, end: number, view: OpLineView): boolean {
  let i = start;
  if (!matchAt(buf, i, end, HEAD)) return false;
  i += HEAD.length;
  let typeCode = -1;
  for (let t = 0; t < TYPE_LITERALS.length; t++) {
    const lit = TYPE_LITERALS[t] as Uint8Array;
    if (matchAt(buf, i, end, lit)) {
      typeCode = t;
      i += lit.length;
      break;
    }
  }
  if (typeCode < 0 || !matchAt(buf, i, end, F_KEY)) return false;
  i += F_KEY.length;
  let fCode = -1;
  for (let t = 0; t < F_LITERALS.length; t++) {
    const lit = F_LITERALS[t] as Uint8Array;
    if (matchAt(buf, i, end, lit)) {
      fCode = t;
      i += lit.length;
      break;
    }
  }
  if (fCode < 0 || !matchAt(buf, i, end, PROCESS_KEY)) return false;
  i += PROCESS_KEY.length;
  const processStart = i;
  i = scanPlainString(buf, i, end);
  if (i < 0) return false;
  const processEnd = i;
  i += 1;
  if (!matchAt(buf, i, end, VALUE_KEY)) return false;
  i += VALUE_KEY.length;
  const valueStart = i;
  i = scanPlainString(buf, i, end);
  if (i < 0) return false;
  const valueEnd = i;
  i += 1;
  if (!matchAt(buf, i, end, TIME_KEY)) return false;
  i += TIME_KEY.length;
  // timeMs may be fractional; it is kept as text and parsed only when asked for.
  const timeStart = i;
  i = scanTimeText(buf, i, end);
  if (i < 0) return false;
  const timeEnd = i;
  let partition = -1;
  let offset = -1;
  if (buf[i] === COMMA && matchAt(buf, i, end, PARTITION_KEY)) {
    partition = scanWhole(buf, i + PARTITION_KEY.length, end);
    // Out-of-range partitions are rejected by the slow lane, with the line number.
    if (partition < 0 || partition > MAX_PARTITION) return false;
    i = scanned.end;
  }
  if (buf[i] === COMMA && matchAt(buf, i, end, OFFSET_KEY)) {
    offset = scanWhole(buf, i + OFFSET_KEY.length, end);
    if (offset < 0) return false;
    i = scanned.end;
  }
  if (buf[i] !== CLOSE || i + 1 !== end) return false;
  // A read or consume ok without a location is malformed; the slow path reports it with its line number.
  if (fCode !== F_SEND && typeCode === TYPE_OK && (partition < 0 || offset < 0)) return false;
  view.buf = buf;
  view.typeCode = typeCode;
  view.fCode = fCode;
  view.processStart = processStart;
  view.processEnd = processEnd;
  view.valueStart = valueStart;
  view.valueEnd = valueEnd;
  view.timeStart = timeStart;
  view.timeEnd = timeEnd;
  view.partition = partition;
  view.offset = offset;
  return true;
}

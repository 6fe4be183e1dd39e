import type { JournalRecord, OpRecord } from './operation.js';

/**
 * Encodes an op in the canonical key order
 * `kind,type,f,process,value,timeMs[,partition][,offset][,error]`, which the reader's fast path
 * recognises without JSON.parse. Any other key order is still valid JSON and read correctly, only slower.
 */
export function encodeOp(op: OpRecord): string {
  let line = `{"kind":"op","type":"${op.type}","f":"${op.f}","process":${JSON.stringify(op.process)},"value":${JSON.stringify(op.value)},"timeMs":${numberText(op.timeMs)}`;
  if (op.partition !== undefined) line += `,"partition":${numberText(op.partition)}`;
  if (op.offset !== undefined) line += `,"offset":${numberText(op.offset)}`;
  if (op.error !== undefined) line += `,"error":${JSON.stringify({ code: op.error.code, message: op.error.message })}`;
  return line + '}';
}

/** One journal line without the trailing newline. */
export function encodeRecord(record: JournalRecord): string {
  if (record.kind === 'op') return encodeOp(record);
  return JSON.stringify(record);
}

// JSON has no NaN/Infinity; writing them would make an unreadable line.
function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`journal numbers must be finite, got ${n}`);
  return String(n);
}

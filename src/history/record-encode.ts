import type { JournalRecord, OpRecord } from './operation.js';
import type { OutRecord } from './output-record.js';
import type { QueueOpRecord } from './queue-op.js';

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
  if (record.kind === 'queue') return encodeQueueOp(record);
  if (record.kind === 'out') return encodeOutRecord(record);
  return JSON.stringify(record);
}

// JSON has no NaN/Infinity; writing them would make an unreadable line.
function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`journal numbers must be finite, got ${n}`);
  return String(n);
}

/**
 * Encodes a queue op in the canonical key order
 * `kind,type,f,process,timeMs[,topic][,partitions][,seekToBeginning][,mops][,offsets][,rebalances][,transactionalId][,incarnation][,failedStep][,error]`.
 */
export function encodeQueueOp(op: QueueOpRecord): string {
  let line = `{"kind":"queue","type":"${op.type}","f":"${op.f}","process":${JSON.stringify(op.process)},"timeMs":${numberText(op.timeMs)}`;
  if (op.topic !== undefined) line += `,"topic":${JSON.stringify(op.topic)}`;
  if (op.partitions !== undefined) line += `,"partitions":${JSON.stringify(op.partitions)}`;
  if (op.seekToBeginning !== undefined) line += `,"seekToBeginning":${op.seekToBeginning}`;
  if (op.mops !== undefined) line += `,"mops":${JSON.stringify(op.mops)}`;
  if (op.offsets !== undefined) line += `,"offsets":${JSON.stringify(op.offsets)}`;
  if (op.rebalances !== undefined) line += `,"rebalances":${JSON.stringify(op.rebalances)}`;
  if (op.transactionalId !== undefined) line += `,"transactionalId":${JSON.stringify(op.transactionalId)}`;
  if (op.incarnation !== undefined) line += `,"incarnation":${numberText(op.incarnation)}`;
  if (op.failedStep !== undefined) line += `,"failedStep":"${op.failedStep}"`;
  if (op.error !== undefined) line += `,"error":${JSON.stringify({ code: op.error.code, message: op.error.message })}`;
  return line + '}';
}

/**
 * Encodes an out record in the canonical key order `kind,timeMs,reader,topic,partition,offset,key,value[,headers]`,
 * which the reader's out fast lane recognises (without headers).
 */
export function encodeOutRecord(out: OutRecord): string {
  let line = `{"kind":"out","timeMs":${numberText(out.timeMs)},"reader":${JSON.stringify(out.reader)},"topic":${JSON.stringify(out.topic)}`;
  line += `,"partition":${numberText(out.partition)},"offset":${numberText(out.offset)},"key":${JSON.stringify(out.key)},"value":${JSON.stringify(out.value)}`;
  if (out.headers !== undefined) line += `,"headers":${JSON.stringify(out.headers)}`;
  return line + '}';
}

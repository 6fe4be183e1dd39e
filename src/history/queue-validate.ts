import type { OpError } from './operation.js';
import { QUEUE_OP_FUNCTIONS, QUEUE_TXN_STEPS, type QueueMicroOp, type QueueOffset, type QueueOpFunction, type QueueOpRecord, type QueuePolledPartition, type QueueRebalance } from './queue-op.js';

/**
 * Validates a parsed `kind: 'queue'` record field by field. Errors name the field by its path
 * (`queue: mops[1].partitions[0].records[3][0] (offset) must be ...`); the reader adds the line number.
 */

type Json = Record<string, unknown>;
type Fail = (message: string) => never;

/** Kafka partition ids are 32-bit signed. */
const MAX_PARTITION_ID = 2 ** 31 - 1;
const TYPES = ['invoke', 'ok', 'fail', 'info'] as const;
/** Which micro-ops each function may hold. */
const MOPS_ALLOWED: Partial<Record<QueueOpFunction, readonly QueueMicroOp['f'][]>> = { txn: ['send', 'poll', 'send-offsets'], send: ['send'], poll: ['poll'] };

export function toQueueOp(o: Json, fail: Fail): QueueOpRecord {
  const type = o['type'];
  if (!(TYPES as readonly unknown[]).includes(type)) fail(`queue: type must be one of ${TYPES.join(', ')}, got ${JSON.stringify(type)}`);
  const f = o['f'];
  if (!(QUEUE_OP_FUNCTIONS as readonly unknown[]).includes(f)) fail(`queue: f must be one of ${QUEUE_OP_FUNCTIONS.join(', ')}, got ${JSON.stringify(f)}`);
  const op = o as unknown as QueueOpRecord;
  if (typeof o['process'] !== 'string') fail('queue: process must be a string');
  finite(o['timeMs'], 'timeMs', fail);
  if (o['topic'] !== undefined && typeof o['topic'] !== 'string') fail('queue: topic must be a string');
  checkFunctionFields(op, o, fail);
  if (o['rebalances'] !== undefined) arrayOf(o['rebalances'], 'rebalances', fail).forEach((r, i) => checkRebalance(r, `rebalances[${i}]`, fail));
  if (o['error'] !== undefined) checkError(o['error'], fail);
  checkProducerFields(o, fail);
  return op;
}

/** The optional producer fields of format 3 (transactional id, incarnation, the failed txn step). */
function checkProducerFields(o: Json, fail: Fail): void {
  if (o['transactionalId'] !== undefined && (typeof o['transactionalId'] !== 'string' || o['transactionalId'] === '')) fail('queue: transactionalId must be a non-empty string');
  if (o['incarnation'] !== undefined && (whole(o['incarnation'], 'incarnation', fail) < 1 || o['transactionalId'] === undefined)) fail('queue: incarnation must be a whole number >= 1, with a transactionalId');
  if (o['failedStep'] !== undefined && !(QUEUE_TXN_STEPS as readonly unknown[]).includes(o['failedStep'])) fail(`queue: failedStep must be one of ${QUEUE_TXN_STEPS.join(', ')}, got ${JSON.stringify(o['failedStep'])}`);
}

function checkFunctionFields(op: QueueOpRecord, o: Json, fail: Fail): void {
  const allowed = MOPS_ALLOWED[op.f];
  if (allowed !== undefined) {
    // An ok says what happened, so it must list it; an invoke or an unknown outcome may leave it out.
    if (o['mops'] === undefined) {
      if (op.type === 'ok' || op.type === 'fail') fail(`queue: a ${op.f} ${op.type} needs mops`);
      return;
    }
    arrayOf(o['mops'], 'mops', fail).forEach((m, i) => checkMop(m, `mops[${i}]`, allowed, op.f, fail));
    return;
  }
  if (o['mops'] !== undefined) fail(`queue: mops are for txn, send and poll, not ${op.f}`);
  // The invoke may say what it asks for; the ok must say what was done.
  if (op.f === 'assign' || op.f === 'subscribe') {
    if (o['partitions'] === undefined && op.type !== 'ok') return;
    arrayOf(o['partitions'], 'partitions', fail).forEach((p, i) => partition(p, `partitions[${i}]`, fail));
    if (o['seekToBeginning'] !== undefined && typeof o['seekToBeginning'] !== 'boolean') fail('queue: seekToBeginning must be true or false');
  } else if (op.f === 'commit') {
    if (o['offsets'] === undefined && op.type !== 'ok') return;
    checkOffsets(o['offsets'], 'offsets', fail);
  } else if (op.f === 'crash' && op.type !== 'info') {
    fail(`queue: a crash is one info record, got type ${op.type}`);
  }
}

function checkMop(m: unknown, path: string, allowed: readonly QueueMicroOp['f'][], f: QueueOpFunction, fail: Fail): void {
  const o = object(m, path, fail);
  const mf = o['f'];
  if (!(allowed as readonly unknown[]).includes(mf)) fail(`queue: ${path}.f must be one of ${allowed.join(', ')} in a ${f}, got ${JSON.stringify(mf)}`);
  if (mf === 'send') {
    partition(o['partition'], `${path}.partition`, fail);
    optionalTopic(o, path, fail);
    value(o['value'], `${path}.value`, fail);
    if (o['offset'] !== undefined) whole(o['offset'], `${path}.offset`, fail);
    if (o['key'] !== undefined && typeof o['key'] !== 'string') fail(`queue: ${path}.key must be a string`);
  } else if (mf === 'poll') {
    arrayOf(o['partitions'], `${path}.partitions`, fail).forEach((p, i) => checkPolled(p, `${path}.partitions[${i}]`, fail));
  } else {
    checkOffsets(o['offsets'], `${path}.offsets`, fail);
    if (o['group'] !== undefined && typeof o['group'] !== 'string') fail(`queue: ${path}.group must be a string`);
  }
}

function checkPolled(p: unknown, path: string, fail: Fail): QueuePolledPartition {
  const o = object(p, path, fail);
  partition(o['partition'], `${path}.partition`, fail);
  optionalTopic(o, path, fail);
  const records = arrayOf(o['records'], `${path}.records`, fail);
  for (let i = 0; i < records.length; i++) {
    const pair = records[i];
    if (!Array.isArray(pair) || pair.length !== 2) fail(`queue: ${path}.records[${i}] must be an [offset, value] pair`);
    whole(pair[0], `${path}.records[${i}][0] (offset)`, fail);
    value(pair[1], `${path}.records[${i}][1] (value)`, fail);
  }
  return o as unknown as QueuePolledPartition;
}

function checkOffsets(v: unknown, path: string, fail: Fail): QueueOffset[] {
  const list = arrayOf(v, path, fail);
  list.forEach((e, i) => {
    const o = object(e, `${path}[${i}]`, fail);
    partition(o['partition'], `${path}[${i}].partition`, fail);
    optionalTopic(o, `${path}[${i}]`, fail);
    whole(o['offset'], `${path}[${i}].offset`, fail);
  });
  return list as QueueOffset[];
}

function checkRebalance(r: unknown, path: string, fail: Fail): QueueRebalance {
  const o = object(r, path, fail);
  for (const key of ['assigned', 'revoked']) arrayOf(o[key], `${path}.${key}`, fail).forEach((p, i) => partition(p, `${path}.${key}[${i}]`, fail));
  if (o['timeMs'] !== undefined) finite(o['timeMs'], `${path}.timeMs`, fail);
  optionalTopic(o, path, fail);
  return o as unknown as QueueRebalance;
}

function checkError(e: unknown, fail: Fail): OpError {
  const o = object(e, 'error', fail);
  if (typeof o['code'] !== 'number' && typeof o['code'] !== 'string') fail('queue: error.code must be a number or string');
  if (typeof o['message'] !== 'string') fail('queue: error.message must be a string');
  return o as unknown as OpError;
}

function object(v: unknown, path: string, fail: Fail): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`queue: ${path} must be an object`);
  return v as Json;
}

function arrayOf(v: unknown, path: string, fail: Fail): unknown[] {
  if (!Array.isArray(v)) fail(`queue: ${path} must be an array`);
  return v as unknown[];
}

function optionalTopic(o: Json, path: string, fail: Fail): void {
  if (o['topic'] !== undefined && typeof o['topic'] !== 'string') fail(`queue: ${path}.topic must be a string`);
}

function finite(v: unknown, path: string, fail: Fail): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`queue: ${path} must be a number`);
  return v;
}

function whole(v: unknown, path: string, fail: Fail, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) fail(`queue: ${path} must be a whole number in 0..${max}`);
  return v;
}

function partition(v: unknown, path: string, fail: Fail): number {
  return whole(v, path, fail, MAX_PARTITION_ID);
}

/** Values are integers, unique per partition. */
function value(v: unknown, path: string, fail: Fail): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(`queue: ${path} must be an integer`);
  return v;
}

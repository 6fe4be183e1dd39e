import { toOutEndRecord, toOutRecord } from './output-validate.js';
import { toQueueOp } from './queue-validate.js';
import { PROBE_PHASES, type EventRecord, type JournalRecord, type MetaRecord, type OpError, type OpRecord, type PartitionSample, type ProbeRecord, type ReadBackRecord, type SampleRecord } from './operation.js';

/** Thrown for a line that is JSON but not a valid record; the reader adds the line number. */
export class RecordShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordShapeError';
  }
}

type Json = Record<string, unknown>;

const shapeFail = (message: string): never => {
  throw new RecordShapeError(message);
};

/** Checks a parsed JSON value is a journal record and returns it typed. Unknown extra keys are kept. */
export function toJournalRecord(parsed: unknown): JournalRecord {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new RecordShapeError('not a JSON object');
  const o = parsed as Json;
  switch (o['kind']) {
    case 'op':
      return toOp(o);
    case 'event':
      return toEvent(o);
    case 'sample':
      return toSample(o);
    case 'meta':
      return toMeta(o);
    case 'read-back':
      return toReadBack(o);
    case 'probe':
      return toProbe(o);
    case 'queue':
      return toQueueOp(o, shapeFail);
    case 'out':
      return toOutRecord(o, shapeFail);
    case 'out-end':
      return toOutEndRecord(o, shapeFail);
    default:
      throw new RecordShapeError(`unknown kind ${JSON.stringify(o['kind'])} (expected op, event, sample, meta, read-back, probe, queue, out or out-end)`);
  }
}

function toOp(o: Json): OpRecord {
  const type = o['type'];
  if (type !== 'invoke' && type !== 'ok' && type !== 'fail' && type !== 'info') throw new RecordShapeError(`op: bad type ${JSON.stringify(type)}`);
  const f = o['f'];
  if (f !== 'send' && f !== 'read' && f !== 'consume') throw new RecordShapeError(`op: bad f ${JSON.stringify(f)} (expected send, read or consume)`);
  const op: OpRecord = { kind: 'op', type, f, process: str(o, 'process'), value: str(o, 'value'), timeMs: num(o, 'timeMs') };
  if (o['partition'] !== undefined) op.partition = whole(o, 'partition', MAX_PARTITION);
  if (o['offset'] !== undefined) op.offset = whole(o, 'offset');
  if (o['error'] !== undefined) op.error = toError(o['error']);
  if (f !== 'send' && type === 'ok' && (op.partition === undefined || op.offset === undefined)) {
    throw new RecordShapeError(`op: a ${f} ok needs partition and offset`);
  }
  return op;
}

function toError(e: unknown): OpError {
  if (typeof e !== 'object' || e === null) throw new RecordShapeError('op: error must be an object');
  const o = e as Json;
  const code = o['code'];
  if (typeof code !== 'number' && typeof code !== 'string') throw new RecordShapeError('op: error.code must be a number or string');
  const message = o['message'];
  return { code, message: typeof message === 'string' ? message : message === undefined || message === null ? '' : JSON.stringify(message) };
}

function toEvent(o: Json): EventRecord {
  str(o, 'event');
  num(o, 'timeMs');
  return o as unknown as EventRecord;
}

function toSample(o: Json): SampleRecord {
  str(o, 'topic');
  num(o, 'timeMs');
  for (const e of partitionEntries(o, 'sample')) {
    if (e['highWatermark'] !== null && e['highWatermark'] !== undefined) whole(e, 'highWatermark');
    if (e['highWatermark'] === undefined) (e as unknown as PartitionSample).highWatermark = null;
    if (e['leader'] === undefined) (e as unknown as PartitionSample).leader = null;
    if (!Array.isArray(e['isr'])) (e as unknown as PartitionSample).isr = [];
  }
  return o as unknown as SampleRecord;
}

/** The `partitions` array of a sample or read-back record: objects, each with a valid `partition`. */
function partitionEntries(o: Json, kind: string): Json[] {
  const parts = o['partitions'];
  if (!Array.isArray(parts)) throw new RecordShapeError(`${kind}: partitions must be an array`);
  for (const p of parts as unknown[]) {
    if (typeof p !== 'object' || p === null) throw new RecordShapeError(`${kind}: partition entry must be an object`);
    whole(p as Json, 'partition', MAX_PARTITION);
  }
  return parts as Json[];
}

function toReadBack(o: Json): ReadBackRecord {
  str(o, 'process');
  str(o, 'topic');
  num(o, 'timeMs');
  const isolation = o['isolation'];
  if (isolation !== undefined && isolation !== 'read_committed' && isolation !== 'read_uncommitted') {
    throw new RecordShapeError(`read-back: bad isolation ${JSON.stringify(isolation)} (expected read_committed or read_uncommitted)`);
  }
  for (const e of partitionEntries(o, 'read-back')) {
    whole(e, 'startOffset');
    whole(e, 'endOffset');
    whole(e, 'read');
    if (typeof e['reachedEnd'] !== 'boolean') throw new RecordShapeError('read-back: reachedEnd must be true or false');
    if (e['lastStableOffset'] !== undefined) whole(e, 'lastStableOffset');
  }
  return o as unknown as ReadBackRecord;
}

function toProbe(o: Json): ProbeRecord {
  num(o, 'timeMs');
  str(o, 'name');
  str(o, 'probe');
  const phase = o['phase'];
  if (!(PROBE_PHASES as readonly unknown[]).includes(phase)) throw new RecordShapeError(`probe: bad phase ${JSON.stringify(phase)} (expected ${PROBE_PHASES.join(', ')})`);
  if (typeof o['ok'] !== 'boolean') throw new RecordShapeError('probe: ok must be true or false');
  if (o['detail'] !== undefined) str(o, 'detail');
  return o as unknown as ProbeRecord;
}

function toMeta(o: Json): MetaRecord {
  num(o, 'timeMs');
  num(o, 'formatVersion');
  str(o, 'startedAt');
  str(o, 'run');
  return o as MetaRecord;
}

function str(o: Json, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new RecordShapeError(`${String(o['kind'])}: ${key} must be a string`);
  return v;
}

function num(o: Json, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RecordShapeError(`${String(o['kind'])}: ${key} must be a number`);
  return v;
}

/** Kafka partition ids are 32-bit signed; the checker stores them so. */
export const MAX_PARTITION = 2 ** 31 - 1;

function whole(o: Json, key: string, max = Number.MAX_SAFE_INTEGER): number {
  const v = num(o, key);
  if (!Number.isSafeInteger(v) || v < 0 || v > max) throw new RecordShapeError(`${String(o['kind'])}: ${key} must be a whole number in 0..${max}`);
  return v;
}

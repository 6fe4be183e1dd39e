import { JOB_OFFSETS_EVENT, type JobOffsetsDetail } from '../history/job-event.js';
import type { EventRecord, JournalRecord, MetaRecord } from '../history/operation.js';
import { F_SEND, TYPE_FAIL, TYPE_INFO, TYPE_INVOKE, TYPE_OK, type OpLineView } from '../history/op-line-fast.js';
import type { OutLineView } from '../history/out-line-fast.js';
import { DLQ_SOURCE_OFFSET_HEADER, DLQ_SOURCE_PARTITION_HEADER, DLQ_SOURCE_TOPIC_HEADER, OUT_READER_LIVE, OUT_READER_UNCOMMITTED, type OutEndRecord, type OutRecord } from '../history/output-record.js';
import { PIPELINE_INPUT_PROCESS, pipelineInputKey, pipelineMetaOf, type PipelineMeta } from '../history/pipeline-meta.js';
import type { Checker } from './checker.js';
import { LocationSet } from './paged-bits.js';
import { PipelineFindings } from './pipeline-findings.js';
import { KeyCountTally } from './pipeline-key-counts.js';
import { pipelineResult } from './pipeline-result.js';
import { MAX_COUNT, PipelineStore, SEND_FAIL, SEND_INFO, SEND_INVOKED, SEND_OK, type Provenance } from './pipeline-store.js';
import { bytesEqual, keyBytesMatch, parsed, parseIdBytes, parseIdText } from './pipeline-values.js';
import type { PipelineLocation, PipelineVerdict } from './pipeline-verdict.js';

export interface PipelineCheckerOptions {
  /** Cases listed per finding (counts are exact). Default 1,000. */
  maxListed?: number;
}

export const DEFAULT_PIPELINE_MAX_LISTED = 1000;
/** Records of the read_uncommitted reader not (yet) seen by the live one, kept to list aborted output. */
const MAX_PENDING_ABORTED = 100_000;

const SEND_OUTCOME = [SEND_INVOKED, SEND_OK, SEND_FAIL, SEND_INFO];
const SEND_BY_TYPE = { invoke: TYPE_INVOKE, ok: TYPE_OK, fail: TYPE_FAIL, info: TYPE_INFO } as const;
const bytesOf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const INPUT_PROCESS = bytesOf(PIPELINE_INPUT_PROCESS);
const LIVE = bytesOf(OUT_READER_LIVE);
const UNCOMMITTED = bytesOf(OUT_READER_UNCOMMITTED);

/** The key an output record with a null key is counted under when the meta gives no key count. */
const NULL_KEY = '(null)';

/** Which side of the pipeline an out record is from. */
const ROLE_OUTPUT = 0;
const ROLE_DLQ = 1;

/** What the result needs from the reading, besides the store (filled by the checker as records arrive). */
export interface PipelineReading {
  meta: PipelineMeta | null;
  metaProblem: string | null;
  readonly store: PipelineStore;
  /** The counts (`<id>:<keyCount>`) of the output records, by key. */
  readonly keyCounts: KeyCountTally;
  /** Findings made while reading (records naming no input, wrong keys). */
  readonly findings: PipelineFindings;
  readonly maxListed: number;
  /** [output, dlq] locations seen by the live reader and by the read_uncommitted one. */
  readonly live: readonly [LocationSet, LocationSet];
  readonly uncommitted: readonly [LocationSet, LocationSet];
  readonly pendingAborted: { location: PipelineLocation; value: string | null }[];
  readonly outEnds: OutEndRecord[];
  readonly jobOffsets: { timeMs: number; detail: JobOffsetsDetail }[];
  pipelineRecords: number;
  outBeforeMeta: number;
  ignoredRecords: number;
  rereads: number;
  malformedInputs: number;
}

/**
 * The pipeline checker (docs/checker.md, "The pipeline checker"): input sends of process `in` against the
 * `out` records of the output and dead-letter topics, judged by the guarantee in the meta's `pipeline`.
 * Feed the meta record first (the journal's first line), then the rest in any order; `addOpView` and
 * `addOutView` are the reader's fast lanes. Memory: about 23 bytes per input id plus a bit per output offset.
 */
export class PipelineChecker implements Checker<PipelineVerdict> {
  readonly name = 'pipeline' as const;
  private readonly r: PipelineReading;
  private topicBytes: [Uint8Array, Uint8Array] | null = null;
  private keys = 0;

  constructor(options: PipelineCheckerOptions = {}) {
    const maxListed = options.maxListed ?? DEFAULT_PIPELINE_MAX_LISTED;
    this.r = {
      meta: null,
      metaProblem: null,
      store: new PipelineStore(),
      keyCounts: new KeyCountTally(),
      findings: new PipelineFindings(maxListed),
      maxListed,
      live: [new LocationSet(), new LocationSet()],
      uncommitted: [new LocationSet(), new LocationSet()],
      pendingAborted: [],
      outEnds: [],
      jobOffsets: [],
      pipelineRecords: 0,
      outBeforeMeta: 0,
      ignoredRecords: 0,
      rereads: 0,
      malformedInputs: 0,
    };
  }

  add(record: JournalRecord): void {
    switch (record.kind) {
      case 'meta':
        this.meta(record);
        return;
      case 'op':
        if (record.f === 'send' && record.process === PIPELINE_INPUT_PROCESS) this.input(parseIdText(record.value), SEND_BY_TYPE[record.type], record.partition ?? -1, record.offset ?? -1);
        return;
      case 'out':
        this.outRecord(record);
        return;
      case 'out-end':
        this.r.pipelineRecords++;
        this.r.outEnds.push(record);
        return;
      case 'event':
        this.event(record);
        return;
      default:
        return;
    }
  }

  /** Fast lane for input sends: the same as add(view.toRecord()). */
  addOpView(view: OpLineView): void {
    if (view.fCode !== F_SEND || !bytesEqual(view.buf, view.processStart, view.processEnd, INPUT_PROCESS)) return;
    this.input(parseIdBytes(view.buf, view.valueStart, view.valueEnd), view.typeCode, view.partition, view.offset);
  }

  /** Fast lane for out records (without headers): the same as add(view.toRecord()). */
  addOutView(view: OutLineView): void {
    this.r.pipelineRecords++;
    const buf = view.buf;
    const live = bytesEqual(buf, view.readerStart, view.readerEnd, LIVE);
    if (!live && !bytesEqual(buf, view.readerStart, view.readerEnd, UNCOMMITTED)) {
      this.r.ignoredRecords++;
      return;
    }
    const role = this.roleOfBytes(buf, view.topicStart, view.topicEnd);
    if (role < 0) return;
    const id = parseIdBytes(buf, view.valueStart, view.valueEnd);
    const keyCount = parsed.keyCount;
    if (!live) {
      this.uncommittedRecord(role, view.partition, view.offset, view);
      return;
    }
    const keyOk = id < 0 || this.keys === 0 || keyBytesMatch(buf, view.keyStart, view.keyEnd, id, this.keys);
    const fresh = this.liveRecord(role, view.partition, view.offset, id, keyOk, view);
    if (!fresh || role !== ROLE_OUTPUT || id < 0) return;
    this.r.keyCounts.add(this.keys > 0 ? id % this.keys : Buffer.from(buf.buffer, buf.byteOffset + view.keyStart, view.keyEnd - view.keyStart).toString('utf8'), id, keyCount);
  }

  result(): PipelineVerdict {
    return pipelineResult(this.r);
  }

  private meta(record: MetaRecord): void {
    if (this.r.meta !== null || this.r.metaProblem !== null) return;
    const meta = pipelineMetaOf(record);
    if (typeof meta === 'string') this.r.metaProblem = meta;
    if (meta === null || typeof meta === 'string') return;
    this.r.meta = meta;
    this.topicBytes = [bytesOf(meta.outputTopic), bytesOf(meta.dlqTopic)];
    this.keys = meta.keys ?? 0;
  }

  private event(record: EventRecord): void {
    if (record.event !== JOB_OFFSETS_EVENT) return;
    const detail = jobOffsetsOf(record.detail);
    if (detail !== null) this.r.jobOffsets.push({ timeMs: record.timeMs, detail });
  }

  private input(id: number, typeCode: number, partition: number, offset: number): void {
    if (id < 0) {
      this.r.malformedInputs++;
      return;
    }
    const store = this.r.store;
    const page = store.page(id);
    const slot = id % page.send.length;
    if (parsed.poison) page.poison[slot] = 1;
    const outcome = SEND_OUTCOME[typeCode] ?? SEND_INFO;
    if (outcome <= (page.send[slot] as number)) return;
    page.send[slot] = outcome;
    if (outcome === SEND_OK) {
      page.inPartition1[slot] = partition + 1;
      page.inOffset1[slot] = offset + 1;
    }
  }

  private roleOfBytes(buf: Uint8Array, start: number, end: number): number {
    const topics = this.topicBytes;
    if (topics === null) {
      this.r.outBeforeMeta++;
      return -1;
    }
    if (bytesEqual(buf, start, end, topics[ROLE_OUTPUT])) return ROLE_OUTPUT;
    if (bytesEqual(buf, start, end, topics[ROLE_DLQ])) return ROLE_DLQ;
    this.r.ignoredRecords++;
    return -1;
  }

  private outRecord(record: OutRecord): void {
    this.r.pipelineRecords++;
    const live = record.reader === OUT_READER_LIVE;
    if (!live && record.reader !== OUT_READER_UNCOMMITTED) {
      this.r.ignoredRecords++;
      return;
    }
    const topic = bytesOf(record.topic);
    const role = this.roleOfBytes(topic, 0, topic.length);
    if (role < 0) return;
    if (!live) {
      this.uncommittedRecord(role, record.partition, record.offset, record);
      return;
    }
    const id = parseIdText(record.value);
    const keyCount = parsed.keyCount;
    const keyOk = id < 0 || this.keys === 0 || record.key === pipelineInputKey(id, this.keys);
    const fresh = this.liveRecord(role, record.partition, record.offset, id, keyOk, record);
    // Counted under the input's key (k<id mod keys>: the key the job counted, whatever key the record has) when
    // the meta gives the keys, else under the record's key.
    if (fresh && role === ROLE_OUTPUT && id >= 0) this.r.keyCounts.add(this.keys > 0 ? id % this.keys : (record.key ?? NULL_KEY), id, keyCount);
    if (fresh && role === ROLE_DLQ && id >= 0 && record.headers !== undefined && !this.r.store.provenance.has(id)) {
      this.r.store.provenance.set(id, provenanceOf(record.headers));
    }
  }

  /** A live record; false when its location was read before (a re-read). `source` is read only for a finding. */
  private liveRecord(role: number, partition: number, offset: number, id: number, keyOk: boolean, source: OutRecord | OutLineView): boolean {
    const r = this.r;
    if (!r.live[role]?.add(partition, offset)) {
      r.rereads++;
      return false;
    }
    if (id < 0) {
      r.findings.note('unexpected', () => {
        const record = recordOf(source);
        return { value: record.value, input: null, record: { topic: record.topic, partition, offset }, detail: `not an output value of the contract (${role === ROLE_DLQ ? '!<id>' : '<id>:<keyCount>'})` };
      });
      return true;
    }
    const page = r.store.page(id);
    const slot = id % page.send.length;
    const counts = role === ROLE_DLQ ? page.dlq : page.out;
    if ((counts[slot] as number) < MAX_COUNT) counts[slot] = (counts[slot] as number) + 1;
    if (!keyOk) {
      r.findings.note('wrong-key', () => {
        const record = recordOf(source);
        return { value: record.value, input: null, record: { topic: record.topic, partition, offset }, detail: `key ${JSON.stringify(record.key)}, expected ${JSON.stringify(pipelineInputKey(id, this.keys))}` };
      });
    }
    return true;
  }

  private uncommittedRecord(role: number, partition: number, offset: number, source: OutRecord | OutLineView): void {
    const r = this.r;
    if (!r.uncommitted[role]?.add(partition, offset)) return;
    if (r.live[role]?.has(partition, offset) || r.pendingAborted.length >= MAX_PENDING_ABORTED) return;
    const topic = role === ROLE_DLQ ? (r.meta?.dlqTopic ?? '') : (r.meta?.outputTopic ?? '');
    r.pendingAborted.push({ location: { topic, partition, offset }, value: recordOf(source).value });
  }
}

const recordOf = (source: OutRecord | OutLineView): OutRecord => ('kind' in source ? source : source.toRecord());

/** The detail of a job-offsets event, its offsets kept only when whole numbers; null when it is not one. */
function jobOffsetsOf(detail: Record<string, unknown> | undefined): JobOffsetsDetail | null {
  const offsets = detail?.['offsets'];
  if (typeof detail?.['topic'] !== 'string' || typeof offsets !== 'object' || offsets === null) return null;
  const kept = Object.entries(offsets as Record<string, unknown>).filter(([p, o]) => /^\d{1,10}$/.test(p) && typeof o === 'number' && Number.isSafeInteger(o) && o >= 0);
  return { job: String(detail['job']), group: String(detail['group']), topic: detail['topic'], offsets: Object.fromEntries(kept) as Record<string, number> };
}

function provenanceOf(headers: Record<string, string>): Provenance {
  const whole = (text: string | undefined): number | null => (text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : null);
  return { topic: headers[DLQ_SOURCE_TOPIC_HEADER] ?? null, partition: whole(headers[DLQ_SOURCE_PARTITION_HEADER]), offset: whole(headers[DLQ_SOURCE_OFFSET_HEADER]) };
}

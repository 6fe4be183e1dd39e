import type { MetaRecord, ReadBackRecord } from '../history/operation.js';
import { QUEUE_OP_FUNCTIONS, type QueueMicroOp, type QueueOpFunction, type QueueOpRecord } from '../history/queue-op.js';
import { isProducerFencedError } from './queue-fencing.js';
import { grown, IntKeyMap } from './queue-int-map.js';

/**
 * The queue checker's compact copy of a history: one row per completed operation and one row per thing it
 * touched (a send, a polled record, an offset, a partition), in typed arrays; values and partitions are
 * numbered densely (`vid`, `pid`). Completions are paired with their process's invoke (one op at a time
 * per process); an invoke never completed is an `info` op that completed at +Infinity.
 */

export const T_OK = 1;
export const T_FAIL = 2;
export const T_INFO = 3;
const TYPE_CODES = { invoke: 0, ok: T_OK, fail: T_FAIL, info: T_INFO } as const;
const F_CODES: Record<QueueOpFunction, number> = Object.fromEntries(QUEUE_OP_FUNCTIONS.map((f, i) => [f, i])) as Record<QueueOpFunction, number>;
export const F_TXN = F_CODES.txn;
export const F_POLL_OP = F_CODES.poll;
export const F_ASSIGN = F_CODES.assign;
export const F_SUBSCRIBE = F_CODES.subscribe;
export const F_COMMIT = F_CODES.commit;
export const F_CRASH = F_CODES.crash;

/** opTxnFlags bits: the txn ended at a step before its commit was asked for (`failedStep`); its error says its producer was fenced. */
export const TXN_BEFORE_COMMIT = 1;
export const TXN_FENCED = 2;

/** Row kinds. */
export const R_SEND = 0;
export const R_POLL = 1;
export const R_SEND_OFFSETS = 2;
export const R_ASSIGNED = 3;
export const R_COMMIT = 4;
export const R_REBALANCED = 5;

interface Pending {
  record: QueueOpRecord;
  line: number;
}

export class QueueHistory {
  // Ops.
  opCount = 0;
  opProcess = new Int32Array(1024);
  opType = new Uint8Array(1024);
  opF = new Uint8Array(1024);
  opSeek = new Uint8Array(1024);
  opInvokeMs = new Float64Array(1024);
  opCompleteMs = new Float64Array(1024);
  opLine = new Int32Array(1024);
  /** The op's transactional id (numbered in `transactionalIds`), -1 when none is recorded. */
  opTid = new Int32Array(1024);
  /** Its producer incarnation of that transactional id, 0 when none is recorded. */
  opIncarnation = new Int32Array(1024);
  /** TXN_BEFORE_COMMIT | TXN_FENCED. */
  opTxnFlags = new Uint8Array(1024);
  readonly transactionalIds: string[] = [];
  private readonly tidIds = new Map<string, number>();
  /** Rows of op i: [opRowStart[i], opRowStart[i + 1]). */
  opRowStart = new Int32Array(1025);
  // Rows.
  rowCount = 0;
  rowKind = new Uint8Array(4096);
  rowPid = new Int32Array(4096);
  rowVid = new Int32Array(4096);
  rowOffset = new Float64Array(4096);
  // Values.
  valueCount = 0;
  vPid = new Int32Array(4096);
  vValue = new Float64Array(4096);
  /** The op that sent the value, -1 if none did. */
  vWriter = new Int32Array(4096);
  private readonly valueIds: IntKeyMap[] = [];
  // Partitions and processes.
  readonly partitionNames: { partition: number; topic?: string }[] = [];
  private readonly plainPids = new IntKeyMap();
  private readonly topicPids = new Map<string, number>();
  readonly processNames: string[] = [];
  private readonly processIds = new Map<string, number>();
  private readonly pending: (Pending | null)[] = [];
  meta: MetaRecord | null = null;
  /** The run's topic (meta `topic`, else `queue.topic`): an entry naming it is a plain partition. */
  runTopic: string | undefined;
  readBacks: ReadBackRecord[] = [];
  lastMs = 0;

  add(record: QueueOpRecord, line: number): void {
    this.lastMs = Math.max(this.lastMs, record.timeMs);
    const proc = this.processId(record.process);
    const pending = this.pending[proc] ?? null;
    if (record.type === 'invoke') {
      if (pending !== null) this.complete(pending.record, null, pending.line, record.timeMs, proc);
      this.pending[proc] = { record, line };
      return;
    }
    if (record.f === 'crash' && pending !== null) {
      // The op in flight when the client was torn down: its outcome is unknown.
      this.complete(pending.record, null, pending.line, Infinity, proc);
      this.pending[proc] = null;
      this.complete(record, null, line, record.timeMs, proc);
      return;
    }
    this.pending[proc] = null;
    this.complete(record, pending?.record ?? null, line, record.timeMs, proc);
  }

  /**
   * Adds the invokes never completed as info ops, for a result; `undo` takes them out again, so records
   * that come later still pair with their invokes.
   */
  finish(): { undo: () => void } {
    const ops = this.opCount;
    const rows = this.rowCount;
    const written: number[] = [];
    for (let proc = 0; proc < this.pending.length; proc++) {
      const p = this.pending[proc];
      if (p === null || p === undefined) continue;
      const op = this.opCount;
      this.complete(p.record, null, p.line, Infinity, proc);
      for (let r = this.opRowStart[op] as number; r < this.rowCount; r++) if (this.rowKind[r] === R_SEND && this.vWriter[this.rowVid[r] as number] === op) written.push(this.rowVid[r] as number);
    }
    return {
      undo: () => {
        this.opCount = ops;
        this.rowCount = rows;
        for (const vid of written) this.vWriter[vid] = -1;
      },
    };
  }

  /** Appends op `record` (a completion, or an invoke standing for one that never came). */
  private complete(record: QueueOpRecord, invoke: QueueOpRecord | null, line: number, completeMs: number, proc: number): void {
    const i = this.opCount++;
    this.ensureOps(i + 1);
    this.opProcess[i] = proc;
    this.opType[i] = record.type === 'invoke' ? T_INFO : TYPE_CODES[record.type];
    this.opF[i] = F_CODES[record.f];
    this.opSeek[i] = record.seekToBeginning === true ? 1 : 0;
    this.opInvokeMs[i] = invoke?.timeMs ?? record.timeMs;
    this.opCompleteMs[i] = completeMs;
    this.opLine[i] = line;
    this.noteProducer(record, invoke, i);
    this.addRows(record, invoke, i);
    this.opRowStart[i + 1] = this.rowCount;
  }

  /** The producer fields (queue-op.ts): transactional id and incarnation (from either record), the failed step and a fencing error (of the completion). */
  private noteProducer(record: QueueOpRecord, invoke: QueueOpRecord | null, op: number): void {
    const tid = record.transactionalId ?? invoke?.transactionalId;
    let id = -1;
    if (tid !== undefined) {
      id = this.tidIds.get(tid) ?? this.transactionalIds.length;
      if (id === this.transactionalIds.length) {
        this.transactionalIds.push(tid);
        this.tidIds.set(tid, id);
      }
    }
    this.opTid[op] = id;
    this.opIncarnation[op] = record.incarnation ?? invoke?.incarnation ?? 0;
    const beforeCommit = record.failedStep !== undefined && record.failedStep !== 'commitTransaction';
    this.opTxnFlags[op] = (beforeCommit ? TXN_BEFORE_COMMIT : 0) | (isProducerFencedError(record.error) ? TXN_FENCED : 0);
  }

  private addRows(record: QueueOpRecord, invoke: QueueOpRecord | null, op: number): void {
    const mops = record.mops ?? invoke?.mops;
    if (mops !== undefined) for (const m of mops) this.addMop(m, op);
    if (record.partitions !== undefined) for (const p of record.partitions) this.row(R_ASSIGNED, this.partitionId(p, record.topic), -1, -1);
    if (record.offsets !== undefined) for (const o of record.offsets) this.row(R_COMMIT, this.partitionId(o.partition, o.topic), -1, o.offset);
    if (record.rebalances !== undefined) {
      for (const r of record.rebalances) {
        for (const p of r.assigned) this.row(R_REBALANCED, this.partitionId(p, r.topic ?? record.topic), -1, -1);
        for (const p of r.revoked) this.row(R_REBALANCED, this.partitionId(p, r.topic ?? record.topic), -1, -1);
      }
    }
  }

  private addMop(m: QueueMicroOp, op: number): void {
    if (m.f === 'send') {
      const pid = this.partitionId(m.partition, m.topic);
      const vid = this.valueId(pid, m.value);
      if (this.vWriter[vid] === -1) this.vWriter[vid] = op;
      this.row(R_SEND, pid, vid, m.offset ?? -1);
    } else if (m.f === 'poll') {
      for (const p of m.partitions) {
        const pid = this.partitionId(p.partition, p.topic);
        for (const [offset, value] of p.records) this.row(R_POLL, pid, this.valueId(pid, value), offset);
      }
    } else {
      for (const o of m.offsets) this.row(R_SEND_OFFSETS, this.partitionId(o.partition, o.topic), -1, o.offset);
    }
  }

  private row(kind: number, pid: number, vid: number, offset: number): void {
    const r = this.rowCount++;
    if (r >= this.rowKind.length) {
      this.rowKind = grown(this.rowKind, r + 1);
      this.rowPid = grown(this.rowPid, r + 1);
      this.rowVid = grown(this.rowVid, r + 1);
      this.rowOffset = grown(this.rowOffset, r + 1);
    }
    this.rowKind[r] = kind;
    this.rowPid[r] = pid;
    this.rowVid[r] = vid;
    this.rowOffset[r] = offset;
  }

  private ensureOps(n: number): void {
    if (n <= this.opProcess.length) return;
    this.opProcess = grown(this.opProcess, n);
    this.opType = grown(this.opType, n);
    this.opF = grown(this.opF, n);
    this.opSeek = grown(this.opSeek, n);
    this.opInvokeMs = grown(this.opInvokeMs, n);
    this.opCompleteMs = grown(this.opCompleteMs, n);
    this.opLine = grown(this.opLine, n);
    this.opTid = grown(this.opTid, n);
    this.opIncarnation = grown(this.opIncarnation, n);
    this.opTxnFlags = grown(this.opTxnFlags, n);
    this.opRowStart = grown(this.opRowStart, this.opProcess.length + 1);
  }

  processId(name: string): number {
    let id = this.processIds.get(name);
    if (id === undefined) {
      id = this.processNames.length;
      this.processNames.push(name);
      this.processIds.set(name, id);
      this.pending.push(null);
    }
    return id;
  }

  /** Keeps the first meta line and the run's topic from it. */
  noteMeta(meta: MetaRecord): void {
    if (this.meta !== null) return;
    this.meta = meta;
    const queue = meta['queue'];
    const queueTopic = typeof queue === 'object' && queue !== null ? (queue as Record<string, unknown>)['topic'] : undefined;
    this.runTopic = meta.topic ?? (typeof queueTopic === 'string' ? queueTopic : undefined);
  }

  partitionId(partition: number, named: string | undefined): number {
    const topic = named === this.runTopic ? undefined : named;
    let id = topic === undefined ? this.plainPids.get(partition) : (this.topicPids.get(`${topic}\u0000${partition}`) ?? -1);
    if (id >= 0) return id;
    id = this.partitionNames.length;
    this.partitionNames.push(topic === undefined ? { partition } : { partition, topic });
    this.valueIds.push(new IntKeyMap());
    if (topic === undefined) this.plainPids.set(partition, id);
    else this.topicPids.set(`${topic}\u0000${partition}`, id);
    return id;
  }

  /** The pid of a plain partition of the run's topic, or -1 when no op touched it. */
  plainPartitionId(partition: number): number {
    return this.plainPids.get(partition);
  }

  private valueId(pid: number, value: number): number {
    const ids = this.valueIds[pid] as IntKeyMap;
    let vid = ids.get(value);
    if (vid >= 0) return vid;
    vid = this.valueCount++;
    if (vid >= this.vPid.length) {
      this.vPid = grown(this.vPid, vid + 1);
      this.vValue = grown(this.vValue, vid + 1);
      this.vWriter = grown(this.vWriter, vid + 1, -1);
    }
    this.vPid[vid] = pid;
    this.vValue[vid] = value;
    this.vWriter[vid] = -1;
    ids.set(value, vid);
    return vid;
  }
}

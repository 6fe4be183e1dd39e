import { F_ASSIGN, F_COMMIT, F_CRASH, F_SUBSCRIBE, F_TXN, R_ASSIGNED, R_COMMIT, R_POLL, R_REBALANCED, R_SEND, R_SEND_OFFSETS, T_FAIL, T_OK, type QueueHistory } from './queue-history.js';
import type { QueueFindings } from './queue-findings.js';
import { lowerBound } from './queue-int-map.js';
import type { VersionOrders } from './queue-version-order.js';

/** Skipped values named in a case. */
const MAX_SKIPPED_LISTED = 20;

/**
 * Order within and across one process's operations, in version-order indexes (Jepsen's definitions):
 * int-poll-skip / int-nonmonotonic-poll / int-send-skip / int-nonmonotonic-send within one op;
 * poll-skip / nonmonotonic-poll / nonmonotonic-send across a process's ops; abort-rewind (after an
 * aborted txn the next poll does not go back); committed-too-far / committed-beyond-position (an offset
 * committed beyond what the process had polled). State per (process, partition) in typed arrays.
 */
export class OrderChecks {
  private readonly k: number;
  private readonly lastRead: Int32Array;
  private readonly lastReadOp: Int32Array;
  private readonly lastSend: Int32Array;
  private readonly lastSendOp: Int32Array;
  private readonly position: Float64Array;
  private readonly abortOp: Int32Array;
  private readonly abortMax: Int32Array;
  // Per op scratch, by pid.
  private readonly opRead: Int32Array;
  private readonly opSend: Int32Array;
  private readonly rebalanced: Uint8Array;
  private readonly touched: number[] = [];
  private hadRebalance = false;

  constructor(
    private readonly h: QueueHistory,
    private readonly vo: VersionOrders,
    private readonly findings: QueueFindings,
  ) {
    this.k = h.partitionNames.length;
    const n = h.processNames.length * this.k;
    this.lastRead = new Int32Array(n).fill(-1);
    this.lastReadOp = new Int32Array(n).fill(-1);
    this.lastSend = new Int32Array(n).fill(-1);
    this.lastSendOp = new Int32Array(n).fill(-1);
    this.position = new Float64Array(n).fill(-1);
    this.abortOp = new Int32Array(n).fill(-1);
    this.abortMax = new Int32Array(n).fill(-1);
    this.opRead = new Int32Array(this.k).fill(-2);
    this.opSend = new Int32Array(this.k).fill(-2);
    this.rebalanced = new Uint8Array(this.k);
  }

  run(): void {
    const h = this.h;
    for (let op = 0; op < h.opCount; op++) {
      const f = h.opF[op] as number;
      const base = (h.opProcess[op] as number) * this.k;
      if (f === F_CRASH) this.resetAll(base);
      else if ((f === F_ASSIGN || f === F_SUBSCRIBE) && h.opType[op] === T_OK) this.reassign(op, base);
      else this.rows(op, base);
    }
  }

  private resetRead(at: number): void {
    this.lastRead[at] = -1;
    this.position[at] = -1;
    this.abortOp[at] = -1;
  }

  private resetAll(base: number): void {
    for (let pid = 0; pid < this.k; pid++) {
      this.resetRead(base + pid);
      this.lastSend[base + pid] = -1;
    }
  }

  /** A new assignment keeps the read state of the partitions it keeps (all of it is reset by a seek to the beginning). */
  private reassign(op: number, base: number): void {
    const h = this.h;
    const keep = this.rebalanced;
    if (h.opSeek[op] !== 1) for (let r = h.opRowStart[op] as number; r < (h.opRowStart[op + 1] as number); r++) if (h.rowKind[r] === R_ASSIGNED) keep[h.rowPid[r] as number] = 1;
    for (let pid = 0; pid < this.k; pid++) {
      if (keep[pid] !== 1) this.resetRead(base + pid);
      keep[pid] = 0;
    }
  }

  private rows(op: number, base: number): void {
    const h = this.h;
    const start = h.opRowStart[op] as number;
    const end = h.opRowStart[op + 1] as number;
    for (let r = start; r < end; r++) {
      if (h.rowKind[r] !== R_REBALANCED) continue;
      const pid = h.rowPid[r] as number;
      this.rebalanced[pid] = 1;
      this.hadRebalance = true;
      this.resetRead(base + pid);
    }
    for (let r = start; r < end; r++) {
      const kind = h.rowKind[r];
      if (kind === R_POLL) this.poll(op, base, r);
      else if (kind === R_SEND) this.send(op, base, r);
      else if (kind === R_COMMIT || kind === R_SEND_OFFSETS) this.commit(op, base, r);
    }
    this.afterOp(op, base);
  }

  private poll(op: number, base: number, r: number): void {
    const h = this.h;
    const pid = h.rowPid[r] as number;
    const at = base + pid;
    const idx = this.vo.vIndex[h.rowVid[r] as number] as number;
    const before = this.opRead[pid] as number;
    if (before === -2) {
      this.touch(pid);
      const last = this.lastRead[at] as number;
      if (last >= 0 && idx >= 0) this.acrossPolls(op, at, pid, last, idx);
    } else if (before >= 0 && idx >= 0 && this.rebalanced[pid] !== 1) {
      this.compare(idx - before, 'int-poll-skip', 'int-nonmonotonic-poll', pid, before, idx, [op]);
    }
    if (idx >= 0 || before === -2) this.opRead[pid] = idx;
    this.position[at] = Math.max(this.position[at] as number, (h.rowOffset[r] as number) + 1);
  }

  private acrossPolls(op: number, at: number, pid: number, last: number, idx: number): void {
    const aborted = this.abortOp[at] as number;
    if (aborted >= 0 && idx - last > 1 && idx > (this.abortMax[at] as number)) {
      this.abortOp[at] = -1;
      if (this.findings.note('abort-rewind')) {
        const skipped = this.skipped(pid, last, idx);
        this.findings.list({ anomaly: 'abort-rewind', detail: `after op ${aborted} aborted, op ${op} polled ${this.findings.partitionText(pid)} from index ${idx}, not from index ${last + 1} after the last committed read (op ${this.lastReadOp[at]})`, partition: this.findings.partitionRef(pid), values: skipped, ops: this.findings.opRefs(this.lastReadOp[at] as number, aborted, op) });
      }
      return;
    }
    this.compare(idx - last, 'poll-skip', 'nonmonotonic-poll', pid, last, idx, [this.lastReadOp[at] as number, op]);
  }

  private send(op: number, base: number, r: number): void {
    const h = this.h;
    const type = h.opType[op];
    const pid = h.rowPid[r] as number;
    const idx = this.vo.vIndex[h.rowVid[r] as number] as number;
    const before = this.opSend[pid] as number;
    if (before === -2) {
      this.touch(pid);
      const last = this.lastSend[base + pid] as number;
      if (type !== T_FAIL && last >= 0 && idx >= 0 && idx <= last) this.compare(idx - last, null, 'nonmonotonic-send', pid, last, idx, [this.lastSendOp[base + pid] as number, op]);
    } else if (before >= 0 && idx >= 0 && type !== T_FAIL) {
      this.compare(idx - before, 'int-send-skip', 'int-nonmonotonic-send', pid, before, idx, [op]);
    }
    if (idx >= 0 || before === -2) this.opSend[pid] = idx;
  }

  private compare(delta: number, skipName: 'poll-skip' | 'int-poll-skip' | 'int-send-skip' | null, backName: 'nonmonotonic-poll' | 'int-nonmonotonic-poll' | 'int-nonmonotonic-send' | 'nonmonotonic-send', pid: number, from: number, to: number, ops: number[]): void {
    const f = this.findings;
    if (delta > 1 && skipName !== null) {
      const skipped = this.skipped(pid, from, to);
      if (skipped.length > 0 && f.note(skipName)) f.list({ anomaly: skipName, detail: `${f.partitionText(pid)}: from index ${from} to ${to}, skipping ${delta - 1} value(s)`, partition: f.partitionRef(pid), values: skipped, ops: f.opRefs(...ops) });
    } else if (delta < 1 && f.note(backName)) {
      const order = this.vo.vids[pid] as Int32Array;
      f.list({ anomaly: backName, detail: `${f.partitionText(pid)}: from index ${from} back to ${to} (values ${this.h.vValue[order[from] as number]} then ${this.h.vValue[order[to] as number]})`, partition: f.partitionRef(pid), values: [this.h.vValue[order[from] as number] as number, this.h.vValue[order[to] as number] as number], ops: f.opRefs(...ops) });
    }
  }

  /** Values strictly between two indexes, unless every one of them was written by an aborted op (read_committed hides those). */
  private skipped(pid: number, from: number, to: number): number[] {
    const order = this.vo.vids[pid] as Int32Array;
    const h = this.h;
    let real = false;
    const out: number[] = [];
    for (let i = from + 1; i < to; i++) {
      const vid = order[i] as number;
      const writer = h.vWriter[vid] as number;
      if (writer < 0 || h.opType[writer] !== T_FAIL) real = true;
      if (out.length < MAX_SKIPPED_LISTED) out.push(h.vValue[vid] as number);
    }
    return real ? out : [];
  }

  private commit(op: number, base: number, r: number): void {
    const h = this.h;
    const isCommit = h.opF[op] === F_COMMIT ? h.opType[op] === T_OK : this.vo.committed[op] === 1;
    const pid = h.rowPid[r] as number;
    const pos = this.position[base + pid] as number;
    const offset = h.rowOffset[r] as number;
    if (!isCommit || pos < 0 || offset <= pos) return;
    const offsets = this.vo.offsets[pid] as Float64Array;
    let i = lowerBound(offsets, pos);
    const skipped: number[] = [];
    for (; i < offsets.length && (offsets[i] as number) < offset; i++) if (skipped.length < MAX_SKIPPED_LISTED) skipped.push(h.vValue[(this.vo.vids[pid] as Int32Array)[i] as number] as number);
    const name = skipped.length > 0 ? 'committed-too-far' : 'committed-beyond-position';
    const f = this.findings;
    if (f.note(name)) f.list({ anomaly: name, detail: `op ${op} committed offset ${offset} of ${f.partitionText(pid)}, beyond its position ${pos}${skipped.length > 0 ? `, over values it never polled: ${skipped.join(', ')}` : ''}`, partition: f.partitionRef(pid), offsets: [offset], values: skipped, ops: f.opRefs(op) });
  }

  private touch(pid: number): void {
    this.touched.push(pid);
  }

  /** An ok op moves the process's last read and send; an aborted txn that read leaves a rewind expected. */
  private afterOp(op: number, base: number): void {
    const type = this.h.opType[op];
    for (const pid of this.touched) {
      const at = base + pid;
      const read = this.opRead[pid] as number;
      const sent = this.opSend[pid] as number;
      if (read >= 0 && type === T_OK) {
        this.lastRead[at] = read;
        this.lastReadOp[at] = op;
        this.abortOp[at] = -1;
      } else if (read >= 0 && type === T_FAIL && this.h.opF[op] === F_TXN && (this.lastRead[at] as number) >= 0) {
        this.abortMax[at] = this.abortOp[at] === -1 ? read : Math.max(read, this.abortMax[at] as number);
        this.abortOp[at] = op;
      }
      if (sent >= 0 && type !== T_FAIL) {
        this.lastSend[at] = sent;
        this.lastSendOp[at] = op;
      }
      this.opRead[pid] = -2;
      this.opSend[pid] = -2;
    }
    this.touched.length = 0;
    if (this.hadRebalance) this.rebalanced.fill(0);
    this.hadRebalance = false;
  }
}

import { grown, lowerBound } from './queue-int-map.js';
import { F_TXN, R_POLL, type QueueHistory } from './queue-history.js';
import type { VersionOrders } from './queue-version-order.js';

export const E_WW = 0;
export const E_WR = 1;
export const E_PROCESS = 2;
export const E_REALTIME = 3;

/**
 * The dependency graph over committed transactions (txn ops: `ok`, or `info` proven committed; sends
 * and polls outside transactions promise no atomicity, so they are not nodes):
 * ww (consecutive writers in a partition's version order), wr (writer of the highest value an op read in
 * a partition -> the reader), process (consecutive ops of a process), realtime (an op completed before
 * another was invoked). Realtime edges go through one barrier node per completion, chained in time
 * order, so they stay linear in number: op -> its barrier -> ... -> the last barrier before an invoke -> op.
 * Nodes 0..opCount-1 are ops; nodes from opCount are barriers. Edges in compressed sparse rows.
 */
export class DependencyGraph {
  nodeCount = 0;
  edgeCount = 0;
  from = new Int32Array(1024);
  to = new Int32Array(1024);
  type = new Uint8Array(1024);
  pid = new Int32Array(1024);
  vid = new Int32Array(1024);
  /** CSR: edges of node n are edgeOrder[rowStart[n] .. rowStart[n + 1]). */
  rowStart = new Int32Array(0);
  edgeOrder = new Int32Array(0);

  constructor(
    readonly h: QueueHistory,
    readonly vo: VersionOrders,
  ) {
    const inGraph = this.members();
    this.nodeCount = h.opCount;
    this.wwEdges(inGraph);
    this.wrEdges(inGraph);
    this.processEdges(inGraph);
    this.realtimeEdges(inGraph);
    this.compress();
  }

  isOp(node: number): boolean {
    return node < this.h.opCount;
  }

  private members(): Uint8Array {
    const h = this.h;
    const inGraph = new Uint8Array(h.opCount);
    for (let op = 0; op < h.opCount; op++) {
      if (h.opF[op] === F_TXN && this.vo.committed[op] === 1) inGraph[op] = 1;
    }
    return inGraph;
  }

  private edge(from: number, to: number, type: number, pid: number, vid: number): void {
    const e = this.edgeCount++;
    if (e >= this.from.length) {
      this.from = grown(this.from, e + 1);
      this.to = grown(this.to, e + 1);
      this.type = grown(this.type, e + 1);
      this.pid = grown(this.pid, e + 1);
      this.vid = grown(this.vid, e + 1);
    }
    this.from[e] = from;
    this.to[e] = to;
    this.type[e] = type;
    this.pid[e] = pid;
    this.vid[e] = vid;
  }

  private wwEdges(inGraph: Uint8Array): void {
    const h = this.h;
    for (let pid = 0; pid < this.vo.vids.length; pid++) {
      const order = this.vo.vids[pid] as Int32Array;
      let previous = -1;
      for (let i = 0; i < order.length; i++) {
        const vid = order[i] as number;
        const writer = h.vWriter[vid] as number;
        // A duplicate's later copies are not versions of their own: the value's index is its first offset.
        if (writer < 0 || inGraph[writer] !== 1 || this.vo.vIndex[vid] !== i) continue;
        if (previous >= 0 && previous !== writer) this.edge(previous, writer, E_WW, pid, vid);
        previous = writer;
      }
    }
  }

  /** Per op and partition, the writer of the highest value read -> the reader. */
  private wrEdges(inGraph: Uint8Array): void {
    const h = this.h;
    const best = new Int32Array(h.partitionNames.length).fill(-1);
    const bestVid = new Int32Array(h.partitionNames.length);
    const touched: number[] = [];
    for (let op = 0; op < h.opCount; op++) {
      if (inGraph[op] !== 1) continue;
      for (let r = h.opRowStart[op] as number; r < (h.opRowStart[op + 1] as number); r++) {
        if (h.rowKind[r] !== R_POLL) continue;
        const pid = h.rowPid[r] as number;
        const vid = h.rowVid[r] as number;
        const idx = this.vo.vIndex[vid] as number;
        if (best[pid] === -1) touched.push(pid);
        if (idx > (best[pid] as number)) {
          best[pid] = idx;
          bestVid[pid] = vid;
        }
      }
      for (const pid of touched) {
        const vid = bestVid[pid] as number;
        const writer = (best[pid] as number) >= 0 ? (h.vWriter[vid] as number) : -1;
        if (writer >= 0 && writer !== op && inGraph[writer] === 1) this.edge(writer, op, E_WR, pid, vid);
        best[pid] = -1;
      }
      touched.length = 0;
    }
  }

  private processEdges(inGraph: Uint8Array): void {
    const last = new Int32Array(this.h.processNames.length).fill(-1);
    for (let op = 0; op < this.h.opCount; op++) {
      if (inGraph[op] !== 1) continue;
      const proc = this.h.opProcess[op] as number;
      if ((last[proc] as number) >= 0) this.edge(last[proc] as number, op, E_PROCESS, -1, -1);
      last[proc] = op;
    }
  }

  private realtimeEdges(inGraph: Uint8Array): void {
    const h = this.h;
    const ops: number[] = [];
    for (let op = 0; op < h.opCount; op++) if (inGraph[op] === 1 && Number.isFinite(h.opCompleteMs[op])) ops.push(op);
    const byCompletion = Int32Array.from(ops).sort((a, b) => (h.opCompleteMs[a] as number) - (h.opCompleteMs[b] as number));
    const times = new Float64Array(byCompletion.length);
    const barrier0 = this.nodeCount;
    for (let j = 0; j < byCompletion.length; j++) {
      const op = byCompletion[j] as number;
      times[j] = h.opCompleteMs[op] as number;
      this.edge(op, barrier0 + j, E_REALTIME, -1, -1);
      if (j > 0) this.edge(barrier0 + j - 1, barrier0 + j, E_REALTIME, -1, -1);
    }
    this.nodeCount += byCompletion.length;
    for (let op = 0; op < h.opCount; op++) {
      if (inGraph[op] !== 1) continue;
      // The last completion strictly before this op's invoke.
      const lo = lowerBound(times, h.opInvokeMs[op] as number);
      if (lo > 0) this.edge(barrier0 + lo - 1, op, E_REALTIME, -1, -1);
    }
  }

  private compress(): void {
    const start = new Int32Array(this.nodeCount + 1);
    for (let e = 0; e < this.edgeCount; e++) start[(this.from[e] as number) + 1] = (start[(this.from[e] as number) + 1] as number) + 1;
    for (let n = 0; n < this.nodeCount; n++) start[n + 1] = (start[n + 1] as number) + (start[n] as number);
    const fill = start.slice(0, this.nodeCount);
    const order = new Int32Array(this.edgeCount);
    for (let e = 0; e < this.edgeCount; e++) {
      const n = this.from[e] as number;
      order[fill[n] as number] = e;
      fill[n] = (fill[n] as number) + 1;
    }
    this.rowStart = start;
    this.edgeOrder = order;
  }
}

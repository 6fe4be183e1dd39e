import { QUEUE_OP_FUNCTIONS } from '../history/queue-op.js';
import { T_FAIL, T_OK, type QueueHistory } from './queue-history.js';
import type { QueueAnomaly, QueueAnomalyName, QueueOpRef, QueuePartitionRef } from './queue-verdict.js';

/** Cases listed per anomaly name by default (the counts are exact). */
export const DEFAULT_MAX_QUEUE_CASES = 1000;

/** Collects anomaly cases: exact counts, the first `maxCases` of each name in full. */
export class QueueFindings {
  readonly counts = new Map<QueueAnomalyName, number>();
  readonly cases = new Map<QueueAnomalyName, QueueAnomaly[]>();

  constructor(
    private readonly h: QueueHistory,
    private readonly maxCases = DEFAULT_MAX_QUEUE_CASES,
  ) {}

  /** Counts one case of `name`; true when it should also be listed (call `list` then). */
  note(name: QueueAnomalyName): boolean {
    const n = (this.counts.get(name) ?? 0) + 1;
    this.counts.set(name, n);
    return n <= this.maxCases;
  }

  list(c: QueueAnomaly): void {
    let list = this.cases.get(c.anomaly);
    if (list === undefined) this.cases.set(c.anomaly, (list = []));
    list.push(c);
  }

  opRef(op: number): QueueOpRef {
    const h = this.h;
    const type = h.opType[op] === T_OK ? 'ok' : h.opType[op] === T_FAIL ? 'fail' : 'info';
    const completeMs = h.opCompleteMs[op] as number;
    return {
      op,
      line: h.opLine[op] as number,
      process: h.processNames[h.opProcess[op] as number] ?? '?',
      f: QUEUE_OP_FUNCTIONS[h.opF[op] as number] ?? 'txn',
      type,
      invokeMs: h.opInvokeMs[op] as number,
      completeMs: Number.isFinite(completeMs) ? completeMs : null,
    };
  }

  /** Op refs of the distinct ops >= 0 in `ops`. */
  opRefs(...ops: number[]): QueueOpRef[] {
    return [...new Set(ops.filter((o) => o >= 0))].map((o) => this.opRef(o));
  }

  partitionRef(pid: number): QueuePartitionRef {
    return this.h.partitionNames[pid] ?? { partition: -1 };
  }

  /** `topic/3` or `3`, for details. */
  partitionText(pid: number): string {
    const p = this.partitionRef(pid);
    return p.topic === undefined ? `partition ${p.partition}` : `${p.topic} partition ${p.partition}`;
  }
}

import { lowerBound } from './queue-int-map.js';
import { R_SEND, type QueueHistory } from './queue-history.js';
import type { QueueFindings } from './queue-findings.js';
import type { VersionOrders } from './queue-version-order.js';

/**
 * offset-regression: a send acknowledged at offset o in a partition, invoked after another send to that
 * partition had been acknowledged at an offset above o (real time). Per partition: sends sorted by
 * completion, a running maximum, a binary search per send: O(n log n).
 */
export function findOffsetRegressions(h: QueueHistory, vo: VersionOrders, findings: QueueFindings): void {
  const rowsByPid: number[][] = h.partitionNames.map(() => []);
  const rowOp = new Int32Array(h.rowCount);
  for (let op = 0; op < h.opCount; op++) {
    if (vo.committed[op] !== 1 || !Number.isFinite(h.opCompleteMs[op])) continue;
    for (let r = h.opRowStart[op] as number; r < (h.opRowStart[op + 1] as number); r++) {
      if (h.rowKind[r] !== R_SEND || (h.rowOffset[r] as number) < 0) continue;
      rowOp[r] = op;
      (rowsByPid[h.rowPid[r] as number] as number[]).push(r);
    }
  }
  for (let pid = 0; pid < rowsByPid.length; pid++) {
    const rows = Int32Array.from(rowsByPid[pid] as number[]).sort((a, b) => (h.opCompleteMs[rowOp[a] as number] as number) - (h.opCompleteMs[rowOp[b] as number] as number));
    const times = new Float64Array(rows.length);
    const maxRow = new Int32Array(rows.length);
    for (let j = 0; j < rows.length; j++) {
      const r = rows[j] as number;
      times[j] = h.opCompleteMs[rowOp[r] as number] as number;
      const prev = j > 0 ? (maxRow[j - 1] as number) : -1;
      maxRow[j] = prev >= 0 && (h.rowOffset[prev] as number) >= (h.rowOffset[r] as number) ? prev : r;
    }
    for (const r of rows) {
      // The sends completed strictly before this one was invoked: times[0 .. lo).
      const lo = lowerBound(times, h.opInvokeMs[rowOp[r] as number] as number);
      if (lo === 0) continue;
      const before = maxRow[lo - 1] as number;
      if ((h.rowOffset[before] as number) <= (h.rowOffset[r] as number) || !findings.note('offset-regression')) continue;
      const a = rowOp[before] as number;
      const b = rowOp[r] as number;
      findings.list({ anomaly: 'offset-regression', detail: `op ${b} was acknowledged at offset ${h.rowOffset[r]} of ${findings.partitionText(pid)}, though op ${a}, acknowledged before op ${b} was invoked, got offset ${h.rowOffset[before]}`, partition: findings.partitionRef(pid), offsets: [h.rowOffset[before] as number, h.rowOffset[r] as number], values: [h.vValue[h.rowVid[before] as number] as number, h.vValue[h.rowVid[r] as number] as number], ops: findings.opRefs(a, b) });
    }
  }
}

import type { ReadBackPartition } from '../history/operation.js';
import { F_POLL_OP, F_TXN, R_POLL, T_FAIL, T_OK, type QueueHistory } from './queue-history.js';
import type { QueueFindings } from './queue-findings.js';
import type { VersionOrders } from './queue-version-order.js';

/** End offsets of the final drain, by pid; `complete` when it reached them all. */
export interface DrainEnds {
  complete: boolean;
  endByPid: Map<number, number>;
  /** The last drain's entry per pid (start and end offsets, whether it reached the end). */
  byPid: Map<number, ReadBackPartition>;
  /** When the drain's first op (of the read-back's process) was invoked; -Infinity when it has none. */
  startMs: number;
}

/** G1a (aborted read) and precommitted-read (a transaction read its own write), one pass over ok reads. */
export function findAbortedReads(h: QueueHistory, findings: QueueFindings): void {
  for (let op = 0; op < h.opCount; op++) {
    if (h.opType[op] !== T_OK || (h.opF[op] !== F_POLL_OP && h.opF[op] !== F_TXN)) continue;
    for (let r = h.opRowStart[op] as number; r < (h.opRowStart[op + 1] as number); r++) {
      if (h.rowKind[r] !== R_POLL) continue;
      const vid = h.rowVid[r] as number;
      const writer = h.vWriter[vid] as number;
      if (writer === op) {
        if (findings.note('precommitted-read')) {
          findings.list({ anomaly: 'precommitted-read', detail: `op ${op} read value ${h.vValue[vid]} of ${findings.partitionText(h.rowPid[r] as number)}, which it sent itself, before committing`, partition: findings.partitionRef(h.rowPid[r] as number), values: [h.vValue[vid] as number], offsets: [h.rowOffset[r] as number], ops: findings.opRefs(op) });
        }
      } else if (writer >= 0 && h.opType[writer] === T_FAIL && findings.note('G1a')) {
        findings.list({ anomaly: 'G1a', detail: `op ${op} read value ${h.vValue[vid]} at ${findings.partitionText(h.rowPid[r] as number)} offset ${h.rowOffset[r]}, written by op ${writer}, which failed (aborted)`, partition: findings.partitionRef(h.rowPid[r] as number), values: [h.vValue[vid] as number], offsets: [h.rowOffset[r] as number], ops: findings.opRefs(writer, op) });
      }
    }
  }
}

/**
 * lost-write: a value of a committed write at an index at or below the highest index any ok read reached
 * in its partition, never read by an ok op. unseen: a value of an acknowledged (ok) write never read by an
 * ok op, not lost (above that highest index). Returns how many unseen values lie at or beyond the drain's
 * end offsets (acknowledged after the drain began: not evidence either way).
 */
export function findLostAndUnseen(h: QueueHistory, vo: VersionOrders, drain: DrainEnds, findings: QueueFindings): { beyondDrain: number } {
  const bound = new Int32Array(h.partitionNames.length).fill(-1);
  const boundReader = new Int32Array(h.partitionNames.length).fill(-1);
  for (let vid = 0; vid < h.valueCount; vid++) {
    const i = vo.vIndex[vid] as number;
    const pid = h.vPid[vid] as number;
    if ((vo.okReader[vid] as number) >= 0 && i > (bound[pid] as number)) {
      bound[pid] = i;
      boundReader[pid] = vo.okReader[vid] as number;
    }
  }
  const lost = new Uint8Array(h.valueCount);
  for (let pid = 0; pid < bound.length; pid++) {
    const order = vo.vids[pid] as Int32Array;
    for (let i = 0; i <= (bound[pid] as number); i++) {
      const vid = order[i] as number;
      const writer = h.vWriter[vid] as number;
      if ((vo.okReader[vid] as number) >= 0 || writer < 0 || vo.committed[writer] !== 1 || lost[vid] === 1) continue;
      lost[vid] = 1;
      if (findings.note('lost-write')) {
        const value = h.vValue[vid] as number;
        findings.list({ anomaly: 'lost-write', detail: `value ${value} at ${findings.partitionText(pid)} offset ${vo.offsets[pid]?.[i]}, committed by op ${writer}, was never read, though op ${boundReader[pid]} read up to index ${bound[pid]} (offset ${vo.offsets[pid]?.[bound[pid] as number]})`, partition: findings.partitionRef(pid), values: [value], offsets: [vo.offsets[pid]?.[i] as number], ops: findings.opRefs(writer, boundReader[pid] as number) });
      }
    }
  }
  return { beyondDrain: findUnseen(h, vo, drain, lost, findings) };
}

function findUnseen(h: QueueHistory, vo: VersionOrders, drain: DrainEnds, lost: Uint8Array, findings: QueueFindings): number {
  let beyondDrain = 0;
  for (let vid = 0; vid < h.valueCount; vid++) {
    const writer = h.vWriter[vid] as number;
    if (writer < 0 || h.opType[writer] !== T_OK || (vo.okReader[vid] as number) >= 0 || lost[vid] === 1) continue;
    const pid = h.vPid[vid] as number;
    const offset = vo.vOffset[vid] as number;
    const end = drain.endByPid.get(pid);
    if (drain.complete && (end === undefined || offset < 0 || offset >= end)) {
      beyondDrain++;
      continue;
    }
    if (findings.note('unseen')) {
      findings.list({ anomaly: 'unseen', detail: `value ${h.vValue[vid]} sent to ${findings.partitionText(pid)}${offset >= 0 ? ` offset ${offset}` : ''} by op ${writer} (ok) was never read`, partition: findings.partitionRef(pid), values: [h.vValue[vid] as number], offsets: offset >= 0 ? [offset] : [], ops: findings.opRefs(writer) });
    }
  }
  return beyondDrain;
}

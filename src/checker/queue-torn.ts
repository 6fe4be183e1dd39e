import { F_TXN, R_SEND, T_INFO, T_OK, type QueueHistory } from './queue-history.js';
import type { QueueFindings } from './queue-findings.js';
import type { DrainEnds } from './queue-reads.js';
import type { VersionOrders } from './queue-version-order.js';

/** Values (and readers) named in a G1b case. */
const MAX_LISTED = 20;

/**
 * G1b (intermediate read, a torn transaction): an `ok` or `info` txn (not a zombie: see queue-zombie.ts) that
 * sent a value some `ok` op other than itself read (the final drain's polls included), and another value that
 * no `ok` op read and that is definitely absent from the final drain (see `absentFromDrain`). One case per txn.
 * An `ok` txn's missing value is also `unseen` or `lost-write`; a `fail` txn's visible value is G1a.
 */
export function findTornTransactions(h: QueueHistory, vo: VersionOrders, drain: DrainEnds, zombie: Uint8Array, findings: QueueFindings): void {
  if (drain.byPid.size === 0) return;
  for (let op = 0; op < h.opCount; op++) {
    const type = h.opType[op];
    if (h.opF[op] !== F_TXN || (type !== T_OK && type !== T_INFO) || zombie[op] !== 0) continue;
    let seen = 0;
    let absent = 0;
    for (let r = h.opRowStart[op] as number; r < (h.opRowStart[op + 1] as number) && (seen === 0 || absent === 0); r++) {
      if (h.rowKind[r] !== R_SEND) continue;
      const reader = vo.okReader[h.rowVid[r] as number] as number;
      if (reader >= 0 && reader !== op) seen++;
      else if (reader < 0 && absentFromDrain(h, vo, drain, op, r)) absent++;
    }
    if (seen > 0 && absent > 0 && findings.note('G1b')) report(h, vo, drain, op, findings);
  }
}

/**
 * A sent value no `ok` op read is definitely absent when the last drain reached the end of its partition
 * and: its offset (acknowledged, or seen by any poll) lies in [the drain's start offset, its end offset); or,
 * with no offset known, the drain read the partition from offset 0 and the txn completed before the drain's
 * first op was invoked (a committed transaction's records are all written before its commit is asked for,
 * so before the txn completed: below the end offsets the drain took). Without drain ops, never.
 */
function absentFromDrain(h: QueueHistory, vo: VersionOrders, drain: DrainEnds, op: number, r: number): boolean {
  const part = drain.byPid.get(h.rowPid[r] as number);
  if (part?.reachedEnd !== true) return false;
  const offset = (h.rowOffset[r] as number) >= 0 ? (h.rowOffset[r] as number) : (vo.vOffset[h.rowVid[r] as number] as number);
  if (offset >= 0) return offset >= part.startOffset && offset < part.endOffset;
  return part.startOffset === 0 && (h.opCompleteMs[op] as number) < drain.startMs;
}

function report(h: QueueHistory, vo: VersionOrders, drain: DrainEnds, op: number, findings: QueueFindings): void {
  const seen: number[] = [];
  const readers: number[] = [];
  const missing: number[] = [];
  const missingOffsets: number[] = [];
  let missingPid = -1;
  for (let r = h.opRowStart[op] as number; r < (h.opRowStart[op + 1] as number); r++) {
    if (h.rowKind[r] !== R_SEND) continue;
    const vid = h.rowVid[r] as number;
    const reader = vo.okReader[vid] as number;
    if (reader >= 0 && reader !== op) {
      if (seen.length < MAX_LISTED) seen.push(h.vValue[vid] as number);
      if (readers.length < MAX_LISTED && !readers.includes(reader)) readers.push(reader);
    } else if (reader < 0 && absentFromDrain(h, vo, drain, op, r) && missing.length < MAX_LISTED) {
      missing.push(h.vValue[vid] as number);
      if ((vo.vOffset[vid] as number) >= 0 || (h.rowOffset[r] as number) >= 0) missingOffsets.push(Math.max(h.rowOffset[r] as number, vo.vOffset[vid] as number));
      if (missingPid < 0) missingPid = h.rowPid[r] as number;
    }
  }
  const type = h.opType[op] === T_OK ? 'ok' : 'info';
  findings.list({
    anomaly: 'G1b',
    detail: `txn op ${op} (${type}) is torn: value${seen.length > 1 ? 's' : ''} ${seen.join(', ')} read by op${readers.length > 1 ? 's' : ''} ${readers.join(', ')}, but value${missing.length > 1 ? 's' : ''} ${missing.join(', ')} never read, and absent from the final drain, which read ${findings.partitionText(missingPid)} to its end offset`,
    partition: findings.partitionRef(missingPid),
    values: [...seen, ...missing],
    offsets: missingOffsets,
    ops: findings.opRefs(op, ...readers),
  });
}

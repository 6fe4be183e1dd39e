import { IntKeyMap, lowerBound } from './queue-int-map.js';
import { F_POLL_OP, F_TXN, R_POLL, R_SEND, T_INFO, T_OK, type QueueHistory } from './queue-history.js';
import type { QueueFindings } from './queue-findings.js';

/**
 * The version order of each partition, from offsets: every polled record (whatever the poll's outcome)
 * and every acknowledged send of an op that must have committed (`ok`, or `info` with a value some `ok`
 * poll read). The index of a value is its rank among the partition's known offsets (offsets of
 * transaction markers and never-seen records leave no hole). Finds `inconsistent-offsets` (one offset,
 * several values) and `duplicate` (one value at several offsets).
 */
export interface VersionOrders {
  /** Per pid: the known offsets ascending, and the value at each (the first one seen, on a conflict). */
  offsets: Float64Array[];
  vids: Int32Array[];
  /** Per vid: its index in its partition's order (at its lowest offset; a value displaced by another at its offset: that offset's index), -1 when at no known offset. */
  vIndex: Int32Array;
  /** Per vid: the first ok poll or ok txn that read it, -1 when none did. */
  okReader: Int32Array;
  /** Per vid: the first offset it was seen at, -1 when none. */
  vOffset: Float64Array;
  /** Per op: 1 when it must have committed (ok, or info with a sent value read by an ok op). */
  committed: Uint8Array;
}

export function buildVersionOrders(h: QueueHistory, findings: QueueFindings): VersionOrders {
  const okReader = new Int32Array(h.valueCount).fill(-1);
  for (let op = h.opCount - 1; op >= 0; op--) {
    if (h.opType[op] !== T_OK || (h.opF[op] !== F_POLL_OP && h.opF[op] !== F_TXN)) continue;
    for (let r = h.opRowStart[op] as number; r < (h.opRowStart[op + 1] as number); r++) if (h.rowKind[r] === R_POLL) okReader[h.rowVid[r] as number] = op;
  }
  const committed = committedOps(h, okReader);
  const logs = h.partitionNames.map(() => new IntKeyMap());
  const firstOffset = new Float64Array(h.valueCount).fill(-1);
  const conflicts = new Map<string, Set<number>>();
  const duplicates = new Map<number, Set<number>>();
  for (let op = 0; op < h.opCount; op++) {
    const sendsCount = committed[op] === 1;
    for (let r = h.opRowStart[op] as number; r < (h.opRowStart[op + 1] as number); r++) {
      const kind = h.rowKind[r];
      const offset = h.rowOffset[r] as number;
      if (offset < 0 || (kind !== R_POLL && !(kind === R_SEND && sendsCount))) continue;
      const pid = h.rowPid[r] as number;
      const vid = h.rowVid[r] as number;
      const log = logs[pid] as IntKeyMap;
      const there = log.get(offset);
      if (there < 0) log.set(offset, vid);
      else if (there !== vid) addTo(conflicts, `${pid}:${offset}`, there, vid);
      const first = firstOffset[vid] as number;
      if (first < 0) firstOffset[vid] = offset;
      else if (first !== offset) addTo(duplicates, vid, first, offset);
    }
  }
  const orders = orderLogs(h, logs);
  placeDisplaced(h, orders, firstOffset);
  reportConflicts(h, findings, conflicts);
  reportDuplicates(h, findings, duplicates);
  return { ...orders, okReader, committed, vOffset: firstOffset };
}

function committedOps(h: QueueHistory, okReader: Int32Array): Uint8Array {
  const committed = new Uint8Array(h.opCount);
  for (let op = 0; op < h.opCount; op++) {
    const type = h.opType[op];
    if (type === T_OK) committed[op] = 1;
    else if (type === T_INFO) {
      for (let r = h.opRowStart[op] as number; r < (h.opRowStart[op + 1] as number); r++) {
        if (h.rowKind[r] === R_SEND && (okReader[h.rowVid[r] as number] as number) >= 0) committed[op] = 1;
      }
    }
  }
  return committed;
}

function orderLogs(h: QueueHistory, logs: IntKeyMap[]): Pick<VersionOrders, 'offsets' | 'vids' | 'vIndex'> {
  const vIndex = new Int32Array(h.valueCount).fill(-1);
  const offsets: Float64Array[] = [];
  const vids: Int32Array[] = [];
  for (const log of logs) {
    const keys = log.sortedKeys();
    const order = new Int32Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const vid = log.get(keys[i] as number);
      order[i] = vid;
      if (vIndex[vid] === -1) vIndex[vid] = i;
    }
    offsets.push(keys);
    vids.push(order);
  }
  return { offsets, vids, vIndex };
}

/**
 * A value seen at an offset that holds another value (inconsistent-offsets: the first one seen keeps the
 * offset's place in the order) still takes that place: a read of it is a read at that offset, so a consumer
 * or producer that went through the offset in order shows no skip over the other value.
 */
function placeDisplaced(h: QueueHistory, orders: Pick<VersionOrders, 'offsets' | 'vIndex'>, firstOffset: Float64Array): void {
  for (let vid = 0; vid < h.valueCount; vid++) {
    const offset = firstOffset[vid] as number;
    if (orders.vIndex[vid] === -1 && offset >= 0) orders.vIndex[vid] = lowerBound(orders.offsets[h.vPid[vid] as number] as Float64Array, offset);
  }
}

function addTo<K>(map: Map<K, Set<number>>, key: K, a: number, b: number): void {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set([a])));
  set.add(b);
}

function reportConflicts(h: QueueHistory, findings: QueueFindings, conflicts: Map<string, Set<number>>): void {
  for (const [key, set] of conflicts) {
    if (!findings.note('inconsistent-offsets')) continue;
    const [pid, offset] = key.split(':').map(Number) as [number, number];
    const vids = [...set];
    const values = vids.map((v) => h.vValue[v] as number);
    findings.list({
      anomaly: 'inconsistent-offsets',
      detail: `${findings.partitionText(pid)} offset ${offset} holds values ${values.join(', ')}`,
      partition: findings.partitionRef(pid),
      offsets: [offset],
      values,
      ops: findings.opRefs(...vids.map((v) => h.vWriter[v] as number)),
    });
  }
}

function reportDuplicates(h: QueueHistory, findings: QueueFindings, duplicates: Map<number, Set<number>>): void {
  for (const [vid, set] of duplicates) {
    if (!findings.note('duplicate')) continue;
    const pid = h.vPid[vid] as number;
    const offsets = [...set].sort((a, b) => a - b);
    findings.list({
      anomaly: 'duplicate',
      detail: `value ${h.vValue[vid]} is at offsets ${offsets.join(', ')} of ${findings.partitionText(pid)}`,
      partition: findings.partitionRef(pid),
      values: [h.vValue[vid] as number],
      offsets,
      ops: findings.opRefs(h.vWriter[vid] as number),
    });
  }
}

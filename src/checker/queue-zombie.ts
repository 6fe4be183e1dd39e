import { F_TXN, T_INFO, T_OK, TXN_BEFORE_COMMIT, TXN_FENCED, type QueueHistory } from './queue-history.js';
import type { QueueFindings } from './queue-findings.js';
import type { VersionOrders } from './queue-version-order.js';

/** Why a txn is a zombie (per op; 0: it is not). */
const NOT_ZOMBIE = 0;
const FENCED_BEFORE_COMMIT = 1;
const SUPERSEDED_BEFORE_COMMIT = 2;
const BEGUN_AFTER_NEWER = 3;

/**
 * zombie-write: a successful read (any `ok` poll or txn, the final drain's included) returned a value sent by
 * a transaction whose producer the history shows fenced, and which therefore cannot have committed:
 * 1. the txn ended `info` at a step before its commit was asked for (`failedStep`), with a fencing error;
 * 2. the same, without a fencing error, but a newer incarnation of its transactional id ran later (its
 *    initTransactions fenced the old epoch and aborted the open transaction);
 * 3. an `ok` or `info` txn invoked after an op of a newer incarnation of its transactional id had been
 *    invoked (that incarnation had finished initTransactions, so every request of the older epoch is fenced).
 * A fenced txn that ended `fail` is G1a, not this. A fencing error at `commitTransaction` proves nothing:
 * a retried EndTxn whose first attempt committed is answered PRODUCER_FENCED once a newer producer bumped the
 * epoch. Returns per op a non-zero number for a zombie txn, so G1b leaves them out. Linear, plus a map per transactional id.
 */
export function findZombieWrites(h: QueueHistory, vo: VersionOrders, findings: QueueFindings): Uint8Array {
  const reason = zombieTxns(h);
  for (let vid = 0; vid < h.valueCount; vid++) {
    const writer = h.vWriter[vid] as number;
    const reader = vo.okReader[vid] as number;
    if (writer < 0 || reason[writer] === NOT_ZOMBIE || reader < 0 || reader === writer || !findings.note('zombie-write')) continue;
    const pid = h.vPid[vid] as number;
    const offset = vo.vOffset[vid] as number;
    findings.list({
      anomaly: 'zombie-write',
      detail: `value ${h.vValue[vid]} at ${findings.partitionText(pid)}${offset >= 0 ? ` offset ${offset}` : ''}, sent by op ${writer} (${producerText(h, writer)}), was read by op ${reader}, though ${reasonText(h, writer, reason[writer] as number)}`,
      partition: findings.partitionRef(pid),
      values: [h.vValue[vid] as number],
      offsets: offset >= 0 ? [offset] : [],
      ops: findings.opRefs(writer, reader),
    });
  }
  return reason;
}

function zombieTxns(h: QueueHistory): Uint8Array {
  const reason = new Uint8Array(h.opCount);
  const newerInvokeMs = newerIncarnationInvokes(h);
  for (let op = 0; op < h.opCount; op++) {
    if (h.opF[op] !== F_TXN) continue;
    const type = h.opType[op];
    const flags = h.opTxnFlags[op] as number;
    const tid = h.opTid[op] as number;
    const newer = tid >= 0 ? newerInvokeMs[tid]?.get(h.opIncarnation[op] as number) : undefined;
    if (type === T_INFO && (flags & TXN_BEFORE_COMMIT) !== 0 && (flags & TXN_FENCED) !== 0) reason[op] = FENCED_BEFORE_COMMIT;
    else if ((type === T_OK || type === T_INFO) && newer !== undefined && newer.first < (h.opInvokeMs[op] as number)) reason[op] = BEGUN_AFTER_NEWER;
    else if (type === T_INFO && (flags & TXN_BEFORE_COMMIT) !== 0 && newer !== undefined) reason[op] = SUPERSEDED_BEFORE_COMMIT;
  }
  return reason;
}

/** Per transactional id, per incarnation recorded: the first invoke of any op of a newer incarnation (absent for the newest). */
function newerIncarnationInvokes(h: QueueHistory): Map<number, { first: number }>[] {
  const firstByTid: Map<number, number>[] = h.transactionalIds.map(() => new Map<number, number>());
  for (let op = 0; op < h.opCount; op++) {
    const tid = h.opTid[op] as number;
    const inc = h.opIncarnation[op] as number;
    if (tid < 0 || inc < 1) continue;
    const first = firstByTid[tid] as Map<number, number>;
    const t = h.opInvokeMs[op] as number;
    if (t < (first.get(inc) ?? Infinity)) first.set(inc, t);
  }
  return firstByTid.map((first) => {
    const out = new Map<number, { first: number }>();
    let newest = Infinity;
    for (const inc of [...first.keys()].sort((a, b) => b - a)) {
      if (newest !== Infinity) out.set(inc, { first: newest });
      newest = Math.min(newest, first.get(inc) as number);
    }
    return out;
  });
}

function producerText(h: QueueHistory, op: number): string {
  const type = h.opType[op] === T_OK ? 'ok' : 'info';
  const tid = h.opTid[op] as number;
  return tid < 0 ? `txn ${type}` : `txn ${type} of transactional id ${h.transactionalIds[tid]}, incarnation ${h.opIncarnation[op]}`;
}

function reasonText(h: QueueHistory, op: number, reason: number): string {
  if (reason === FENCED_BEFORE_COMMIT) return 'it ended with a producer-fenced error before asking to commit';
  if (reason === SUPERSEDED_BEFORE_COMMIT) return 'it ended before asking to commit and a newer producer with its transactional id (which fences it) ran later';
  return `it began after an op of a newer incarnation of its transactional id (incarnation > ${h.opIncarnation[op]}) had begun: its producer was already fenced`;
}

import type { QueueFindings } from './queue-findings.js';
import type { QueueHistory } from './queue-history.js';

/**
 * hanging-transaction: the last drain read with read_committed, stopped short of a partition's end offset,
 * and recorded a last stable offset below that end when it gave up. (A read_uncommitted drain passes open
 * transactions, so it is no evidence either way; a drain that reached the end saw them all ended.) The op
 * listed is the drain's last one (the open transaction's writes may not be in the history at all).
 */
export function findHangingTransactions(h: QueueHistory, findings: QueueFindings): void {
  const drain = h.readBacks[h.readBacks.length - 1];
  if (drain?.isolation !== 'read_committed') return;
  const drainer = h.processNames.indexOf(drain.process);
  let lastDrainOp = -1;
  for (let op = h.opCount - 1; op >= 0 && drainer >= 0; op--) {
    if (h.opProcess[op] === drainer) {
      lastDrainOp = op;
      break;
    }
  }
  for (const p of drain.partitions) {
    if (p.reachedEnd || p.lastStableOffset === undefined || p.lastStableOffset >= p.endOffset) continue;
    if (!findings.note('hanging-transaction')) continue;
    const pid = h.plainPartitionId(p.partition);
    findings.list({
      anomaly: 'hanging-transaction',
      detail: `partition ${p.partition}: the drain stopped at its deadline with the last stable offset at ${p.lastStableOffset}, below the high watermark ${p.endOffset} it had to reach`,
      partition: pid >= 0 ? findings.partitionRef(pid) : { partition: p.partition },
      offsets: [p.lastStableOffset, p.endOffset],
      ops: findings.opRefs(lastDrainOp),
    });
  }
}

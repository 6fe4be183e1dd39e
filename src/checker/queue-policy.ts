import type { MetaRecord } from '../history/operation.js';
import { QUEUE_ANOMALY_NAMES, type QueueAnomalyName, type QueuePolicyInput, type QueueSeverity } from './queue-verdict.js';

/**
 * Which anomalies fail a queue run, by workload option (docs/checker.md, "queue policy"):
 * - always informational: int-send-skip (other producers' writes may interleave a txn's sends),
 *   committed-beyond-position (a position past a transaction marker is past the last record polled);
 * - poll-skip and nonmonotonic-poll: informational under subscribe (a rebalance moves partitions between
 *   consumers, and the new owner starts from the group's committed offset), failures under assign;
 * - G1a, G1b, zombie-write and precommitted-read: failures under read_committed, informational under
 *   read_uncommitted (which is allowed to see records of open and aborted transactions, a fenced producer's
 *   included; an `ok` txn torn under read_uncommitted still fails the run through its unseen or lost value);
 * - duplicate: informational with allowDuplicates (at-least-once producers), else a failure;
 * - unseen: a failure only below the end offsets of a complete final drain; without one it is listed
 *   and makes the verdict unknown;
 * - G0 and its process and realtime variants: informational: Kafka's transaction protocol does not isolate
 *   the writes of concurrent transactions from each other, so two transactions' writes may be ordered one way
 *   in one partition and the other way in another (Jepsen, Redpanda 21.10.1, on write isolation in Kafka's
 *   transaction model; Redpanda's reply on write-write conflicts in the Kafka protocol);
 * - everything else is always a failure.
 */
/** Cycles with a wr edge: failures unless every one found also needs a ww edge (see cycleSeverity). */
const INFORMATION_CYCLES: readonly QueueAnomalyName[] = ['G1c', 'G1c-process', 'G1c-realtime'];

/**
 * A G1c cycle is a failure when some cycle found has no ww edge (information flowed in a circle through reads,
 * process and real-time order alone); when every one also needs a ww edge, it rests on the write order Kafka
 * does not isolate (like G0) and is informational. Other anomalies keep the policy's severity.
 */
export function cycleSeverity(name: QueueAnomalyName, base: QueueSeverity, cases: readonly { readonly edges?: readonly { readonly type: string }[] }[]): QueueSeverity {
  if (base !== 'failure' || !INFORMATION_CYCLES.includes(name)) return base;
  return cases.some((c) => (c.edges ?? []).every((e) => e.type !== 'ww')) ? 'failure' : 'informational';
}

/** Write cycles: allowed by Kafka's transaction model (see above). */
const WRITE_CYCLES: readonly QueueAnomalyName[] = ['G0', 'G0-process', 'G0-realtime'];

export function queueSeverities(input: QueuePolicyInput, drainComplete: boolean): Record<QueueAnomalyName, QueueSeverity> {
  const out = {} as Record<QueueAnomalyName, QueueSeverity>;
  for (const name of QUEUE_ANOMALY_NAMES) out[name] = 'failure';
  out['int-send-skip'] = 'informational';
  out['committed-beyond-position'] = 'informational';
  for (const name of WRITE_CYCLES) out[name] = 'informational';
  if (input.subscribe) {
    out['poll-skip'] = 'informational';
    out['nonmonotonic-poll'] = 'informational';
  }
  if (input.isolation === 'read_uncommitted') {
    out.G1a = 'informational';
    out.G1b = 'informational';
    out['zombie-write'] = 'informational';
    out['precommitted-read'] = 'informational';
  }
  if (input.allowDuplicates) out.duplicate = 'informational';
  if (!drainComplete) out.unseen = 'informational';
  return out;
}

/** One line for the report: the options and what they make informational. */
export function policyText(input: QueuePolicyInput, severities: Record<QueueAnomalyName, QueueSeverity>): string {
  const informational = QUEUE_ANOMALY_NAMES.filter((n) => severities[n] === 'informational');
  return `${input.transactional ? 'transactional' : 'non-transactional'}, ${input.isolation}, ${input.subscribe ? 'subscribe' : 'assign'}${input.allowDuplicates ? ', duplicates allowed' : ''}: informational: ${informational.join(', ')}, and G1c cycles that need a ww edge; every other anomaly fails the run`;
}

/** The workload options: the meta line's `queue` object where it says, else what the history shows. */
export function policyInput(meta: MetaRecord | null, seen: { txn: boolean; subscribe: boolean }, allowDuplicates?: boolean): QueuePolicyInput {
  const q = meta?.['queue'];
  const o = typeof q === 'object' && q !== null ? (q as Record<string, unknown>) : {};
  return {
    transactional: typeof o['transactional'] === 'boolean' ? o['transactional'] : seen.txn,
    isolation: o['isolation'] === 'read_uncommitted' ? 'read_uncommitted' : 'read_committed',
    subscribe: typeof o['subscribe'] === 'boolean' ? o['subscribe'] : seen.subscribe,
    allowDuplicates: allowDuplicates ?? o['allowDuplicates'] === true,
  };
}

/** One paragraph per anomaly: what it is and why it matters. */
export const QUEUE_EXPLANATIONS: Record<QueueAnomalyName, string> = {
  'inconsistent-offsets': 'Two different values were seen at the same offset of a partition (by polls, or by a poll and an acknowledged send). A partition is a log: each offset holds one record, so two clients disagree about what the log contains, which happens when a log is truncated and rewritten (an unclean leader election, a lost acknowledged write replaced by another).',
  duplicate: 'One value appears at more than one offset of its partition: the message was written twice. With an idempotent or transactional producer this must not happen; a plain producer that retries can cause it (at-least-once).',
  'lost-write': 'A value of a committed write sits below the highest offset some successful read reached in its partition, yet no successful read ever returned it. Readers moved past it, so it is gone from what consumers see: the log lost an acknowledged write, or consumers skip it.',
  'hanging-transaction': 'After every client had stopped, the final read_committed drain could not reach the end of a partition because its last stable offset stayed below the high watermark: a transaction begun before the drain was still open when the drain gave up (after the transaction timeout). Read-committed consumers of that partition are blocked until the coordinator ends it.',
  unseen: 'A value acknowledged to its producer was never read. It is a failure when the final drain reached the end offsets of its partition and the value lies below them; otherwise the history cannot tell unseen from not yet read, and the verdict is unknown.',
  G1a: 'Aborted read: a successful read returned a value whose write failed (a send that failed, or a transaction that aborted). Under read_committed, records of aborted transactions must stay invisible.',
  G1b: 'Intermediate read (a torn transaction): a transaction that committed, or whose outcome is unknown, had some of its writes read by successful polls while another of its writes is absent from a final drain that read its partition to the end offsets. A transaction\'s writes become visible all together or not at all; here a reader saw part of one. For a committed transaction the missing value is also reported as unseen or lost-write; G1b names the broken atomicity and the reads that saw the visible part.',
  'zombie-write': 'A fenced producer\'s write became visible: a successful read returned a value of a transaction whose producer the history shows fenced before it could commit (it ended with a producer-fenced error before asking to commit; or it ended before asking to commit and a newer producer with the same transactional id started later; or it began after a newer incarnation of its transactional id had started). Fencing exists so that such a zombie\'s transaction is aborted and its writes stay invisible to read_committed consumers.',
  'precommitted-read': 'A transaction read a value it had sent itself, before committing. Kafka consumers must not see uncommitted records (read_committed), so a transaction can never read its own writes.',
  'poll-skip': 'Two successive successful polls of a partition by one consumer, with no reassignment between them, skipped over values that exist in the log (and were not written by aborted transactions): the consumer position jumped forward and those records were never delivered to it.',
  'nonmonotonic-poll': 'A successful poll of a partition by one consumer started at or before where its previous successful poll of that partition ended, with no reassignment between them: the consumer went backwards and saw records again.',
  'int-poll-skip': 'Within one operation, two successive records polled from a partition are not adjacent in the log: records between them were skipped inside a single poll or transaction.',
  'int-nonmonotonic-poll': 'Within one operation, a record polled from a partition is at or before the previous one polled from it: the poll went backwards or repeated a record.',
  'int-send-skip': 'Within one operation, two successive sends to a partition did not land at adjacent places in the log: another producer wrote between them. Informational: Kafka does not promise contiguity.',
  'int-nonmonotonic-send': 'Within one operation, a send to a partition landed at or before the previous send to it: the producer\'s writes were reordered.',
  'nonmonotonic-send': 'A process\'s send to a partition landed at or before its previous operation\'s send to that partition: one producer\'s writes are out of order in the log.',
  'abort-rewind': 'After a transaction that polled a partition aborted, the consumer\'s next poll of that partition did not go back to the first offset after its last committed read: it continued past the aborted reads, so those records are never processed by a committed transaction (the behaviour reported in KAFKA-17582).',
  'committed-too-far': 'An offset committed for a partition (commitSync, or sendOffsetsToTransaction in a committed transaction) is beyond the process\'s position, over records it never polled: a consumer restarting from that commit skips them.',
  'committed-beyond-position': 'An offset committed for a partition is beyond the process\'s position (last offset polled + 1), but no known record lies between them (a transaction marker can). Informational.',
  'offset-regression': 'A send acknowledged with an offset lower than the offset of a send to the same partition that had been acknowledged before it was invoked: the log went backwards in real time (truncation).',
  G0: 'Write cycle: transactions whose writes are ordered one way in one partition and the other way in another (ww edges only). Serializable transactions would appear to take effect in one order; Kafka\'s do not promise that for writes (concurrent transactions append to each partition as their records arrive), so this is informational for Kafka.',
  G1c: 'Circular information flow: a cycle of write-write and write-read dependencies (a transaction read another\'s write, which in turn comes after one of its own writes in some partition).',
  'G0-process': 'A write cycle once the order of each process\'s own operations is added: a process\'s later operation wrote before its earlier one in some partition.',
  'G1c-process': 'A cycle of write-write, write-read and process-order edges: a process saw the effects of operations in an order contradicting its own.',
  'G0-realtime': 'A write cycle once real-time order is added: an operation that began after another had completed wrote before it in some partition.',
  'G1c-realtime': 'A cycle of write-write, write-read and real-time edges: the history contradicts the order in which operations actually happened.',
};

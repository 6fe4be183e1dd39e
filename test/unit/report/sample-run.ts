import { Run } from '../../../src/history/run.js';
import type { JournalRecord } from '../../../src/history/operation.js';

/** Sends every SEND_EVERY_MS for RUN_MS; the fault kills partition 0's leader from FAULT_START_MS to FAULT_HEAL_MS. */
const RUN_MS = 30_000;
const SEND_EVERY_MS = 50;
export const FAULT_START_MS = 10_000;
export const FAULT_HEAL_MS = 15_000;
/** Sends invoked in [FAULT_START_MS, FAIL_UNTIL_MS) time out (info) after TIMEOUT_MS. */
const FAIL_UNTIL_MS = 12_000;
const TIMEOUT_MS = 800;
const LATENCY_MS = 5;

export interface SampleRunOptions {
  /** A value that must stay text in every report (e.g. `<script>`). */
  hostileValue?: string;
  /** Values acknowledged but left out of the read-back: lost. */
  lose?: number;
  /** A consumer group (c0, c1) receives every acknowledged value instead of the 20 stray consume ops (see consumerGroupRecords). */
  consumerGroup?: boolean;
}

interface Acked {
  value: string;
  partition: number;
  offset: number;
  ackMs: number;
}

/** Partition 0's values acknowledged in [LAG_FROM_MS, LAG_UNTIL_MS) wait and are received in one burst from LAG_UNTIL_MS. */
const LAG_FROM_MS = 12_000;
const LAG_UNTIL_MS = 17_000;
/** Every other value is received this long after its acknowledgement. */
const CONSUME_DELAY_MS = 150;
const BURST_EVERY_MS = 5;

/** Who holds partition `p` at `t` (the rebalances below): c0/c1, one each, except c1 alone in [11.2 s, 20 s). */
const holder = (p: number, t: number): string => (t >= 11_200 && t < 20_000 ? 'c1' : `c${p}`);

const rebalance = (timeMs: number, member: string, assigned: number[], revoked: number[]): JournalRecord => ({ kind: 'event', timeMs, event: 'rebalance', detail: { member, group: 'g1', topic: 't1', assigned, revoked } });

/**
 * The consumer group of the sample: rebalances (c0 and c1 revoked at 11 s, c1 takes both at 11.2 s, both revoked
 * again at 20 s and one each from 20.1 s), every acknowledged value received once, partition 0's late, three
 * consumer-group probes and a complete drain.
 */
function consumerGroupRecords(acked: readonly Acked[], offsets: readonly number[]): JournalRecord[] {
  const records: JournalRecord[] = [
    rebalance(200, 'c0', [0], []), rebalance(200, 'c1', [1], []),
    rebalance(11_000, 'c0', [], [0]), rebalance(11_000, 'c1', [], [1]), rebalance(11_200, 'c1', [0, 1], []),
    rebalance(20_000, 'c1', [], [0, 1]), rebalance(20_100, 'c0', [0], []), rebalance(20_100, 'c1', [1], []),
  ];
  let burst = LAG_UNTIL_MS;
  for (const a of acked) {
    const late = a.partition === 0 && a.ackMs >= LAG_FROM_MS && a.ackMs < LAG_UNTIL_MS;
    let t = late ? (burst += BURST_EVERY_MS) : a.ackMs + CONSUME_DELAY_MS;
    // Nobody holds a partition between a revoke and the next assignment.
    if (t >= 20_000 && t < 20_100) t += 100;
    records.push({ kind: 'op', type: 'ok', f: 'consume', process: holder(a.partition, t), value: a.value, timeMs: t, partition: a.partition, offset: a.offset });
  }
  const probe = (timeMs: number, ok: boolean, maxLag: number): JournalRecord => ({ kind: 'probe', timeMs, name: 'group keeps up', probe: 'consumer-group', phase: 'during', ok, value: { state: 'Stable', members: 2, lag: { '0': maxLag, '1': 0 }, maxLag } });
  records.push(probe(5_000, true, 2), probe(14_000, false, 40), probe(19_000, true, 0));
  const partitions = [0, 1].map((p) => ({ partition: p, endOffset: offsets[p] ?? 0, position: offsets[p] ?? 0, reachedEnd: true }));
  records.push({ kind: 'event', timeMs: RUN_MS + 600, event: 'consumer-drained', detail: { group: 'g1', topic: 't1', complete: true, partitions } });
  return records;
}

/**
 * A hand-made history of a produce run with one fault: sends (acknowledged, and timed out during the fault),
 * the fault period, samples with a leader change and an ISR shrink and expand, consumed records (or a whole
 * consumer group), probe results (before ok, during failed, after ok) and a complete read-back.
 */
export function sampleRecords(options: SampleRunOptions = {}): JournalRecord[] {
  const records: JournalRecord[] = [];
  const acked: Acked[] = [];
  const offsets = [0, 0];
  for (let t = 0, seq = 0; t < RUN_MS; t += SEND_EVERY_MS, seq++) {
    const value = `p0-${String(seq).padStart(6, '0')}`;
    records.push({ kind: 'op', type: 'invoke', f: 'send', process: 'p0', value, timeMs: t });
    if (t >= FAULT_START_MS && t < FAIL_UNTIL_MS) {
      records.push({ kind: 'op', type: 'info', f: 'send', process: 'p0', value, timeMs: t + TIMEOUT_MS, error: { code: 'ERR__MSG_TIMED_OUT', message: 'timed out' } });
      continue;
    }
    const partition = seq % 2;
    const offset = offsets[partition] ?? 0;
    offsets[partition] = offset + 1;
    records.push({ kind: 'op', type: 'ok', f: 'send', process: 'p0', value, timeMs: t + LATENCY_MS, partition, offset });
    acked.push({ value, partition, offset, ackMs: t + LATENCY_MS });
  }
  if (options.hostileValue !== undefined) records.push({ kind: 'op', type: 'ok', f: 'read', process: 'r0', value: options.hostileValue, timeMs: RUN_MS + 500, partition: 0, offset: 99_999 });
  records.push({ kind: 'event', timeMs: FAULT_START_MS, event: 'fault-start', faultId: 'f1', fault: 'kill', target: 'leader:t1', node: 'n1' });
  records.push({ kind: 'event', timeMs: FAULT_HEAL_MS, event: 'fault-heal', faultId: 'f1', fault: 'kill', target: 'leader:t1', node: 'n1' });
  const sample = (timeMs: number, leader0: number, isr0: number[]): JournalRecord => ({ kind: 'sample', timeMs, topic: 't1', partitions: [{ partition: 0, leader: leader0, isr: isr0, highWatermark: offsets[0] ?? 0 }, { partition: 1, leader: 2, isr: [1, 2, 3], highWatermark: offsets[1] ?? 0 }] });
  records.push(sample(1000, 1, [1, 2, 3]), sample(11_000, 2, [2, 3]), sample(18_000, 2, [1, 2, 3]));
  records.push({ kind: 'probe', timeMs: 500, name: 'cluster healthy', probe: 'cluster-health', phase: 'before', ok: true, value: { brokers: 3 } });
  records.push({ kind: 'probe', timeMs: 12_500, name: 'round trip', probe: 'round-trip', phase: 'during', ok: false, detail: 'no record within 2000 ms' });
  records.push({ kind: 'probe', timeMs: 29_000, name: 'cluster healthy', probe: 'cluster-health', phase: 'after', ok: true });
  if (options.consumerGroup === true) records.push(...consumerGroupRecords(acked, offsets));
  else for (let i = 0; i < 20; i++) records.push({ kind: 'op', type: 'ok', f: 'consume', process: 'c0', value: `p0-${String(i).padStart(6, '0')}`, timeMs: 100 + i * 10, partition: 0, offset: i });
  const readStart = RUN_MS + 1000;
  records.push({ kind: 'op', type: 'invoke', f: 'read', process: 'r0', value: '', timeMs: readStart });
  const kept = acked.slice(0, acked.length - (options.lose ?? 0));
  kept.forEach((a, i) => records.push({ kind: 'op', type: 'ok', f: 'read', process: 'r0', value: a.value, timeMs: readStart + 1 + i / 100, partition: a.partition, offset: a.offset }));
  records.push({ kind: 'read-back', timeMs: readStart + 1000, process: 'r0', topic: 't1', partitions: [0, 1].map((p) => ({ partition: p, startOffset: 0, endOffset: offsets[p] ?? 0, read: kept.filter((a) => a.partition === p).length, reachedEnd: true })) });
  return records.sort((a, b) => a.timeMs - b.timeMs);
}

/** Writes the sample history as a run directory under `root`; returns its path. */
export async function writeSampleRun(root: string, options: SampleRunOptions = {}): Promise<string> {
  const group = options.consumerGroup === true ? { consumerGroup: true, group: 'g1' } : {};
  const run = Run.create(root, { run: 'sample', topic: 't1', acks: 'all', seed: 7, title: 'Leader kill under load (hand-made history)', startedAt: '2025-01-01T00:00:00.000Z', ...group }, { markActive: false });
  for (const r of sampleRecords(options)) run.append(r);
  await run.close();
  return run.path;
}

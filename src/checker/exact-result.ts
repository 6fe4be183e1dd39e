import { countText } from './checker.js';
import type { ReadBackEvidence } from './read-back-evidence.js';
import { OUTCOME_FAIL, OUTCOME_INFO, OUTCOME_OK, READ_MANY, READ_NONE, type ValueStore } from './value-store.js';
import type { Anomalies, CheckCounts, PartitionCounts, ReorderedValue, VerdictKind } from './verdict.js';

/**
 * The exact checker's result, computed from its state in steps: per-value tally, order check, per-partition
 * numbers, verdict and evidence. Each step is a function of plain inputs (see docs/checker.md).
 */

export interface AckedTally {
  all: number;
  withOffset: number;
}

/** The per-value counts and anomalies, and the acknowledged counts per partition. */
export interface ValueTally {
  counts: Pick<CheckCounts, 'sent' | 'acknowledged' | 'acknowledgedWithOffset' | 'acknowledgedWithoutOffset' | 'failed' | 'unknown' | 'readBackValues'>;
  anomalies: Anomalies;
  acked: Map<number, AckedTally>;
  ackedWithoutPartition: number;
}

/** One pass over every value: counts and all anomalies except `reordered`. */
export function tallyValues(s: ValueStore): ValueTally {
  const t: ValueTally = {
    counts: { sent: 0, acknowledged: 0, acknowledgedWithOffset: 0, acknowledgedWithoutOffset: 0, failed: 0, unknown: 0, readBackValues: 0 },
    anomalies: { lost: [], lostUnconfirmed: [], duplicate: [], unexpected: [], reordered: [], recovered: [] },
    acked: new Map(),
    ackedWithoutPartition: 0,
  };
  for (let slot = 0; slot < s.size; slot++) {
    const readState = s.readState[slot] as number;
    if (readState !== READ_NONE) t.counts.readBackValues++;
    if (s.sent[slot] === 1) tallySent(s, slot, t);
    else if (readState !== READ_NONE) t.anomalies.unexpected.push({ value: s.valueOf(slot), reads: s.locations(slot) });
    if (readState === READ_MANY) t.anomalies.duplicate.push({ value: s.valueOf(slot), reads: s.locations(slot) });
  }
  return t;
}

function tallySent(s: ValueStore, slot: number, t: ValueTally): void {
  const outcome = s.outcome[slot] as number;
  t.counts.sent++;
  if (outcome === OUTCOME_OK) {
    tallyAcked(s, slot, t);
    return;
  }
  if (outcome === OUTCOME_FAIL) t.counts.failed++;
  else t.counts.unknown++;
  if (s.readState[slot] !== READ_NONE) {
    t.anomalies.recovered.push({ value: s.valueOf(slot), outcome: outcome === OUTCOME_FAIL ? 'fail' : outcome === OUTCOME_INFO ? 'info' : 'none', reads: s.locations(slot) });
  }
}

function tallyAcked(s: ValueStore, slot: number, t: ValueTally): void {
  t.counts.acknowledged++;
  const withOffset = s.ackWithOffset[slot] === 1;
  if (withOffset) t.counts.acknowledgedWithOffset++;
  else t.counts.acknowledgedWithoutOffset++;
  const p = s.ackPartition[slot] as number;
  if (p >= 0) {
    let a = t.acked.get(p);
    if (a === undefined) t.acked.set(p, (a = { all: 0, withOffset: 0 }));
    a.all++;
    if (withOffset) a.withOffset++;
  } else t.ackedWithoutPartition++;
  if (s.readState[slot] === READ_NONE) {
    const lost = { value: s.valueOf(slot), partition: p >= 0 ? p : null, offset: withOffset ? (s.ackOffset[slot] as number) : null };
    (withOffset ? t.anomalies.lost : t.anomalies.lostUnconfirmed).push(lost);
  }
}

/**
 * Walks each producer's values in send (seq) order; per partition remembers the previous acknowledged,
 * read-back value and flags a value read below it.
 */
export function findReordered(s: ValueStore): ReorderedValue[] {
  const out: ReorderedValue[] = [];
  for (const producer of s.producers) {
    const previous = new Map<number, number>();
    for (const slot of s.slotsInSeqOrder(producer)) {
      if (s.outcome[slot] !== OUTCOME_OK || s.readState[slot] === READ_NONE) continue;
      const p = s.readPartition[slot] as number;
      const offset = s.firstOffset(slot);
      const prev = previous.get(p);
      if (prev !== undefined) {
        const prevOffset = s.firstOffset(prev);
        if (offset < prevOffset) out.push({ value: s.valueOf(slot), partition: p, offset, precededBy: { value: s.valueOf(prev), offset: prevOffset } });
      }
      previous.set(p, slot);
    }
  }
  return out;
}

/** Last and highest high watermark sampled, per partition. */
export type SampledWatermarks = Map<number, { last: number; max: number }>;

/** The samples that count: of `topic`; without a topic, only if all samples are of one topic. */
export function pickSampled(byTopic: Map<string, SampledWatermarks>, topic: string | undefined): SampledWatermarks | undefined {
  if (topic !== undefined) return byTopic.get(topic);
  return byTopic.size === 1 ? [...byTopic.values()][0] : undefined;
}

/** The seed's measure per partition, for every partition acknowledged to, read from or sampled. */
export function partitionCounts(acked: Map<number, AckedTally>, readBack: Map<number, number>, sampled: SampledWatermarks | undefined): PartitionCounts[] {
  const numbers = new Set<number>([...acked.keys(), ...readBack.keys(), ...(sampled?.keys() ?? [])]);
  return [...numbers].sort((a, b) => a - b).map((partition) => {
    const a = acked.get(partition) ?? { all: 0, withOffset: 0 };
    const hwEntry = sampled?.get(partition);
    const hw = hwEntry?.last ?? null;
    return {
      partition,
      acknowledged: a.all,
      acknowledgedWithOffset: a.withOffset,
      readBack: readBack.get(partition) ?? 0,
      highWatermark: hw,
      highWatermarkMax: hwEntry?.max ?? null,
      ackedAboveHighWatermark: hw === null ? null : Math.max(0, a.all - hw),
      highWatermarkAboveAcked: hw === null ? null : Math.max(0, hw - a.all),
    };
  });
}

export interface WarningInputs {
  readProblems: readonly string[];
  ackedWithoutPartition: number;
  partitions: readonly PartitionCounts[];
  samples: number;
  sampled: SampledWatermarks | undefined;
  topic: string | undefined;
}

export function exactWarnings(w: WarningInputs): string[] {
  const warnings: string[] = [...w.readProblems];
  if (w.ackedWithoutPartition > 0) warnings.push(`${w.ackedWithoutPartition} acknowledged sends carry no partition and are left out of the per-partition counts`);
  for (const p of w.partitions) {
    if (p.highWatermark !== null && p.highWatermarkMax !== null && p.highWatermarkMax > p.highWatermark) {
      warnings.push(`partition ${p.partition}: high watermark went back from ${p.highWatermarkMax} to ${p.highWatermark} (log truncated)`);
    }
  }
  if (w.samples > 0 && w.sampled === undefined) warnings.push(w.topic === undefined ? 'samples of several topics and no run topic: high watermarks not used' : `no samples of topic ${w.topic}: no high watermark`);
  return warnings;
}

/**
 * invalid: a violation (lost counts only after a complete read-back). unknown: no violation, but no
 * complete read-back to rest `valid` on. valid: no violation, and a read-back that reached the end offsets.
 */
export function decideVerdict(a: Anomalies, acknowledged: number, readBack: ReadBackEvidence, allowDuplicates: boolean): { verdict: VerdictKind; reasons: string[] } {
  const reasons: string[] = [];
  const fail = (n: number, what: string): void => {
    if (n > 0) reasons.push(`${n} ${what}`);
  };
  // Without a complete read-back, missing values may be unread rather than lost.
  if (readBack.complete) fail(a.lost.length, 'acknowledged values lost (never read back)');
  if (!allowDuplicates) fail(a.duplicate.length, 'values duplicated (at more than one offset)');
  fail(a.unexpected.length, 'values read that were never sent');
  fail(a.reordered.length, 'acknowledged values out of send order within a partition');
  if (reasons.length > 0) return { verdict: 'invalid', reasons };
  const why = readBack.incompleteWhy();
  if (why === null) return { verdict: 'valid', reasons };
  if (!readBack.any) {
    reasons.push(acknowledged > 0 ? `${why}: lost, duplicate and reordered values cannot be checked` : 'no evidence: nothing acknowledged and nothing read back');
  } else if (a.lost.length > 0) {
    reasons.push(`${why} and ${a.lost.length} acknowledged values were not read back: cannot tell whether they are lost`);
  } else {
    reasons.push(`${why}: values beyond where it stopped cannot be checked`);
  }
  return { verdict: 'unknown', reasons };
}

/** One sentence: what the verdict rests on. */
export function exactEvidence(counts: Pick<CheckCounts, 'sent' | 'acknowledged' | 'readBack'>, readBack: ReadBackEvidence): string {
  const acked = counts.acknowledged > 0 ? countText(counts.acknowledged, 'acknowledged value') : counts.sent > 0 ? `nothing acknowledged (${counts.sent.toLocaleString('en-US')} sent)` : 'nothing sent';
  if (counts.acknowledged === 0 && !readBack.any) return `no evidence: ${acked} and nothing read back`;
  return `${acked}; ${readBack.describe(counts.readBack)}`;
}

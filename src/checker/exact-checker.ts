import type { EventRecord, JournalRecord, MetaRecord, OpRecord, SampleRecord } from '../history/operation.js';
import { F_SEND, TYPE_FAIL, TYPE_INFO, TYPE_INVOKE, TYPE_OK, type OpLineView } from '../history/op-line-fast.js';
import {
  OUTCOME_FAIL,
  OUTCOME_INFO,
  OUTCOME_NONE,
  OUTCOME_OK,
  READ_MANY,
  READ_NONE,
  READ_ONCE,
  ValueStore,
} from './value-store.js';
import type { Anomalies, CheckCounts, ExactVerdict, LogLocation, PartitionCounts, VerdictKind } from './verdict.js';

export interface ExactCheckerOptions {
  /** At-least-once delivery: report duplicates but do not fail the verdict for them. Default false. */
  allowDuplicates?: boolean;
  /** Only samples of this topic count; default: the meta line's topic, else every sample. */
  topic?: string;
  /** Bound on fault events kept for the report. Default 10,000. */
  maxEvents?: number;
}

interface PartitionTally {
  readBack: number;
}

/** Bound on distinct topics whose samples are kept. */
const MAX_SAMPLED_TOPICS = 64;

const TYPE_CODE: Record<OpRecord['type'], number> = { invoke: TYPE_INVOKE, ok: TYPE_OK, fail: TYPE_FAIL, info: TYPE_INFO };

/**
 * The exact checker for a produce-then-read-back history: feed every journal record with `add`
 * (or `addOpView` from the reader's fast lane), then call `result()`. Order of records does not matter.
 * Time is linear in the records; memory is proportional to the number of distinct values
 * (see docs/checker.md for the exact definitions).
 */
export class ExactChecker {
  private readonly store = new ValueStore();
  private readonly options: ExactCheckerOptions;
  private readonly partitions = new Map<number, PartitionTally>();
  private readonly faults: EventRecord[] = [];
  private readonly highWatermarks = new Map<string, Map<number, { last: number; max: number }>>();
  private meta: MetaRecord | null = null;
  private records = 0;
  private readRecords = 0;
  private rereads = 0;
  private events = 0;
  private samples = 0;
  private readBackSeen = false;
  private readProblems: string[] = [];

  constructor(options: ExactCheckerOptions = {}) {
    this.options = options;
  }

  add(record: JournalRecord): void {
    this.records++;
    switch (record.kind) {
      case 'op': {
        if (record.f === 'send') {
          this.send(this.store.slotOf(record.value), TYPE_CODE[record.type], record.partition ?? -1, record.offset ?? -1);
        } else {
          this.read(record.type === 'ok' ? this.store.slotOf(record.value) : -1, TYPE_CODE[record.type], record.partition ?? -1, record.offset ?? -1, record);
        }
        return;
      }
      case 'event':
        this.events++;
        if (this.faults.length < (this.options.maxEvents ?? 10_000)) this.faults.push(record);
        return;
      case 'sample':
        this.samples++;
        this.sample(record);
        return;
      case 'meta':
        this.meta ??= record;
        return;
    }
  }

  /** Fast lane: the same as add(view.toRecord()), without making the record. */
  addOpView(view: OpLineView): void {
    this.records++;
    const isValueOp = view.fCode === F_SEND || view.typeCode === TYPE_OK;
    let slot = -1;
    if (isValueOp) {
      slot = this.store.slotOfBytes(view.buf, view.valueStart, view.valueEnd);
      if (slot < 0) slot = this.store.slotOf(view.valueString());
    }
    if (view.fCode === F_SEND) this.send(slot, view.typeCode, view.partition, view.offset);
    else this.read(slot, view.typeCode, view.partition, view.offset, view);
  }

  private send(slot: number, typeCode: number, partition: number, offset: number): void {
    const s = this.store;
    s.sent[slot] = 1;
    if (typeCode === TYPE_INVOKE) return;
    const outcome = typeCode === TYPE_OK ? OUTCOME_OK : typeCode === TYPE_FAIL ? OUTCOME_FAIL : OUTCOME_INFO;
    // Precedence ok > fail > info: an ok is a promise whatever else was said about the send.
    if (outcome < (s.outcome[slot] as number)) return;
    s.outcome[slot] = outcome;
    if (outcome === OUTCOME_OK) {
      s.ackPartition[slot] = partition;
      s.ackOffset[slot] = offset;
      s.ackWithOffset[slot] = offset >= 0 ? 1 : 0;
    }
  }

  private read(slot: number, typeCode: number, partition: number, offset: number, where: OpRecord | OpLineView): void {
    this.readBackSeen = true;
    if (typeCode !== TYPE_OK) {
      if (typeCode !== TYPE_INVOKE && this.readProblems.length < 10) {
        const process = 'processString' in where ? where.processString() : where.process;
        const err = 'processString' in where ? '' : where.error !== undefined ? `: ${where.error.message}` : '';
        this.readProblems.push(`read-back by ${process} ended in ${typeCode === TYPE_FAIL ? 'fail' : 'info'}${err}`);
      }
      return;
    }
    this.readRecords++;
    this.tally(partition).readBack++;
    const s = this.store;
    const state = s.readState[slot] as number;
    if (state === READ_NONE) {
      s.readState[slot] = READ_ONCE;
      s.readPartition[slot] = partition;
      s.readOffset[slot] = offset;
      return;
    }
    if (s.readPartition[slot] === partition && s.readOffset[slot] === offset) {
      this.rereads++;
      return;
    }
    let extra = s.extraReads.get(slot);
    if (extra === undefined) {
      extra = [];
      s.extraReads.set(slot, extra);
    }
    for (let k = 0; k < extra.length; k += 2) {
      if (extra[k] === partition && extra[k + 1] === offset) {
        this.rereads++;
        return;
      }
    }
    extra.push(partition, offset);
    s.readState[slot] = READ_MANY;
  }

  private sample(record: SampleRecord): void {
    // Kept per topic: the topic filter (from the meta line) may arrive after a sample.
    let byPartition = this.highWatermarks.get(record.topic);
    if (byPartition === undefined) {
      if (this.highWatermarks.size >= MAX_SAMPLED_TOPICS) return;
      byPartition = new Map();
      this.highWatermarks.set(record.topic, byPartition);
    }
    for (const p of record.partitions) {
      if (p.highWatermark === null || p.highWatermark === undefined) continue;
      const prev = byPartition.get(p.partition);
      byPartition.set(p.partition, { last: p.highWatermark, max: Math.max(prev?.max ?? 0, p.highWatermark) });
    }
  }

  private tally(partition: number): PartitionTally {
    let t = this.partitions.get(partition);
    if (t === undefined) {
      t = { readBack: 0 };
      this.partitions.set(partition, t);
    }
    return t;
  }

  private locations(slot: number): LogLocation[] {
    const s = this.store;
    if (s.readState[slot] === READ_NONE) return [];
    const out: LogLocation[] = [{ partition: s.readPartition[slot] as number, offset: s.readOffset[slot] as number }];
    const extra = s.extraReads.get(slot) ?? [];
    for (let k = 0; k < extra.length; k += 2) out.push({ partition: extra[k] as number, offset: extra[k + 1] as number });
    return out;
  }

  /** The lowest offset at which the slot was read in its first-read partition. */
  private firstOffset(slot: number): number {
    const s = this.store;
    let best = s.readOffset[slot] as number;
    if (s.readState[slot] === READ_MANY) {
      const extra = s.extraReads.get(slot) ?? [];
      for (let k = 0; k < extra.length; k += 2) if (extra[k] === s.readPartition[slot] && (extra[k + 1] as number) < best) best = extra[k + 1] as number;
    }
    return best;
  }

  /** The verdict. Can be called more than once; later adds are reflected. */
  result(): ExactVerdict {
    const s = this.store;
    const counts: CheckCounts = {
      records: this.records,
      sent: 0,
      acknowledged: 0,
      acknowledgedWithOffset: 0,
      acknowledgedWithoutOffset: 0,
      failed: 0,
      unknown: 0,
      readBack: this.readRecords,
      readBackValues: 0,
      rereads: this.rereads,
      events: this.events,
      samples: this.samples,
    };
    const anomalies: Anomalies = { lost: [], lostUnconfirmed: [], duplicate: [], unexpected: [], reordered: [], recovered: [] };
    const acked = new Map<number, { all: number; withOffset: number }>();
    let ackedWithoutPartition = 0;

    for (let slot = 0; slot < s.size; slot++) {
      const outcome = s.outcome[slot] as number;
      const sent = s.sent[slot] === 1;
      const readState = s.readState[slot] as number;
      if (readState !== READ_NONE) counts.readBackValues++;
      if (sent) {
        counts.sent++;
        if (outcome === OUTCOME_OK) {
          counts.acknowledged++;
          const withOffset = s.ackWithOffset[slot] === 1;
          if (withOffset) counts.acknowledgedWithOffset++;
          else counts.acknowledgedWithoutOffset++;
          const p = s.ackPartition[slot] as number;
          if (p >= 0) {
            let a = acked.get(p);
            if (a === undefined) acked.set(p, (a = { all: 0, withOffset: 0 }));
            a.all++;
            if (withOffset) a.withOffset++;
          } else ackedWithoutPartition++;
          if (readState === READ_NONE) {
            const lost = { value: s.valueOf(slot), partition: p >= 0 ? p : null, offset: withOffset ? (s.ackOffset[slot] as number) : null };
            (withOffset ? anomalies.lost : anomalies.lostUnconfirmed).push(lost);
          }
        } else if (outcome === OUTCOME_FAIL) counts.failed++;
        else counts.unknown++;
        if (outcome !== OUTCOME_OK && readState !== READ_NONE) {
          anomalies.recovered.push({ value: s.valueOf(slot), outcome: outcome === OUTCOME_FAIL ? 'fail' : outcome === OUTCOME_INFO ? 'info' : 'none', reads: this.locations(slot) });
        }
      } else if (readState !== READ_NONE) {
        anomalies.unexpected.push({ value: s.valueOf(slot), reads: this.locations(slot) });
      }
      if (readState === READ_MANY) anomalies.duplicate.push({ value: s.valueOf(slot), reads: this.locations(slot) });
    }

    // Reordered: walk each producer's values in send (seq) order; per partition remember the previous
    // acknowledged, read-back value and flag a value read below it.
    for (const producer of s.producers) {
      const previous = new Map<number, number>();
      for (const slot of s.slotsInSeqOrder(producer)) {
        if (s.outcome[slot] !== OUTCOME_OK || s.readState[slot] === READ_NONE) continue;
        const p = s.readPartition[slot] as number;
        const offset = this.firstOffset(slot);
        const prev = previous.get(p);
        if (prev !== undefined) {
          const prevOffset = this.firstOffset(prev);
          if (offset < prevOffset) {
            anomalies.reordered.push({ value: s.valueOf(slot), partition: p, offset, precededBy: { value: s.valueOf(prev), offset: prevOffset } });
          }
        }
        previous.set(p, slot);
      }
    }

    const topic = this.options.topic ?? this.meta?.topic;
    // Without a topic, samples count only if they are all of one topic.
    const sampled = topic !== undefined ? this.highWatermarks.get(topic) : this.highWatermarks.size === 1 ? [...this.highWatermarks.values()][0] : undefined;
    const partitionNumbers = new Set<number>([...acked.keys(), ...this.partitions.keys(), ...(sampled?.keys() ?? [])]);
    const partitions: PartitionCounts[] = [...partitionNumbers].sort((a, b) => a - b).map((partition) => {
      const a = acked.get(partition) ?? { all: 0, withOffset: 0 };
      const hwEntry = sampled?.get(partition);
      const hw = hwEntry?.last ?? null;
      return {
        partition,
        acknowledged: a.all,
        acknowledgedWithOffset: a.withOffset,
        readBack: this.partitions.get(partition)?.readBack ?? 0,
        highWatermark: hw,
        highWatermarkMax: hwEntry?.max ?? null,
        ackedAboveHighWatermark: hw === null ? null : Math.max(0, a.all - hw),
        highWatermarkAboveAcked: hw === null ? null : Math.max(0, hw - a.all),
      };
    });

    const warnings: string[] = [...this.readProblems];
    if (ackedWithoutPartition > 0) warnings.push(`${ackedWithoutPartition} acknowledged sends carry no partition and are left out of the per-partition counts`);
    for (const p of partitions) {
      if (p.highWatermark !== null && p.highWatermarkMax !== null && p.highWatermarkMax > p.highWatermark) {
        warnings.push(`partition ${p.partition}: high watermark went back from ${p.highWatermarkMax} to ${p.highWatermark} (log truncated)`);
      }
    }
    if (this.samples > 0 && sampled === undefined) warnings.push(topic === undefined ? 'samples of several topics and no run topic: high watermarks not used' : `no samples of topic ${topic}: no high watermark`);

    const reasons: string[] = [];
    const readBackIncomplete = this.readProblems.length > 0;
    let verdict: VerdictKind = 'valid';
    const fail = (n: number, what: string): void => {
      if (n === 0) return;
      reasons.push(`${n} ${what}`);
      verdict = 'invalid';
    };
    // Without a complete read-back, missing values may be unread rather than lost.
    if (this.readBackSeen && !readBackIncomplete) fail(anomalies.lost.length, 'acknowledged values lost (never read back)');
    if (!this.options.allowDuplicates) fail(anomalies.duplicate.length, 'values duplicated (at more than one offset)');
    fail(anomalies.unexpected.length, 'values read that were never sent');
    fail(anomalies.reordered.length, 'acknowledged values out of send order within a partition');
    if (verdict === 'valid') {
      if (!this.readBackSeen && counts.acknowledged > 0) {
        verdict = 'unknown';
        reasons.push('no read-back in the history: lost, duplicate and reordered values cannot be checked');
      } else if (readBackIncomplete && anomalies.lost.length > 0) {
        verdict = 'unknown';
        reasons.push(`read-back incomplete and ${anomalies.lost.length} acknowledged values not read back: cannot tell whether they are lost`);
      }
    }
    const meta = this.meta;
    return {
      checker: 'exact',
      verdict,
      valid: verdict === 'valid',
      reasons,
      warnings,
      run: { name: meta?.run ?? null, topic: topic ?? null, acks: meta?.acks ?? null, seed: meta?.seed ?? null },
      counts,
      partitions,
      anomalies,
      faults: [...this.faults],
    };
  }
}

import { AvailabilityChecker } from '../checker/availability.js';
import { opViewTimeMs } from '../checker/op-view-time.js';
import { scanJournal, type ReadJournalOptions } from '../history/journal-reader.js';
import { F_CONSUME, F_SEND, TYPE_FAIL, TYPE_INFO, TYPE_INVOKE, TYPE_OK, type OpLineView } from '../history/op-line-fast.js';
import { REBALANCE_EVENT, type EventRecord, type JournalRecord, type OpRecord, type ProbePhase, type ProbeRecord, type ReadBackRecord, type SampleRecord } from '../history/operation.js';
import { RecoveryChecker, type FaultRecovery } from '../experiment/runner/recovery.js';
import { ConsumerLagTracker } from './consumer-lag.js';
import { LatencyBins, type LatencySummary } from './latency-bins.js';
import { lagProbeMark, rebalanceMark, type LagProbeMark, type RebalanceMark } from './consumer-marks.js';

/**
 * The timeline of a run, from its journal in one streaming pass: per-second series (acknowledged and
 * failed writes, send latency, records consumed and read back, consumer lag) and the marks around them (fault
 * periods, leader and ISR changes, probe results, consumer-group lag probes, rebalances, read-backs, recovery
 * times after each fault). Pure: a function of the records fed, in journal order.
 */

/** Width of one bucket of the series. */
export const TIMELINE_BUCKET_MS = 1000;
/** Buckets kept (about 55 hours at 1 s); records later than that are left out of the series and counted. */
const MAX_BUCKETS = 200_000;
/** Marks of each kind kept (leader changes, ISR changes, probes, read-backs); later ones are counted only. */
const MAX_MARKS = 10_000;
/** A bucket's latency distribution is reduced to p50/p99/max once the journal is this far past it. */
const LATENCY_OPEN_BUCKETS = 120;

/** Column arrays, one entry per bucket from 0 to the run's last second (the shape uPlot draws). */
export interface TimelineSeries {
  /** Bucket start, seconds since the run started. */
  timeS: number[];
  /** Sends acknowledged (ok) per second. */
  acked: number[];
  /** Sends that failed or ended unknown (fail + info) per second. */
  failed: number[];
  /** Send latency (invoke to ok) of the sends acknowledged in the bucket; null when none was. */
  latencyP50Ms: (number | null)[];
  latencyP99Ms: (number | null)[];
  latencyMaxMs: (number | null)[];
  /** Records received by consumer group members (consume ok ops) per second. */
  consumed: number[];
  /** Records read back (read ok ops) per second. */
  readBack: number[];
  /**
   * Consumer lag from the journal: acknowledged sends not yet received by the consumer group (no consume ok of
   * the value), at the end of the bucket. null everywhere when the run had no consumer group.
   */
  lag: (number | null)[];
}

export interface FaultPeriod {
  id: string;
  kind: string;
  target: string;
  /** `<id> <kind> <target>`. */
  label: string;
  startMs: number;
  /** When it was healed; null when the journal holds no heal for it. */
  endMs: number | null;
  /** ms from the start until a write sent after it was acknowledged (availability checker); null if never. */
  recoveryMs: number | null;
}

export interface LeaderChange {
  timeMs: number;
  topic: string;
  partition: number;
  from: number | null;
  to: number | null;
}

export interface IsrChange {
  timeMs: number;
  topic: string;
  partition: number;
  from: number[];
  to: number[];
}

export interface ProbeMark {
  timeMs: number;
  name: string;
  probe: string;
  phase: ProbePhase;
  ok: boolean;
  detail: string | null;
}

export interface ReadBackMark {
  timeMs: number;
  process: string;
  topic: string;
  read: number;
  /** Every partition read up to its end offset. */
  complete: boolean;
}

export interface Timeline {
  bucketMs: number;
  /** Time of the last record, ms since the run started. */
  durationMs: number;
  series: TimelineSeries;
  faults: FaultPeriod[];
  leaderChanges: LeaderChange[];
  isrChanges: IsrChange[];
  probes: ProbeMark[];
  readBacks: ReadBackMark[];
  /** consumer-group probe results with their maxLag. */
  lagProbes: LagProbeMark[];
  /** One per rebalance callback of a consumer group member. */
  rebalances: RebalanceMark[];
  /** Recovery times of each fault (docs/experiments.md#recovery-times), measured from the journal. */
  recovery: FaultRecovery[];
  /** Which series have data: a run without sends or consumers draws no such panel; lag: the run had a consumer group. */
  has: { sends: boolean; consume: boolean; readBack: boolean; lag: boolean };
  /** Marks and records left out by the bounds (0 when nothing was). */
  leftOut: { marks: number; records: number };
}

interface Bucket {
  acked: number;
  failed: number;
  consumed: number;
  readBack: number;
  /** The journal lag after the bucket's last change; null when it did not change in the bucket. */
  lag: number | null;
  bins: LatencyBins | null;
  latency: LatencySummary | null;
}

const newBucket = (): Bucket => ({ acked: 0, failed: 0, consumed: 0, readBack: 0, lag: null, bins: null, latency: null });

export interface TimelineOptions {
  /**
   * The run had a consumer group: the journal lag is tracked (memory: one entry per value not yet consumed).
   * Default: what the meta record says (`consumerGroup: true`), as the consumer checker.
   */
  consumerGroup?: boolean;
}

/** Streaming: `add` (and the reader's `opView` fast lane) in journal order, then `result()`. */
export class TimelineBuilder {
  private lagTracker: ConsumerLagTracker | null;
  private readonly recovery = new RecoveryChecker();
  private readonly buckets = new Map<number, Bucket>();
  private readonly openLatency: number[] = [];
  private readonly inFlight = new Map<string, number>();
  private readonly availability = new AvailabilityChecker();
  private readonly faults = new Map<string, FaultPeriod>();
  private readonly lastSample = new Map<string, { leader: number | null; isr: number[] }>();
  private readonly marks = { leaderChanges: [] as LeaderChange[], isrChanges: [] as IsrChange[], probes: [] as ProbeMark[], readBacks: [] as ReadBackMark[], lagProbes: [] as LagProbeMark[], rebalances: [] as RebalanceMark[] };
  private readonly leftOut = { marks: 0, records: 0 };
  private readonly has = { sends: false, consume: false, readBack: false };
  private durationMs = 0;
  private readonly consumerGroupFromMeta: boolean;

  constructor(options: TimelineOptions = {}) {
    this.lagTracker = options.consumerGroup === true ? new ConsumerLagTracker() : null;
    this.consumerGroupFromMeta = options.consumerGroup === undefined;
  }

  add(record: JournalRecord): void {
    this.availability.add(record);
    if (record.kind !== 'op' || this.faults.size > 0) this.recovery.add(record);
    this.durationMs = Math.max(this.durationMs, record.timeMs);
    switch (record.kind) {
      case 'op':
        this.op(record);
        return;
      case 'event':
        this.event(record);
        return;
      case 'sample':
        this.sample(record);
        return;
      case 'probe':
        this.probe(record);
        return;
      case 'read-back':
        this.readBackRecord(record);
        return;
      case 'meta':
        if (this.consumerGroupFromMeta && record['consumerGroup'] === true) this.lagTracker ??= new ConsumerLagTracker();
        return;
    }
  }

  /** Fast lane: the same as add(view.toRecord()). */
  addOpView(view: OpLineView): void {
    this.availability.addOpView(view);
    // Recovery reads sends only once a fault started (before, it has nothing to measure).
    if (view.fCode === F_SEND && this.faults.size > 0) this.recovery.add(view.toRecord());
    const t = opViewTimeMs(view);
    this.durationMs = Math.max(this.durationMs, t);
    if (view.fCode === F_SEND) this.send(view.typeCode, t, view);
    else if (view.typeCode === TYPE_OK && view.fCode === F_CONSUME) this.consume(view.valueString(), t);
    else if (view.typeCode === TYPE_OK) this.countRead('readBack', t);
  }

  private op(op: OpRecord): void {
    if (op.f === 'send') this.send(TYPE_CODES[op.type], op.timeMs, op);
    else if (op.type === 'ok' && op.f === 'consume') this.consume(op.value, op.timeMs);
    else if (op.type === 'ok') this.countRead('readBack', op.timeMs);
  }

  private consume(value: string, t: number): void {
    this.countRead('consumed', t);
    if (this.lagTracker === null) return;
    this.lagTracker.consumed(value, this.inFlight.has(value));
    this.noteLag(t);
  }

  /** The bucket of `t` ends (so far) with the current lag. */
  private noteLag(t: number): void {
    const bucket = this.bucket(t);
    if (bucket !== null && this.lagTracker !== null) bucket.lag = this.lagTracker.lag;
  }

  private send(typeCode: number, t: number, source: OpRecord | OpLineView): void {
    this.has.sends = true;
    const value = 'valueString' in source ? source.valueString() : source.value;
    if (typeCode === TYPE_INVOKE) {
      this.inFlight.set(value, t);
      return;
    }
    const invokedAt = this.inFlight.get(value);
    this.inFlight.delete(value);
    if (this.lagTracker !== null) {
      this.lagTracker.sendCompleted(value, typeCode === TYPE_OK);
      this.noteLag(t);
    }
    const bucket = this.bucket(t);
    if (bucket === null) return;
    if (typeCode === TYPE_FAIL || typeCode === TYPE_INFO) bucket.failed++;
    if (typeCode !== TYPE_OK) return;
    bucket.acked++;
    if (invokedAt !== undefined) this.addLatency(bucket, Math.floor(t / TIMELINE_BUCKET_MS), t - invokedAt);
  }

  private countRead(key: 'consumed' | 'readBack', t: number): void {
    if (key === 'consumed') this.has.consume = true;
    else this.has.readBack = true;
    const bucket = this.bucket(t);
    if (bucket !== null) bucket[key]++;
  }

  private bucket(t: number): Bucket | null {
    const index = Math.max(0, Math.floor(t / TIMELINE_BUCKET_MS));
    if (index >= MAX_BUCKETS) {
      this.leftOut.records++;
      return null;
    }
    let bucket = this.buckets.get(index);
    if (bucket === undefined) this.buckets.set(index, (bucket = newBucket()));
    return bucket;
  }

  /** Latency goes into the bucket's bins while it is open; older buckets are reduced to their summary. */
  private addLatency(bucket: Bucket, index: number, latencyMs: number): void {
    if (bucket.latency !== null) {
      // Reduced already (a late completion): it can still raise the maximum.
      bucket.latency.maxMs = Math.max(bucket.latency.maxMs, latencyMs);
      return;
    }
    if (bucket.bins === null) {
      bucket.bins = new LatencyBins();
      this.openLatency.push(index);
      this.closeOldLatency(index);
    }
    bucket.bins.add(latencyMs);
  }

  private closeOldLatency(newest: number): void {
    for (let i = this.openLatency.length - 1; i >= 0; i--) {
      const index = this.openLatency[i] as number;
      if (newest - index < LATENCY_OPEN_BUCKETS) continue;
      this.openLatency.splice(i, 1);
      const bucket = this.buckets.get(index);
      if (bucket?.bins) {
        bucket.latency = bucket.bins.summary();
        bucket.bins = null;
      }
    }
  }

  private event(e: EventRecord): void {
    if (e.event === REBALANCE_EVENT) {
      const mark = rebalanceMark(e);
      if (mark !== null) this.mark('rebalances', mark);
    }
    if (e.faultId === undefined) return;
    if (e.event === 'fault-start') {
      const kind = e.fault ?? '?';
      const target = e.target ?? '';
      const label = [e.faultId, kind, target].filter((s) => s !== '').join(' ');
      this.faults.set(e.faultId, { id: e.faultId, kind, target, label, startMs: e.timeMs, endMs: null, recoveryMs: null });
    } else if (e.event === 'fault-heal') {
      const period = this.faults.get(e.faultId);
      if (period?.endMs === null) period.endMs = e.timeMs;
    }
  }

  private sample(s: SampleRecord): void {
    for (const p of s.partitions) {
      const key = `${s.topic}\u0000${p.partition}`;
      const before = this.lastSample.get(key);
      const isr = [...p.isr].sort((a, b) => a - b);
      this.lastSample.set(key, { leader: p.leader, isr });
      if (before === undefined) continue;
      if (before.leader !== p.leader) this.mark('leaderChanges', { timeMs: s.timeMs, topic: s.topic, partition: p.partition, from: before.leader, to: p.leader });
      if (before.isr.join(',') !== isr.join(',')) this.mark('isrChanges', { timeMs: s.timeMs, topic: s.topic, partition: p.partition, from: before.isr, to: isr });
    }
  }

  private probe(p: ProbeRecord): void {
    this.mark('probes', { timeMs: p.timeMs, name: p.name, probe: p.probe, phase: p.phase, ok: p.ok, detail: p.detail ?? null });
    const lag = lagProbeMark(p);
    if (lag !== null) this.mark('lagProbes', lag);
  }

  private readBackRecord(r: ReadBackRecord): void {
    const read = r.partitions.reduce((sum, p) => sum + p.read, 0);
    this.mark('readBacks', { timeMs: r.timeMs, process: r.process, topic: r.topic, read, complete: r.partitions.length > 0 && r.partitions.every((p) => p.reachedEnd) });
  }

  private mark<K extends keyof TimelineBuilder['marks']>(key: K, mark: TimelineBuilder['marks'][K][number]): void {
    const list = this.marks[key] as TimelineBuilder['marks'][K][number][];
    if (list.length < MAX_MARKS) list.push(mark);
    else this.leftOut.marks++;
  }

  result(): Timeline {
    const recovery = this.availability.result().recoveryMs;
    const faults = [...this.faults.values()].map((f) => ({ ...f, recoveryMs: recovery[f.id] ?? null }));
    return {
      bucketMs: TIMELINE_BUCKET_MS,
      durationMs: this.durationMs,
      series: this.series(),
      faults,
      leaderChanges: [...this.marks.leaderChanges],
      isrChanges: [...this.marks.isrChanges],
      probes: [...this.marks.probes],
      readBacks: [...this.marks.readBacks],
      lagProbes: [...this.marks.lagProbes],
      rebalances: [...this.marks.rebalances],
      recovery: [...this.recovery.result().faults],
      has: { ...this.has, lag: this.lagTracker !== null },
      leftOut: { ...this.leftOut },
    };
  }

  private series(): TimelineSeries {
    const last = Math.min(MAX_BUCKETS - 1, Math.floor(this.durationMs / TIMELINE_BUCKET_MS));
    const s: TimelineSeries = { timeS: [], acked: [], failed: [], latencyP50Ms: [], latencyP99Ms: [], latencyMaxMs: [], consumed: [], readBack: [], lag: [] };
    // The lag holds between changes: a bucket without one carries the one before.
    let lag: number | null = this.lagTracker === null ? null : 0;
    for (let i = 0; i <= last; i++) {
      const b = this.buckets.get(i);
      const latency = b?.latency ?? b?.bins?.summary() ?? null;
      s.timeS.push((i * TIMELINE_BUCKET_MS) / 1000);
      s.acked.push(b?.acked ?? 0);
      s.failed.push(b?.failed ?? 0);
      s.latencyP50Ms.push(roundMs(latency?.p50Ms));
      s.latencyP99Ms.push(roundMs(latency?.p99Ms));
      s.latencyMaxMs.push(roundMs(latency?.maxMs));
      s.consumed.push(b?.consumed ?? 0);
      s.readBack.push(b?.readBack ?? 0);
      if (lag !== null) lag = b?.lag ?? lag;
      s.lag.push(lag);
    }
    return s;
  }
}

const TYPE_CODES = { invoke: TYPE_INVOKE, ok: TYPE_OK, fail: TYPE_FAIL, info: TYPE_INFO } as const;

function roundMs(ms: number | undefined): number | null {
  return ms === undefined ? null : Math.round(ms * 10) / 10;
}

/** The timeline of a journal file, in one streaming pass (memory: the buckets, not the records). */
export async function readTimeline(historyPath: string, options: ReadJournalOptions & TimelineOptions = {}): Promise<Timeline> {
  const { consumerGroup, ...readOptions } = options;
  const builder = new TimelineBuilder(consumerGroup === undefined ? {} : { consumerGroup });
  await scanJournal(historyPath, { record: (r) => builder.add(r), opView: (v) => builder.addOpView(v) }, readOptions);
  return builder.result();
}

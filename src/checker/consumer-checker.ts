import { CONSUMER_DRAINED_EVENT, REBALANCE_EVENT, type ConsumerDrainedDetail, type EventRecord, type JournalRecord, type OpRecord } from '../history/operation.js';
import { F_READ, type OpLineView } from '../history/op-line-fast.js';
import type { Checker } from './checker.js';
import { consumerEvidence, decideConsumerVerdict, latencySummary, stoppedMembers, worstStretch, type StoppedInput, type Waiting } from './consumer-result.js';
import type { ConsumeReceipt, ConsumerCounts, ConsumerDuplicate, ConsumerVerdict, MemberTally, NotReceivedValue } from './consumer-verdict.js';

export interface ConsumerCheckerOptions {
  /**
   * The run had a long-lived consumer group (its meta says `consumerGroup: true`). Default true; false makes the
   * checker read nothing and say not applicable, so runs without a group pay nothing for it (a produce run of
   * 10M operations would otherwise keep an entry per value).
   */
  consumerGroup?: boolean;
  /** A member silent for longer than this before the end, while its partitions got new acknowledged values, is flagged stopped. Default 10,000. */
  stallMs?: number;
}

export const DEFAULT_STALL_MS = 10_000;
/** Duplicate values listed in the result (the counts are exact). */
const MAX_LISTED_DUPLICATES = 10_000;
/** Unknown values (received, never sent) named in the warnings. */
const MAX_NAMED_UNKNOWN = 10;

/** What the checker keeps per value: its acknowledgement and its receives. */
interface ValueState {
  sent: boolean;
  /** Time of the send ok; -1 when not acknowledged. */
  ackMs: number;
  ackPartition: number;
  /** -1 when the ok had no offset (acks=0). */
  ackOffset: number;
  receipts: ConsumeReceipt[];
}

interface MemberState extends MemberTally {
  lastAssignedMs: number | null;
  partitions: Set<number>;
}

/**
 * The consumer checker: did a long-lived consumer group receive every acknowledged value? Feed records in
 * journal order (rebalance events are replayed in order to know who held what). Memory: one entry per
 * distinct value sent or received. Read ops are ignored (they are the exact checker's read-back).
 */
export class ConsumerChecker implements Checker<ConsumerVerdict> {
  readonly name = 'consumer' as const;
  private readonly stallMs: number;
  private readonly values = new Map<string, ValueState>();
  private readonly members = new Map<string, MemberState>();
  private readonly receiveTimes: number[] = [];
  private readonly rebalanceTimes: number[] = [];
  private readonly lastAckByPartition = new Map<number, number>();
  private drained: ConsumerDrainedDetail | null = null;
  private drainedMs: number | null = null;
  private lastMs = 0;

  private readonly enabled: boolean;

  constructor(options: ConsumerCheckerOptions = {}) {
    this.stallMs = options.stallMs ?? DEFAULT_STALL_MS;
    this.enabled = options.consumerGroup ?? true;
  }

  add(record: JournalRecord): void {
    if (!this.enabled) return;
    if (record.kind !== 'meta') this.lastMs = Math.max(this.lastMs, record.timeMs);
    if (record.kind === 'op') this.op(record);
    else if (record.kind === 'event') this.event(record);
  }

  /** Fast lane: read ops are skipped without making a record; the rest as add(view.toRecord()). */
  addOpView(view: OpLineView): void {
    if (!this.enabled) return;
    if (view.fCode === F_READ) {
      this.lastMs = Math.max(this.lastMs, view.timeMs());
      return;
    }
    this.add(view.toRecord());
  }

  private stateOf(value: string): ValueState {
    let s = this.values.get(value);
    if (s === undefined) {
      s = { sent: false, ackMs: -1, ackPartition: -1, ackOffset: -1, receipts: [] };
      this.values.set(value, s);
    }
    return s;
  }

  private op(op: OpRecord): void {
    if (op.f === 'send') {
      const s = this.stateOf(op.value);
      s.sent = true;
      if (op.type !== 'ok' || s.ackMs >= 0) return;
      s.ackMs = op.timeMs;
      s.ackPartition = op.partition ?? -1;
      s.ackOffset = op.offset ?? -1;
      if (s.ackPartition >= 0) this.lastAckByPartition.set(s.ackPartition, Math.max(this.lastAckByPartition.get(s.ackPartition) ?? -Infinity, op.timeMs));
      return;
    }
    if (op.f !== 'consume' || op.type !== 'ok') return;
    this.stateOf(op.value).receipts.push({ member: op.process, partition: op.partition ?? -1, offset: op.offset ?? -1, timeMs: op.timeMs });
    this.receiveTimes.push(op.timeMs);
    const m = this.member(op.process);
    m.received++;
    m.firstReceiveMs ??= op.timeMs;
    m.lastReceiveMs = Math.max(m.lastReceiveMs ?? op.timeMs, op.timeMs);
  }

  private member(name: string): MemberState {
    let m = this.members.get(name);
    if (m === undefined) {
      m = { member: name, received: 0, firstReceiveMs: null, lastReceiveMs: null, rebalances: 0, lastAssignedMs: null, partitions: new Set() };
      this.members.set(name, m);
    }
    return m;
  }

  private event(e: EventRecord): void {
    if (e.event === CONSUMER_DRAINED_EVENT && isDrainedDetail(e.detail)) {
      this.drained = e.detail;
      this.drainedMs = e.timeMs;
      return;
    }
    if (e.event !== REBALANCE_EVENT || typeof e.detail?.['member'] !== 'string') return;
    const m = this.member(e.detail['member']);
    m.rebalances++;
    this.rebalanceTimes.push(e.timeMs);
    const assigned = numbers(e.detail['assigned']);
    for (const p of assigned) m.partitions.add(p);
    for (const p of numbers(e.detail['revoked'])) m.partitions.delete(p);
    if (assigned.length > 0) m.lastAssignedMs = e.timeMs;
  }

  /** The fast lane drops out records without making them. */
  addOutView(): void {
    // Out records (a pipeline's) are not this checker's.
  }

  result(): ConsumerVerdict {
    const tally = this.tally();
    const members = [...this.members.values()].sort((a, b) => a.member.localeCompare(b.member, 'en', { numeric: true }));
    const endMs = this.drainedMs ?? this.lastMs;
    const atEnd = this.drained?.assignments;
    const stopInputs: StoppedInput[] = members.map((m) => ({ member: m.member, lastReceiveMs: m.lastReceiveMs, lastAssignedMs: m.lastAssignedMs, partitions: atEnd?.[m.member] ?? [...m.partitions].sort((a, b) => a - b) }));
    const stopped = stoppedMembers(stopInputs, this.lastAckByPartition, endMs, this.stallMs);
    const latency = latencySummary(Float64Array.from(tally.latencies));
    const applicable = this.receiveTimes.length > 0 || this.drained !== null || this.rebalanceTimes.length > 0;
    const decided = decideConsumerVerdict(tally.counts, this.drained);
    const warnings = [
      ...stopped.map((s) => `member ${s.member} stopped receiving: last receive ${s.lastReceiveMs === null ? 'never' : `at ${Math.round(s.lastReceiveMs)} ms`}, while partitions ${s.partitions.join(', ')} got acknowledged values until ${Math.round(s.lastAcknowledgedMs)} ms`),
      ...(tally.unknown.length > 0 ? [`${tally.counts.unknownValues} values received were never sent in this history, e.g. ${tally.unknown.join(', ')}`] : []),
    ];
    return {
      checker: 'consumer',
      valid: applicable ? decided.valid : 'unknown',
      applicable,
      evidence: applicable ? consumerEvidence(tally.counts, members.length, this.drained, latency) : 'no consumer group in the history: nothing to check',
      reasons: applicable ? decided.reasons : ['no consume ops, rebalance or consumer-drained events in the history'],
      warnings,
      counts: tally.counts,
      notReceived: tally.notReceived,
      duplicates: tally.duplicates,
      members: members.map(({ member, received, firstReceiveMs, lastReceiveMs, rebalances }) => ({ member, received, firstReceiveMs, lastReceiveMs, rebalances })),
      stoppedMembers: stopped,
      latencyMs: latency,
      worstStretch: worstStretch(tally.waiting, this.receiveTimes, endMs),
      drained: this.drained,
    };
  }

  /** One pass over the values: counts, not received, duplicates, latencies, what waited. */
  private tally(): { counts: ConsumerCounts; notReceived: NotReceivedValue[]; duplicates: ConsumerDuplicate[]; latencies: number[]; waiting: Waiting[]; unknown: string[] } {
    const c: ConsumerCounts = { received: this.receiveTimes.length, receivedValues: 0, acknowledged: 0, acknowledgedReceived: 0, notReceived: 0, beyondDrain: 0, unconfirmedNotReceived: 0, unknownValues: 0, duplicateValues: 0, duplicateReceives: 0, duplicatesAfterRebalance: 0, rebalances: this.rebalanceTimes.length };
    const out = { counts: c, notReceived: [] as NotReceivedValue[], duplicates: [] as ConsumerDuplicate[], latencies: [] as number[], waiting: [] as Waiting[], unknown: [] as string[] };
    const rebalances = [...this.rebalanceTimes].sort((a, b) => a - b);
    const ends = this.drainedEnds();
    for (const [value, s] of this.values) {
      const first = s.receipts[0];
      if (first !== undefined) c.receivedValues++;
      if (s.receipts.length > 1) this.noteDuplicate(value, s.receipts, rebalances, out);
      if (!s.sent && first !== undefined && c.unknownValues++ < MAX_NAMED_UNKNOWN) out.unknown.push(value);
      if (s.ackMs < 0) continue;
      c.acknowledged++;
      out.waiting.push({ ackMs: s.ackMs, firstReceiveMs: first?.timeMs ?? Infinity });
      if (first !== undefined) {
        c.acknowledgedReceived++;
        out.latencies.push(Math.max(0, first.timeMs - s.ackMs));
      } else if (s.ackOffset < 0) c.unconfirmedNotReceived++;
      else if (s.ackOffset < (ends.get(s.ackPartition) ?? -1)) {
        c.notReceived++;
        out.notReceived.push({ value, partition: s.ackPartition, offset: s.ackOffset });
      } else c.beyondDrain++;
    }
    return out;
  }

  private noteDuplicate(value: string, receipts: ConsumeReceipt[], rebalances: readonly number[], out: { counts: ConsumerCounts; duplicates: ConsumerDuplicate[] }): void {
    const firstMs = (receipts[0] as ConsumeReceipt).timeMs;
    const afterRebalance = receipts.slice(1).filter((r) => rebalanceBetween(rebalances, firstMs, r.timeMs)).length;
    out.counts.duplicateValues++;
    out.counts.duplicateReceives += receipts.length - 1;
    out.counts.duplicatesAfterRebalance += afterRebalance;
    if (out.duplicates.length < MAX_LISTED_DUPLICATES) out.duplicates.push({ value, receipts: [...receipts], afterRebalance });
  }

  /** End offsets of a complete drain, per partition (empty without one: nothing can be called not received). */
  private drainedEnds(): Map<number, number> {
    if (this.drained?.complete !== true) return new Map();
    return new Map(this.drained.partitions.map((p) => [p.partition, p.endOffset]));
  }
}

/** A rebalance at a time in [fromMs, toMs]: `times` sorted. */
function rebalanceBetween(times: readonly number[], fromMs: number, toMs: number): boolean {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] as number) < fromMs) lo = mid + 1;
    else hi = mid;
  }
  return lo < times.length && (times[lo] as number) <= toMs;
}

function numbers(v: unknown): number[] {
  return Array.isArray(v) ? v.filter((x): x is number => Number.isSafeInteger(x)) : [];
}

/** A drained event's detail, checked field by field (events are free-form in the journal). */
function isDrainedDetail(d: Record<string, unknown> | undefined): d is Record<string, unknown> & ConsumerDrainedDetail {
  if (d === undefined || typeof d['complete'] !== 'boolean' || !Array.isArray(d['partitions'])) return false;
  return (d['partitions'] as unknown[]).every((p) => {
    const o = p as Record<string, unknown> | null;
    return typeof o === 'object' && o !== null && Number.isSafeInteger(o['partition']) && Number.isSafeInteger(o['endOffset']) && typeof o['reachedEnd'] === 'boolean';
  });
}

/** The consumer checker over records in memory. */
export function checkConsumer(records: Iterable<JournalRecord>, options: ConsumerCheckerOptions = {}): ConsumerVerdict {
  const checker = new ConsumerChecker(options);
  for (const record of records) checker.add(record);
  return checker.result();
}

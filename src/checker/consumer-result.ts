import type { ConsumerDrainedDetail } from '../history/operation.js';
import { countText, type Validity } from './checker.js';
import type { ConsumerCounts, LatencySummary, StoppedMember, WorstStretch } from './consumer-verdict.js';

/**
 * The consumer checker's result, computed in steps from plain inputs: latency percentiles, the worst
 * stretch, stopped members, the verdict and its evidence (see docs/checker.md).
 */

/** Nearest-rank percentiles of `samples` (sorted in place); null for none. */
export function latencySummary(samples: Float64Array): LatencySummary | null {
  if (samples.length === 0) return null;
  samples.sort();
  const at = (q: number): number => Math.round(samples[Math.max(0, Math.ceil(q * samples.length) - 1)] as number);
  return { count: samples.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: Math.round(samples[samples.length - 1] as number) };
}

/** One acknowledged value: when it was acknowledged, and when first received (Infinity: never). */
export interface Waiting {
  ackMs: number;
  firstReceiveMs: number;
}

const ACK = 0;
const FIRST_RECEIVE = 1;

/**
 * The longest interval with no receive by any member while at least one acknowledged value waited (acked,
 * not yet received), up to `endMs`. `receiveTimes` are every consume record's time. null when nothing waited.
 */
export function worstStretch(waiting: readonly Waiting[], receiveTimes: readonly number[], endMs: number): WorstStretch | null {
  // Events: acks raise the waiting count, first receives lower it, every receive ends a silence.
  const events: [number, number][] = [];
  for (const w of waiting) {
    if (w.firstReceiveMs < w.ackMs) continue;
    events.push([w.ackMs, ACK]);
    if (Number.isFinite(w.firstReceiveMs)) events.push([w.firstReceiveMs, FIRST_RECEIVE]);
  }
  const receives = [...receiveTimes].sort((a, b) => a - b);
  events.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let best: WorstStretch | null = null;
  const consider = (fromMs: number, toMs: number): void => {
    if (toMs > fromMs && (best === null || toMs - fromMs > best.durationMs)) best = { fromMs, toMs, durationMs: toMs - fromMs };
  };
  let count = 0;
  let since = -Infinity;
  let r = 0;
  for (const [t, kind] of events) {
    // Receives up to t end the current silence (when something waits) and start the next.
    for (; r < receives.length && (receives[r] as number) <= t; r++) {
      if (count > 0) consider(since, receives[r] as number);
      since = receives[r] as number;
    }
    if (kind === ACK) {
      if (count === 0) since = Math.max(since, t);
      count++;
    } else count--;
  }
  for (; r < receives.length; r++) {
    if (count > 0) consider(since, receives[r] as number);
    since = receives[r] as number;
  }
  if (count > 0) consider(since, Math.max(endMs, since));
  return best;
}

export interface StoppedInput {
  member: string;
  lastReceiveMs: number | null;
  /** When it was last given partitions (for a member that never received). */
  lastAssignedMs: number | null;
  partitions: readonly number[];
}

/** Members silent for more than stallMs before endMs while a partition they held had a later acknowledgement. */
export function stoppedMembers(members: readonly StoppedInput[], lastAckByPartition: ReadonlyMap<number, number>, endMs: number, stallMs: number): StoppedMember[] {
  const out: StoppedMember[] = [];
  for (const m of members) {
    const since = m.lastReceiveMs ?? m.lastAssignedMs;
    if (since === null || endMs - since <= stallMs || m.partitions.length === 0) continue;
    const lastAck = Math.max(...m.partitions.map((p) => lastAckByPartition.get(p) ?? -Infinity));
    if (lastAck > since) out.push({ member: m.member, lastReceiveMs: m.lastReceiveMs, partitions: [...m.partitions], lastAcknowledgedMs: lastAck });
  }
  return out;
}

/** Why the drained marker is not complete evidence; null when it is. */
function drainGap(drained: ConsumerDrainedDetail | null): string | null {
  if (drained === null) return 'no consumer-drained event: the group is not shown to have reached the end offsets';
  if (drained.complete) return null;
  if (drained.error !== undefined) return `the drain did not start: ${drained.error}`;
  const short = drained.partitions.filter((p) => !p.reachedEnd).map((p) => p.partition);
  return short.length > 0 ? `the group stopped short of the end offsets of partitions ${short.join(', ')}` : 'the drained event lists no partitions';
}

/** The verdict and its reasons (see ConsumerVerdict). */
export function decideConsumerVerdict(c: ConsumerCounts, drained: ConsumerDrainedDetail | null): { valid: Validity; reasons: string[] } {
  if (c.notReceived > 0) return { valid: false, reasons: [`${countText(c.notReceived, 'acknowledged value')} never received by the group, though it drained past their offsets`] };
  const reasons: string[] = [];
  const gap = drainGap(drained);
  const missing = c.acknowledged - c.acknowledgedReceived - c.unconfirmedNotReceived;
  if (gap !== null) reasons.push(missing > 0 ? `${gap}: ${countText(missing, 'acknowledged value')} not received cannot be called missing` : `${gap}: nothing after the last receive can be checked`);
  else if (c.beyondDrain > 0) reasons.push(`${countText(c.beyondDrain, 'acknowledged value')} lie beyond the end offsets the group drained to (acknowledged after the drain began?) and were not received`);
  if (c.acknowledged === 0) reasons.push('nothing acknowledged: no promise to check');
  return { valid: reasons.length === 0 ? true : 'unknown', reasons };
}

/** One sentence: what the verdict rests on. */
export function consumerEvidence(c: ConsumerCounts, members: number, drained: ConsumerDrainedDetail | null, latency: LatencySummary | null): string {
  const acked = c.acknowledged > 0 ? countText(c.acknowledged, 'acknowledged value') : 'nothing acknowledged';
  const got = `${c.acknowledgedReceived.toLocaleString('en-US')} received by ${countText(members, 'member')} (${countText(c.received, 'record')}, ${countText(c.duplicateValues, 'duplicate value')})`;
  const drain = drained === null ? 'no drained marker' : drained.complete ? `drained to the end offsets of ${countText(drained.partitions.length, 'partition')}` : 'drain incomplete';
  const lat = latency === null ? '' : `; latency p99 ${latency.p99} ms`;
  return `${acked}; ${got}; ${drain}${lat}`;
}

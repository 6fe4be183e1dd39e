import type { ConsumerDrainedDetail } from '../history/operation.js';
import type { CheckerResult, Validity } from './checker.js';

/** An acknowledged value (ok with an offset) below the drained end offset that no member received. */
export interface NotReceivedValue {
  value: string;
  partition: number;
  offset: number;
}

/** One receive of a value by a member. */
export interface ConsumeReceipt {
  member: string;
  partition: number;
  offset: number;
  timeMs: number;
}

/** A value received more than once (informational: at-least-once delivery after a rebalance). */
export interface ConsumerDuplicate {
  value: string;
  /** Every receive, the first one first. */
  receipts: ConsumeReceipt[];
  /** Receives after the first with a rebalance event between the first receive and them. */
  afterRebalance: number;
}

/** A member whose last receive is more than stallMs before the end while its partitions still got acknowledged values. */
export interface StoppedMember {
  member: string;
  /** Its last receive (run clock); null when it never received. */
  lastReceiveMs: number | null;
  /** Partitions it held at the end (from the drained event's assignments, else its rebalance events). */
  partitions: number[];
  /** The last acknowledgement to one of those partitions: after lastReceiveMs. */
  lastAcknowledgedMs: number;
}

export interface MemberTally {
  member: string;
  received: number;
  firstReceiveMs: number | null;
  lastReceiveMs: number | null;
  rebalances: number;
}

/** Receive time minus the send's ok time, over each acknowledged value's first receive (negative counts as 0). */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The longest time no member received anything while some acknowledged value waited to be received. */
export interface WorstStretch {
  fromMs: number;
  toMs: number;
  durationMs: number;
}

export interface ConsumerCounts {
  /** Consume records (duplicates included). */
  received: number;
  /** Distinct values received. */
  receivedValues: number;
  /** Sends acknowledged (ok). */
  acknowledged: number;
  acknowledgedReceived: number;
  notReceived: number;
  /** Acknowledged with an offset at or beyond the drained end offset (or of a partition the drain did not cover): not checked. */
  beyondDrain: number;
  /** Acknowledged without an offset (acks=0) and never received: no promise, informational. */
  unconfirmedNotReceived: number;
  /** Values received that were never sent in this history (another writer, a probe). */
  unknownValues: number;
  duplicateValues: number;
  /** Receives beyond the first, over all values. */
  duplicateReceives: number;
  /** ... of which came after a rebalance. */
  duplicatesAfterRebalance: number;
  rebalances: number;
}

/**
 * valid: every acknowledged value below the drained end offsets was received, on the evidence of a complete
 * consumer-drained event. false: some was not. 'unknown': no complete drained event, values beyond it, or
 * nothing acknowledged. `applicable` is false when the history has no consumer group at all.
 */
export interface ConsumerVerdict extends CheckerResult {
  checker: 'consumer';
  valid: Validity;
  applicable: boolean;
  evidence: string;
  reasons: string[];
  /** Informational findings: stopped members, unknown values. */
  warnings: string[];
  counts: ConsumerCounts;
  notReceived: NotReceivedValue[];
  /** At most MAX_LISTED_DUPLICATES (counts are exact). */
  duplicates: ConsumerDuplicate[];
  members: MemberTally[];
  stoppedMembers: StoppedMember[];
  latencyMs: LatencySummary | null;
  worstStretch: WorstStretch | null;
  /** The last consumer-drained event's detail; null without one. */
  drained: ConsumerDrainedDetail | null;
}

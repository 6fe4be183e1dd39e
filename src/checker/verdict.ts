import type { EventRecord } from '../history/operation.js';
import type { CheckerResult, Validity } from './checker.js';

/** Where a value was read: one record of the log. */
export interface LogLocation {
  partition: number;
  offset: number;
}

/** A send acknowledged but never read back. */
export interface LostValue {
  value: string;
  /** Where the ok said it was written; null when the ok did not say (acks=0 has no offset). */
  partition: number | null;
  offset: number | null;
}

/** One value at more than one log location. */
export interface DuplicateValue {
  value: string;
  /** Every distinct location, in the order read. */
  reads: LogLocation[];
}

/** A value read but never sent (no send op of any type). */
export interface UnexpectedValue {
  value: string;
  reads: LogLocation[];
}

/**
 * An acknowledged value read at a lower offset than the producer's previous acknowledged value
 * (by send order) in the same partition.
 */
export interface ReorderedValue {
  value: string;
  partition: number;
  offset: number;
  /** The value sent just before it (same producer, same partition, acknowledged, read back). */
  precededBy: { value: string; offset: number };
}

/** A send that ended in fail or info (or never completed), yet the value is in the log. Informational. */
export interface RecoveredValue {
  value: string;
  /** How the send ended: 'fail', 'info', or 'none' (invoked, never completed). */
  outcome: 'fail' | 'info' | 'none';
  reads: LogLocation[];
}

/** Per partition numbers, including the seed's measure: acknowledged count vs high watermark. */
export interface PartitionCounts {
  partition: number;
  /** Sends acknowledged (ok) to this partition, with or without an offset. */
  acknowledged: number;
  /** ... of which carried an offset (acks=1/all). */
  acknowledgedWithOffset: number;
  /** Read-back records of this partition. */
  readBack: number;
  /** From the last sample of the topic; null without samples. */
  highWatermark: number | null;
  /** Highest high watermark sampled; above highWatermark means the log was truncated. */
  highWatermarkMax: number | null;
  /** max(0, acknowledged - highWatermark): acknowledged messages the log cannot hold (the seed's loss). */
  ackedAboveHighWatermark: number | null;
  /** max(0, highWatermark - acknowledged): messages stored but not acknowledged (failed/timed-out sends that landed). */
  highWatermarkAboveAcked: number | null;
}

export interface CheckCounts {
  /** Journal records fed to the checker. */
  records: number;
  /** Distinct values with a send op (invoke or completion). */
  sent: number;
  acknowledged: number;
  /** ok with an offset (the broker said where). */
  acknowledgedWithOffset: number;
  /** ok without an offset (acks=0: the client only wrote it to the socket). */
  acknowledgedWithoutOffset: number;
  failed: number;
  /** info, or invoked and never completed. */
  unknown: number;
  /** Read-back records. */
  readBack: number;
  /** Distinct values read back. */
  readBackValues: number;
  /** The same value read again at the same location (harmless, e.g. a re-read). */
  rereads: number;
  events: number;
  samples: number;
}

export interface Anomalies {
  lost: LostValue[];
  /** ok without an offset (acks=0) never read back: acks=0 promises nothing, so informational. */
  lostUnconfirmed: LostValue[];
  duplicate: DuplicateValue[];
  unexpected: UnexpectedValue[];
  reordered: ReorderedValue[];
  recovered: RecoveredValue[];
}

export type AnomalyName = keyof Anomalies;
export const ANOMALY_NAMES: readonly AnomalyName[] = ['lost', 'lostUnconfirmed', 'duplicate', 'unexpected', 'reordered', 'recovered'];

/**
 * valid: no violation, and a read-back that reached the end offsets of every partition (the evidence).
 * invalid: at least one of lost (after a complete read-back), duplicate (unless allowed), unexpected,
 * reordered. unknown: no violation found, but the history cannot show one or rule one out (no complete
 * read-back: none, one that stopped short, or a journal without a read-back record).
 */
export type VerdictKind = 'valid' | 'invalid' | 'unknown';

export interface ExactVerdict extends CheckerResult {
  checker: 'exact';
  verdict: VerdictKind;
  /** true for valid, false for invalid, 'unknown' for unknown. */
  valid: Validity;
  /** What the verdict rests on, one sentence: acknowledged values and how far they were read back. */
  evidence: string;
  /** Why the verdict is not valid, one sentence each. */
  reasons: string[];
  warnings: string[];
  /** Run metadata from the journal's meta line, when present. */
  run: { name: string | null; topic: string | null; acks: string | null; seed: string | number | null };
  counts: CheckCounts;
  partitions: PartitionCounts[];
  anomalies: Anomalies;
  /** Nemesis events in journal order (at most `maxEvents`). */
  faults: EventRecord[];
}

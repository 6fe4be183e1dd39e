/**
 * The history's record types: one journal line = one of these objects (see docs/history.md).
 *
 * Every record has `kind` and `timeMs` (milliseconds since the run started, from a monotonic clock).
 * Operations follow Jepsen: a client `invoke`s an operation, which completes as `ok` (acknowledged),
 * `fail` (definitely not applied) or `info` (unknown: timeout, connection lost).
 */

import type { OutEndRecord, OutRecord } from './output-record.js';
import type { QueueOpRecord } from './queue-op.js';

/**
 * Format version written in the meta record; readers reject a higher major version.
 * 2 added the `read-back` record, 3 the `queue` record (queue-op.ts), 4 the pipeline's `out` and `out-end`
 * records (output-record.ts) and the job events (job-event.ts); versions 1 to 3 are still read.
 */
export const JOURNAL_FORMAT_VERSION = 4;

export type OpType = 'invoke' | 'ok' | 'fail' | 'info';
/** send and read as above; consume: one `ok` per record a long-lived consumer group member received. */
export type OpFunction = 'send' | 'read' | 'consume';

export interface OpError {
  /** Client error code, e.g. librdkafka's -192, or a name such as 'ERR__MSG_TIMED_OUT'. */
  code: number | string;
  message: string;
}

/**
 * One client operation.
 * - send: `value` is the message value, unique per run, `<producerId>-<seq>` (see `sendValue`);
 *   an `ok` carries the partition and offset the broker assigned (acks=1/all), or no offset (acks=0).
 * - read: one `ok` per record read back, with `value`, `partition` and `offset`. An `invoke` with
 *   value '' marks the start of a read-back (of `partition`, when given); a read `fail`/`info`
 *   marks a read-back that did not complete.
 * - consume: one `ok` per record a consumer-group member received, with `value`, `partition`, `offset`;
 *   `process` is the member (c0, c1, ...). The exact checker ignores these (only `read` is a read-back);
 *   the consumer checker reads them.
 */
export interface OpRecord {
  kind: 'op';
  type: OpType;
  f: OpFunction;
  /** The client that did it, e.g. 'p3' (producer 3), 'r0' (reader) or 'c1' (consumer-group member 1). */
  process: string;
  value: string;
  timeMs: number;
  partition?: number;
  offset?: number;
  error?: OpError;
}

/** A nemesis event, e.g. a fault starting or healing. */
export interface EventRecord {
  kind: 'event';
  timeMs: number;
  /** 'fault-start' | 'fault-heal' | 'fault-error' | any other nemesis event name. */
  event: string;
  faultId?: string;
  /** Fault type, e.g. 'kill', 'partition'. */
  fault?: string;
  /** How the target was chosen, e.g. 'leader(test1,0)'. */
  target?: string;
  /** The node(s) actually hit. */
  node?: string | number | (string | number)[];
  detail?: Record<string, unknown>;
}

/** Events the consumer-group workload writes (not nemesis events: the exact checker leaves them out of its faults). */
export const REBALANCE_EVENT = 'rebalance';
export const CONSUMER_DRAINED_EVENT = 'consumer-drained';
export const CONSUMER_ERROR_EVENT = 'consumer-error';
const CONSUMER_EVENTS: ReadonlySet<string> = new Set([REBALANCE_EVENT, CONSUMER_DRAINED_EVENT, CONSUMER_ERROR_EVENT]);

/** True for the consumer-group workload's own events (rebalance, consumer-drained, consumer-error). */
export function isConsumerEvent(event: string): boolean {
  return CONSUMER_EVENTS.has(event);
}

/** `detail` of a `rebalance` event: one per rebalance callback of one member. */
export interface RebalanceDetail {
  /** The member, as in its consume ops: 'c0'. */
  member: string;
  group: string;
  topic: string;
  /** Partitions given to the member by this callback (empty on a revoke). */
  assigned: number[];
  /** Partitions taken from it (empty on an assign). */
  revoked: number[];
}

/** How far the group got on one partition when it stopped. */
export interface DrainedPartition {
  partition: number;
  /** The high watermark when the drain began: the offset the group had to reach. */
  endOffset: number;
  /** The group's furthest position: highest offset received + 1 (or a member's consumer position, if higher). */
  position: number;
  reachedEnd: boolean;
}

/**
 * `detail` of the `consumer-drained` event, written once when a consumer group stops: the end offsets it
 * aimed for and whether it reached them. The consumer checker calls an acknowledged value not received
 * (a violation) only with such an event whose `complete` is true, and only below its partition's endOffset.
 */
export interface ConsumerDrainedDetail {
  group: string;
  topic: string;
  /** Every partition reached its end offset (and there was at least one partition). */
  complete: boolean;
  partitions: DrainedPartition[];
  /** Each member's partitions when the drain ended, before the members closed (closing revokes them all). */
  assignments?: Record<string, number[]>;
  /** Why the end offsets could not be read, when they could not. */
  error?: string;
}

export interface PartitionSample {
  partition: number;
  /** Broker id of the leader; null when the partition has none. */
  leader: number | null;
  isr: number[];
  /** Next offset to be committed (Kafka's high watermark); null when it could not be read. */
  highWatermark: number | null;
}

/** A periodic look at the cluster. The last sample for a topic is the one the checker uses. */
export interface SampleRecord {
  kind: 'sample';
  timeMs: number;
  topic: string;
  partitions: PartitionSample[];
}

/** How far one partition was read back. */
export interface ReadBackPartition {
  partition: number;
  /** Log start offset when the read-back began: where it started reading. */
  startOffset: number;
  /** The end offset it aimed for: the high watermark (or last stable offset) when the read-back began. */
  endOffset: number;
  /** Records read from this partition. */
  read: number;
  /** It read up to endOffset. */
  reachedEnd: boolean;
  /**
   * The partition's last stable offset when the read-back ended (the queue drain records it): below endOffset,
   * a transaction begun before the read-back was still open when it gave up.
   */
  lastStableOffset?: number;
}

/**
 * Written once when a read-back ends, complete or not: the end offsets it aimed for and whether it reached
 * them. The checker calls the read-back complete (and so can call missing values lost) only on such a
 * record with every partition `reachedEnd`.
 */
export interface ReadBackRecord {
  kind: 'read-back';
  timeMs: number;
  /** The reader, as in its read ops. */
  process: string;
  topic: string;
  isolation?: 'read_committed' | 'read_uncommitted';
  partitions: ReadBackPartition[];
}

/** First line of every journal: what run this is. Extra keys are allowed and kept. */
export interface MetaRecord {
  kind: 'meta';
  timeMs: number;
  formatVersion: number;
  /** Wall-clock start, ISO 8601. timeMs of every other record counts from here. */
  startedAt: string;
  run: string;
  seed?: number | string;
  topic?: string;
  /** Producer acks setting: '0', '1' or 'all'. */
  acks?: string;
  [extra: string]: unknown;
}

/** Where in an experiment a probe ran. */
export type ProbePhase = 'before' | 'during' | 'after' | 'method' | 'safeguard';
export const PROBE_PHASES: readonly ProbePhase[] = ['before', 'during', 'after', 'method', 'safeguard'];

/**
 * One run of a probe (see docs/probes.md): its value and whether the value passed the probe's tolerance.
 * `timeMs` is when the probe started. The checkers of produce and read-back ignore these records.
 */
export interface ProbeRecord {
  kind: 'probe';
  timeMs: number;
  /** The probe's name, unique within its experiment. */
  name: string;
  /** The probe's kind, e.g. 'cluster-health', 'round-trip'. */
  probe: string;
  phase: ProbePhase;
  ok: boolean;
  /** What the probe measured (JSON); absent when the probe failed before measuring. */
  value?: unknown;
  /** One line: the tolerance's verdict, or the error. */
  detail?: string;
}

export type JournalRecord = OpRecord | EventRecord | SampleRecord | MetaRecord | ReadBackRecord | ProbeRecord | QueueOpRecord | OutRecord | OutEndRecord;

/** Digits of the zero-padded sequence number in values made by `sendValue`. */
export const DEFAULT_SEQ_WIDTH = 6;

/**
 * The value a producer sends as its `seq`-th message (0-based send order): `p3-000041`.
 * The checker reads the producer and the send order back from the value itself.
 */
export function sendValue(producerId: string, seq: number, width = DEFAULT_SEQ_WIDTH): string {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError(`seq must be a whole number >= 0, got ${seq}`);
  return `${producerId}-${String(seq).padStart(width, '0')}`;
}

export interface ParsedValue {
  producer: string;
  seq: number;
}

/** Splits `<producer>-<digits>` at the last '-'; null when the value is not of that form. */
export function parseValue(value: string): ParsedValue | null {
  const dash = value.lastIndexOf('-');
  if (dash <= 0 || dash === value.length - 1 || value.length - dash - 1 > 15) return null;
  let seq = 0;
  for (let i = dash + 1; i < value.length; i++) {
    const c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    seq = seq * 10 + c;
  }
  return { producer: value.slice(0, dash), seq };
}

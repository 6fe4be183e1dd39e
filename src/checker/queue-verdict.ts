import type { OpType } from '../history/operation.js';
import type { QueueOpFunction } from '../history/queue-op.js';
import type { CheckerResult } from './checker.js';

/** Every anomaly the queue checker names (Jepsen's names where Jepsen has one). */
export const QUEUE_ANOMALY_NAMES = [
  'inconsistent-offsets',
  'duplicate',
  'lost-write',
  'unseen',
  'hanging-transaction',
  'G1a',
  'G1b',
  'zombie-write',
  'precommitted-read',
  'poll-skip',
  'nonmonotonic-poll',
  'int-poll-skip',
  'int-nonmonotonic-poll',
  'int-send-skip',
  'int-nonmonotonic-send',
  'nonmonotonic-send',
  'abort-rewind',
  'committed-too-far',
  'committed-beyond-position',
  'offset-regression',
  'G0',
  'G1c',
  'G0-process',
  'G1c-process',
  'G0-realtime',
  'G1c-realtime',
] as const;
export type QueueAnomalyName = (typeof QUEUE_ANOMALY_NAMES)[number];

/** One operation of the history, as an anomaly names it. */
export interface QueueOpRef {
  /** The op's number: completions in journal order, from 0. */
  op: number;
  /** Journal line of its completion (of its invoke when it never completed). */
  line: number;
  process: string;
  f: QueueOpFunction;
  /** 'info' also for an op whose invoke was never completed. */
  type: Exclude<OpType, 'invoke'>;
  invokeMs: number;
  /** null when it never completed. */
  completeMs: number | null;
}

export interface QueuePartitionRef {
  partition: number;
  topic?: string;
}

export type QueueEdgeType = 'ww' | 'wr' | 'process' | 'realtime';

/** One edge of a dependency cycle: `from` must precede `to` because of `type` (and the value, for ww/wr). */
export interface QueueCycleEdge {
  from: number;
  to: number;
  type: QueueEdgeType;
  partition?: QueuePartitionRef;
  value?: number;
}

/** One case of an anomaly. */
export interface QueueAnomaly {
  anomaly: QueueAnomalyName;
  /** One line: what happened in this case. */
  detail: string;
  partition?: QueuePartitionRef;
  values?: number[];
  offsets?: number[];
  ops: QueueOpRef[];
  /** Cycles: the edges, in cycle order, between the ops (by `op` number). */
  edges?: QueueCycleEdge[];
}

export type QueueSeverity = 'failure' | 'informational';

/** Per anomaly name found: how many cases, whether they fail the run, the explanation, the first cases. */
export interface QueueAnomalyReport {
  count: number;
  severity: QueueSeverity;
  explanation: string;
  cases: QueueAnomaly[];
}

/** The workload options the policy depends on (from the meta line's `queue` object, or the history). */
export interface QueuePolicyInput {
  transactional: boolean;
  isolation: 'read_committed' | 'read_uncommitted';
  subscribe: boolean;
  allowDuplicates: boolean;
}

export interface QueueCounts {
  ops: number;
  txns: number;
  committed: number;
  aborted: number;
  unknown: number;
  sent: number;
  acknowledged: number;
  polled: number;
  partitions: number;
  processes: number;
  graphNodes: number;
  graphEdges: number;
}

export interface QueueVerdict extends CheckerResult {
  readonly checker: 'queue';
  readonly applicable: boolean;
  readonly counts: QueueCounts;
  /** Only the anomalies found, by name. */
  readonly anomalies: Partial<Record<QueueAnomalyName, QueueAnomalyReport>>;
  readonly policy: { readonly input: QueuePolicyInput; readonly text: string; readonly severities: Record<QueueAnomalyName, QueueSeverity> };
  /** The final drain reached the end offsets of every partition written (evidence for unseen). */
  readonly drainComplete: boolean;
  readonly truncated: boolean;
  readonly warnings: string[];
}

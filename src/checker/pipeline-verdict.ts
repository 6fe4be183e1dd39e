import type { PipelineGuarantee } from '../history/pipeline-meta.js';
import type { CheckerResult, Validity } from './checker.js';

/**
 * What the pipeline checker finds (docs/checker.md, "The pipeline checker"):
 * - lost: an acknowledged input in neither the output nor the DLQ (a violation only with complete reads);
 * - duplicate: an input more than once in output + DLQ (a violation under exactly-once, listed under at-least-once);
 * - unexpected: an output or DLQ record naming no sent input, or whose value is not `<id>:<n>` / `!<id>`;
 * - poison-in-output, good-in-dlq: an input on the wrong side;
 * - dlq-provenance: a poison input's DLQ record whose headers do not name its topic, partition and offset;
 * - wrong-key: an output or DLQ record whose key is not its input's (`k<id mod keys>`);
 * - committed-not-output: an acknowledged input below the group's committed offset, not output (a violation with complete reads);
 * - uncommitted-output: an input at or above the committed offset that was output (a violation under exactly-once);
 * - hanging-transaction: an out-end partition whose last stable offset stayed below its end offset;
 * - aborted-output: records the read_uncommitted reader saw that the read_committed one did not (informational);
 * - key-count-repeated, key-count-missing, key-count-malformed (per key: its output records' counts are not 1..n
 *   each once): a count carried by more than one record, a count below the key's highest carried by none, a count
 *   that is not a positive integer; violations under exactly-once (missing only with complete reads), listed under
 *   at-least-once. Counted in keys; a case's `value` is the key.
 */
export type PipelineFindingName =
  | 'lost'
  | 'duplicate'
  | 'unexpected'
  | 'poison-in-output'
  | 'good-in-dlq'
  | 'dlq-provenance'
  | 'wrong-key'
  | 'committed-not-output'
  | 'uncommitted-output'
  | 'hanging-transaction'
  | 'aborted-output'
  | 'key-count-repeated'
  | 'key-count-missing'
  | 'key-count-malformed';

export const PIPELINE_FINDING_NAMES: readonly PipelineFindingName[] = [
  'lost',
  'duplicate',
  'unexpected',
  'poison-in-output',
  'good-in-dlq',
  'dlq-provenance',
  'wrong-key',
  'committed-not-output',
  'uncommitted-output',
  'hanging-transaction',
  'aborted-output',
  'key-count-repeated',
  'key-count-missing',
  'key-count-malformed',
];

/** The findings of the per-key count check. */
export const KEY_COUNT_FINDING_NAMES: readonly PipelineFindingName[] = ['key-count-repeated', 'key-count-missing', 'key-count-malformed'];

/** A log location. */
export interface PipelineLocation {
  topic: string;
  partition: number;
  offset: number;
}

/** One case of a finding. */
export interface PipelineCase {
  /** The input value as sent (`17`, `!17`), or the record's value when it names no input; null for a null value. */
  value: string | null;
  /** Where the input was acknowledged; null when its send was not acknowledged with a location (or for records naming no input). */
  input: { partition: number; offset: number } | null;
  /** The output/DLQ record concerned, when one is. */
  record: PipelineLocation | null;
  /** One line: what is wrong. */
  detail: string;
}

export interface PipelineFinding {
  /** Exact count (values, records or partitions, as the finding says). */
  count: number;
  /** violation: fails the verdict (lost and committed-not-output only with complete reads); informational: does not. */
  severity: 'violation' | 'informational';
  /** The first cases, at most `maxListed`. */
  cases: PipelineCase[];
}

/** One row of the per-value count table: how many acknowledged inputs were output `count` times (255 means 255 or more). */
export interface PipelineCountRow {
  count: number;
  values: number;
}

export interface PipelineCounts {
  /** Distinct input ids sent (any outcome). */
  inputs: number;
  acknowledged: number;
  /** ... of which poison records. */
  acknowledgedPoison: number;
  /** Sends that ended in info or never completed: they may be in the output once, or not at all. */
  unknown: number;
  failed: number;
  /** Distinct records the live reader read from the output topic, and from the DLQ topic. */
  outputRecords: number;
  dlqRecords: number;
  /** Live records read again at a location already read (harmless). */
  rereads: number;
  /** Distinct records the read_uncommitted reader read (output + DLQ). */
  uncommittedRecords: number;
  /** out records of other readers or topics, ignored. */
  ignoredRecords: number;
  /** Send ops of the input process whose value is not `<id>` / `!<id>`, ignored. */
  malformedInputs: number;
}

/**
 * The per-key count check's totals (docs/checker.md, "Per-key counts"), over the output records the live reader
 * read (each location once) that name an input. A key is consistent when its records' counts are 1..n, each once.
 */
export interface PipelineKeyCounts {
  /** Keys with output records, and their records. */
  keys: number;
  records: number;
  /** Keys whose counts are not 1..n each once. */
  inconsistentKeys: number;
  /** Records repeating a count: with the id of the count's first record (a replay), with another id (the state went back). */
  repeated: { keys: number; sameId: number; otherId: number };
  /** Counts below a key's highest count that no record carried (the state counted records whose output is not there). */
  missing: { keys: number; counts: number };
  /** Records whose count is not a positive integer (or too large to be a running count). */
  malformed: { keys: number; records: number };
}

export interface PipelineVerdict extends CheckerResult {
  readonly checker: 'pipeline';
  readonly valid: Validity;
  readonly evidence: string;
  readonly reasons: string[];
  readonly warnings: string[];
  readonly applicable: boolean;
  /** The meta's pipeline object, when it has a valid one. */
  readonly guarantee: PipelineGuarantee | null;
  readonly topics: { input: string; output: string; dlq: string } | null;
  /** Output and DLQ topics each read by the live reader to the end offsets of every partition. */
  readonly complete: boolean;
  /** The job group's committed input offsets (job-offsets), by partition; null without that event. */
  readonly committedOffsets: Record<string, number> | null;
  readonly counts: PipelineCounts;
  /** Acknowledged inputs by the number of times they are in output + DLQ. */
  readonly table: PipelineCountRow[];
  /** The per-key count check's totals. */
  readonly keyCounts: PipelineKeyCounts;
  /** Only the findings with a count above 0. */
  readonly findings: Partial<Record<PipelineFindingName, PipelineFinding>>;
}

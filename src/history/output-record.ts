import type { ReadBackPartition } from './operation.js';

/**
 * The pipeline's output in the journal (format 4, docs/pipelines.md): one `out` record per record read
 * from a pipeline's output or dead-letter topic, and one `out-end` record per reader and topic when its
 * read ends. Validator: output-validate.ts; encoder: `encodeOutRecord` (canonical key order, which the
 * reader's byte-level fast lane recognises).
 */

/** The read_committed reader: journalled as records arrive during the run, drained to the end offsets at the end. */
export const OUT_READER_LIVE = 'live';
/** The final read_uncommitted reader: its records that `live` did not see are aborted output. */
export const OUT_READER_UNCOMMITTED = 'ru';

/** One record read from an output or dead-letter topic. */
export interface OutRecord {
  kind: 'out';
  timeMs: number;
  /** Which reader read it: `live` or `ru` (OUT_READER_LIVE, OUT_READER_UNCOMMITTED). */
  reader: string;
  topic: string;
  partition: number;
  offset: number;
  /** The record key as UTF-8 text; null for a null key. */
  key: string | null;
  /** The record value as UTF-8 text; null for a null value (a tombstone). */
  value: string | null;
  /** Record headers as UTF-8 text, by name (the last one wins when a name repeats); absent when the record has none. */
  headers?: Record<string, string>;
}

/** Written once per reader and topic when its read ends, complete or not (like `read-back`). */
export interface OutEndRecord {
  kind: 'out-end';
  timeMs: number;
  reader: string;
  topic: string;
  isolation: 'read_committed' | 'read_uncommitted';
  /** Per partition: where the read started, the end offset it aimed for, records read, whether it got there. */
  partitions: ReadBackPartition[];
}

/** Provenance headers a dead-letter record carries (decimal text for partition and offset). */
export const DLQ_SOURCE_TOPIC_HEADER = 'faultline.source.topic';
export const DLQ_SOURCE_PARTITION_HEADER = 'faultline.source.partition';
export const DLQ_SOURCE_OFFSET_HEADER = 'faultline.source.offset';
export const DLQ_ERROR_HEADER = 'faultline.error';

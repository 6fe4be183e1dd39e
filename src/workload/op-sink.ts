import type { JournalRecord } from '../history/operation.js';

/** Where workloads write their operations: the run's journal (or anything with the same two calls). */
export interface OpSink {
  append(record: JournalRecord): void;
  /** The run's clock: ms since the run started. */
  elapsedMs(): number;
}

/** A sink that keeps records in memory (tests, library users without a run directory). */
export class MemorySink implements OpSink {
  readonly records: JournalRecord[] = [];
  private readonly startedAt = performance.now();
  append(record: JournalRecord): void {
    this.records.push(record);
  }
  elapsedMs(): number {
    return performance.now() - this.startedAt;
  }
}

import type { ReadBackRecord } from '../history/operation.js';
import { countText } from './checker.js';

/** Read fail/info messages kept for the report. */
const MAX_READ_PROBLEMS = 10;

/**
 * What the history shows about the read-back: whether there was one, and whether one reached the end
 * offsets of every partition (a `read-back` record with every partition `reachedEnd`). Order-independent.
 */
export class ReadBackEvidence {
  /** A read op or read-back record was seen. */
  private seen = false;
  /** A read fail/info, or a read-back record with a partition short of its end. */
  private stoppedShort = false;
  /** Partitions of the widest complete read-back; 0 when none was complete. */
  private completePartitions = 0;
  readonly problems: string[] = [];

  noteReadOp(): void {
    this.seen = true;
  }

  /** A read fail/info: the read-back did not finish. */
  noteReadProblem(message: string): void {
    this.seen = true;
    this.stoppedShort = true;
    if (this.problems.length < MAX_READ_PROBLEMS) this.problems.push(message);
  }

  noteRecord(record: ReadBackRecord): void {
    this.seen = true;
    const complete = record.partitions.length > 0 && record.partitions.every((p) => p.reachedEnd);
    if (complete) this.completePartitions = Math.max(this.completePartitions, record.partitions.length);
    else this.stoppedShort = true;
  }

  get any(): boolean {
    return this.seen;
  }

  /** Some read-back reached the end offsets of every partition it read. */
  get complete(): boolean {
    return this.completePartitions > 0;
  }

  /** Why the read-back is not complete evidence; null when it is. */
  incompleteWhy(): string | null {
    if (this.complete) return null;
    if (!this.seen) return 'no read-back in the history';
    if (this.stoppedShort) return 'the read-back did not reach the end offsets';
    return 'the read-back is not shown to reach the end offsets (no read-back record: a journal from before format 2, or a reader that stopped without writing one)';
  }

  /** The read-back half of an evidence sentence. */
  describe(recordsRead: number): string {
    if (this.complete) {
      return `read back to the end offsets of ${countText(this.completePartitions, 'partition')}: ${countText(recordsRead, 'record')}`;
    }
    if (!this.seen) return 'nothing read back';
    if (this.stoppedShort) return `read-back stopped before the end offsets (${countText(recordsRead, 'record')} read)`;
    return `read-back not shown complete (${countText(recordsRead, 'record')} read, no read-back record)`;
  }
}

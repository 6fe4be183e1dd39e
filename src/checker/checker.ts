import type { JournalRecord } from '../history/operation.js';
import type { OpLineView } from '../history/op-line-fast.js';
import type { OutLineView } from '../history/out-line-fast.js';

/**
 * A verdict: `true` (checked, no violation, with evidence), `false` (a violation), or `'unknown'`
 * (no violation found, but the history does not hold the evidence to say valid).
 */
export type Validity = true | false | 'unknown';

/** What every checker's result carries; checkers add their own fields. */
export interface CheckerResult {
  /** The checker's name: its key in a composed result. */
  readonly checker: string;
  readonly valid: Validity;
  /** One sentence: what the verdict rests on, e.g. "20,000 acknowledged values; read back to ...". */
  readonly evidence: string;
  /** Why the verdict is not `true`, one sentence each; empty when it is. */
  readonly reasons: readonly string[];
  /**
   * false: the history holds nothing this checker checks (the consumer checker on a run with no consumer
   * group). A composed verdict and its evidence leave such a result out; it stays in `checkers`. Default true.
   */
  readonly applicable?: boolean;
}

/**
 * A streaming checker: feed every journal record with `add` (any order unless the checker says
 * otherwise), then call `result()`. `addOpView` is an optional fast lane for the reader's decoded op
 * lines; it must give the same result as `add(view.toRecord())`. `addOutView` is the same for `out` lines.
 */
export interface Checker<R extends CheckerResult = CheckerResult> {
  readonly name: R['checker'];
  /** `lineNumber`: the record's journal line, when read from a file. */
  add(record: JournalRecord, lineNumber?: number): void;
  addOpView?(view: OpLineView): void;
  addOutView?(view: OutLineView): void;
  /** Optional: the journal's last line was cut by a crash (called before `result`). */
  noteTruncated?(): void;
  /** The result so far; can be called more than once. */
  result(): R;
}

/** false if any is false, else 'unknown' if any is unknown, else true (and 'unknown' for none at all). */
export function combineValidity(verdicts: Iterable<Validity>): Validity {
  let combined: Validity | null = null;
  for (const v of verdicts) {
    if (v === false) return false;
    if (v === 'unknown') combined = 'unknown';
    else combined ??= true;
  }
  return combined ?? 'unknown';
}

/** The word a report prints for a verdict. */
export function validityWord(valid: Validity): 'VALID' | 'INVALID' | 'UNKNOWN' {
  return valid === true ? 'VALID' : valid === false ? 'INVALID' : 'UNKNOWN';
}

/** A count in an evidence sentence: `20,000 records`, `1 record` (the plural adds an s). */
export function countText(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

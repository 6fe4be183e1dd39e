import { UsageError } from '../errors.js';
import type { JournalRecord } from '../history/operation.js';
import type { OpLineView } from '../history/op-line-fast.js';
import type { OutLineView } from '../history/out-line-fast.js';
import { combineValidity, type Checker, type CheckerResult, type Validity } from './checker.js';

/** The results of a list of checkers, keyed by checker name: `{ exact: ExactVerdict, ... }`. */
export type NamedResults<C extends readonly Checker[]> = { [K in C[number] as K['name']]: ReturnType<K['result']> };

/** Every checker's result, and the verdict they give together. */
export interface ComposedResult<M extends Record<string, CheckerResult> = Record<string, CheckerResult>> {
  /** false if any applicable checker says false, else 'unknown' if any says unknown, else true. */
  readonly valid: Validity;
  /** `<name>: <evidence>` of the checkers that decided `valid` (all of them when it is true), joined by '; '. */
  readonly evidence: string;
  readonly checkers: M;
}

/** Runs several checkers over one pass of the journal; has the reader's visitor shape (record, opView, outView). */
export class ComposedChecker<M extends Record<string, CheckerResult>> {
  private readonly all: readonly Checker[];
  private readonly fastLanes: ((view: OpLineView) => void)[] = [];
  private readonly slowLanes: Checker[] = [];
  private readonly outLanes: ((view: OutLineView) => void)[] = [];
  private readonly slowOutLanes: Checker[] = [];

  constructor(checkers: readonly Checker[]) {
    const names = new Set<string>();
    for (const c of checkers) {
      if (names.has(c.name)) throw new UsageError(`checkers: two are named '${c.name}'; names key the results and must differ`);
      names.add(c.name);
      if (c.addOpView !== undefined) this.fastLanes.push(c.addOpView.bind(c));
      else this.slowLanes.push(c);
      if (c.addOutView !== undefined) this.outLanes.push(c.addOutView.bind(c));
      else this.slowOutLanes.push(c);
    }
    this.all = checkers;
  }

  add(record: JournalRecord, lineNumber?: number): void {
    for (const c of this.all) c.add(record, lineNumber);
  }

  /** Tells the checkers that take it that the journal's last line was cut. */
  noteTruncated(): void {
    for (const c of this.all) c.noteTruncated?.();
  }

  /** Fast lane: checkers with their own take the view; the others get one record made from it. */
  addOpView(view: OpLineView): void {
    for (const lane of this.fastLanes) lane(view);
    if (this.slowLanes.length === 0) return;
    const record = view.toRecord();
    for (const c of this.slowLanes) c.add(record);
  }

  /** Out fast lane: checkers with their own take the view; the others get one record made from it. */
  addOutView(view: OutLineView): void {
    for (const lane of this.outLanes) lane(view);
    if (this.slowOutLanes.length === 0) return;
    const record = view.toRecord();
    for (const c of this.slowOutLanes) c.add(record);
  }

  result(): ComposedResult<M> {
    const results = this.all.map((c) => c.result());
    return composeResults(results) as ComposedResult<M>;
  }
}

/** Composes checkers with distinct names; `result().checkers.<name>` is each one's result. */
export function composeCheckers<C extends readonly Checker[]>(...checkers: C): ComposedChecker<NamedResults<C>> {
  return new ComposedChecker(checkers);
}

/** The composed verdict of results already computed; results with `applicable: false` do not take part in it. */
export function composeResults(results: readonly CheckerResult[]): ComposedResult {
  const applicable = results.filter((r) => r.applicable !== false);
  const valid = combineValidity(applicable.map((r) => r.valid));
  const deciding = valid === true ? applicable : applicable.filter((r) => r.valid === valid);
  return {
    valid,
    evidence: deciding.length === 0 ? 'no checkers ran' : deciding.map((r) => `${r.checker}: ${r.evidence}`).join('; '),
    checkers: Object.fromEntries(results.map((r) => [r.checker, r])),
  };
}

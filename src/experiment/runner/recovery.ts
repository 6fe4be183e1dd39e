import type { Checker, CheckerResult, Validity } from '../../checker/checker.js';
import type { EventRecord, JournalRecord, SampleRecord } from '../../history/operation.js';
import { RECOVERY_MEASURES, type Budgets, type RecoveryMeasure } from '../experiment.js';

/** The event the runner writes when the steady state holds again after the method. */
export const STEADY_STATE_RECOVERED_EVENT = 'steady-state-recovered';

/** Recovery times of one fault, in ms from the fault being in effect; null when it never happened in the run. */
export interface FaultRecovery {
  readonly faultId: string;
  readonly fault: string;
  readonly target: string;
  readonly atMs: number;
  readonly measures: Readonly<Record<RecoveryMeasure, number | null>>;
}

export interface RecoveryVerdict extends CheckerResult {
  readonly checker: 'recovery';
  readonly faults: readonly FaultRecovery[];
  readonly budgets: Budgets;
}

interface Tracking {
  readonly id: string;
  readonly fault: string;
  readonly target: string;
  readonly atMs: number;
  readonly measures: Record<RecoveryMeasure, number | null>;
  /** Leader and ISR size per partition from the last sample before the fault. */
  readonly before: Map<number, { leader: number | null; isr: number }>;
}

/**
 * Measures, per fault, how long the system took to notice and to recover (docs/experiments.md#recovery-times),
 * from the journal in order: fault-start events, samples (leader change, ISR shrink), rebalance events, sends,
 * probe records and the steady-state-recovered event; and checks them against the experiment's budgets.
 */
export class RecoveryChecker implements Checker<RecoveryVerdict> {
  readonly name = 'recovery';
  private readonly tracking: Tracking[] = [];
  private lastSample = new Map<number, { leader: number | null; isr: number }>();
  private readonly invokedAt = new Map<string, number>();

  constructor(private readonly budgets: Budgets = {}) {}

  add(record: JournalRecord): void {
    switch (record.kind) {
      case 'event':
        this.event(record);
        return;
      case 'sample':
        this.sample(record);
        return;
      case 'probe':
        if (record.ok && record.probe === 'round-trip') this.note('roundTripRecoveredMs', record.timeMs);
        if (record.ok && record.probe === 'consumer-group') this.note('lagRecoveredMs', record.timeMs);
        return;
      case 'op':
        if (record.f !== 'send') return;
        if (record.type === 'invoke' && this.tracking.length > 0) this.invokedAt.set(record.value, record.timeMs);
        if (record.type === 'ok') this.firstWrite(record.value, record.timeMs);
        return;
      default:
        return;
    }
  }

  private event(record: EventRecord): void {
    if (record.event === 'fault-start' && record.faultId !== undefined) {
      const tookMs = typeof record.detail?.['tookMs'] === 'number' ? record.detail['tookMs'] : null;
      const measures = Object.fromEntries(RECOVERY_MEASURES.map((m) => [m, null])) as Record<RecoveryMeasure, number | null>;
      measures.faultEffectiveMs = tookMs;
      this.tracking.push({ id: record.faultId, fault: record.fault ?? '', target: record.target ?? '', atMs: record.timeMs, measures, before: new Map(this.lastSample) });
    }
    if (record.event === 'rebalance') this.note('detectionMs', record.timeMs);
    if (record.event === STEADY_STATE_RECOVERED_EVENT) this.note('steadyStateRecoveredMs', record.timeMs);
  }

  private sample(record: SampleRecord): void {
    const now = new Map(record.partitions.map((p) => [p.partition, { leader: p.leader, isr: p.isr.length }]));
    for (const t of this.tracking) {
      if (t.measures.detectionMs !== null || record.timeMs < t.atMs) continue;
      const changed = [...now].some(([partition, v]) => {
        const was = t.before.get(partition);
        return was !== undefined && (was.leader !== v.leader || v.isr < was.isr);
      });
      if (changed) t.measures.detectionMs = record.timeMs - t.atMs;
    }
    this.lastSample = now;
  }

  private firstWrite(value: string, okMs: number): void {
    const invoked = this.invokedAt.get(value);
    if (invoked === undefined) return;
    this.invokedAt.delete(value);
    for (const t of this.tracking) if (t.measures.firstWriteMs === null && invoked >= t.atMs) t.measures.firstWriteMs = okMs - t.atMs;
  }

  /** The first time `measure` happened after each fault that has not got it yet. */
  private note(measure: RecoveryMeasure, timeMs: number): void {
    for (const t of this.tracking) if (t.measures[measure] === null && timeMs >= t.atMs) t.measures[measure] = timeMs - t.atMs;
  }

  result(): RecoveryVerdict {
    const faults = this.tracking.map((t) => ({ faultId: t.id, fault: t.fault, target: t.target, atMs: t.atMs, measures: { ...t.measures } }));
    const reasons = budgetViolations(faults, this.budgets);
    const budgeted = Object.keys(this.budgets).length;
    const valid: Validity = reasons.length > 0 ? false : budgeted === 0 || faults.length === 0 ? 'unknown' : true;
    const evidence = faults.length === 0 ? 'no fault in the run: nothing to recover from' : `${faults.length} fault(s); ${budgeted} budget(s) ${reasons.length === 0 ? 'met' : `broken ${reasons.length} time(s)`}`;
    return { checker: 'recovery', valid, evidence, reasons, faults, budgets: this.budgets, ...(budgeted === 0 ? { applicable: false } : {}) };
  }
}

/** One sentence per fault and budgeted measure that was over its budget or never happened. */
export function budgetViolations(faults: readonly FaultRecovery[], budgets: Budgets): string[] {
  const reasons: string[] = [];
  for (const fault of faults) {
    for (const measure of RECOVERY_MEASURES) {
      const budget = budgets[measure];
      if (budget === undefined) continue;
      const value = fault.measures[measure];
      if (value === null) reasons.push(`${fault.faultId} (${fault.fault} ${fault.target}): ${measure} never happened in the run (budget ${budget} ms)`);
      else if (value > budget) reasons.push(`${fault.faultId} (${fault.fault} ${fault.target}): ${measure} ${Math.round(value)} ms, over its budget of ${budget} ms`);
    }
  }
  return reasons;
}

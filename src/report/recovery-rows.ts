import { RECOVERY_MEASURES, type Budgets, type RecoveryMeasure } from '../experiment/experiment.js';
import type { FaultRecovery } from '../experiment/runner/recovery.js';
import { seconds } from './report-format.js';

/** What each recovery measure is called in the reports' tables and on the timeline (docs/experiments.md#recovery-times). */
export const RECOVERY_LABELS: Readonly<Record<RecoveryMeasure, string>> = {
  faultEffectiveMs: 'in effect',
  detectionMs: 'detected',
  firstWriteMs: 'first write',
  roundTripRecoveredMs: 'round trip',
  lagRecoveredMs: 'lag under tolerance',
  steadyStateRecoveredMs: 'steady state',
};

export interface RecoveryTable {
  headers: string[];
  rows: string[][];
}

function cell(ms: number | null, budgetMs: number | undefined): string {
  const text = ms === null ? 'never' : `+${seconds(ms)}`;
  return budgetMs !== undefined && (ms === null || ms > budgetMs) ? `${text} (over budget)` : text;
}

/**
 * One row per fault, one column per measure that happened after some fault or has a budget (ms after the fault
 * started); a budgeted column names its budget and a cell over it (or never reached) says so.
 */
export function recoveryTable(faults: readonly FaultRecovery[], budgets: Budgets = {}): RecoveryTable {
  const measures = RECOVERY_MEASURES.filter((m) => budgets[m] !== undefined || faults.some((f) => f.measures[m] !== null));
  if (measures.length === 0 || faults.length === 0) return { headers: [], rows: [] };
  const rows = faults.map((f) => [`${f.faultId} ${f.fault} ${f.target}`.trim(), seconds(f.atMs), ...measures.map((m) => cell(f.measures[m], budgets[m]))]);
  const header = (m: RecoveryMeasure): string => {
    const budget = budgets[m];
    return budget === undefined ? RECOVERY_LABELS[m] : `${RECOVERY_LABELS[m]} (budget ${seconds(budget)})`;
  };
  return { headers: ['fault', 'started', ...measures.map(header)], rows };
}

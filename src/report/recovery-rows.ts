import { RECOVERY_MEASURES, type RecoveryMeasure } from '../experiment/experiment.js';
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

/** One row per fault, one column per measure that happened after some fault (ms after the fault started). */
export function recoveryTable(faults: readonly FaultRecovery[]): RecoveryTable {
  const measures = RECOVERY_MEASURES.filter((m) => faults.some((f) => f.measures[m] !== null));
  if (measures.length === 0) return { headers: [], rows: [] };
  const rows = faults.map((f) => [`${f.faultId} ${f.fault} ${f.target}`.trim(), seconds(f.atMs), ...measures.map((m) => {
    const ms = f.measures[m];
    return ms === null ? 'never' : `+${seconds(ms)}`;
  })]);
  return { headers: ['fault', 'started', ...measures.map((m) => RECOVERY_LABELS[m])], rows };
}

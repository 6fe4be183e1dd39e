import type { ComposedResult } from '../../checker/compose.js';
import type { ProbeResult } from '../probes/index.js';
import type { RecoveryVerdict } from './recovery.js';
import type { StepRecord } from './steps.js';

/** completed: ran to the end; failed: the steady state did not hold before, or an error; aborted: a safeguard; interrupted: a signal. */
export type ExperimentStatus = 'completed' | 'failed' | 'aborted' | 'interrupted';

/** Exit codes of `faultline run`: 0 passed, 1 deviated, 2 bad input, 3 environment, 4 aborted (safeguard or signal). */
export const EXIT_DEVIATED = 1;
export const EXIT_ABORTED = 4;

export interface SteadyStateOutcome {
  readonly passed: boolean;
  readonly probes: readonly ProbeResult[];
  /** After the method: ms from the end of the method until every probe passed together; null when never. */
  readonly recoveredAfterMs?: number | null;
}

export interface ExperimentResult {
  readonly name: string;
  readonly title: string;
  readonly seed: number;
  readonly runDir: string | null;
  readonly status: ExperimentStatus;
  /** A probe, a checker or a budget failed: the system did not keep its promise. */
  readonly deviated: boolean;
  /** Why it stopped early: `safeguard <name>: <detail>` or `signal`; null when it did not. */
  readonly abortedBy: string | null;
  readonly steadyStateBefore: SteadyStateOutcome | null;
  readonly steadyStateAfter: SteadyStateOutcome | null;
  /** Failed results of probes that ran during the method (mode during / on-fault). */
  readonly duringFailures: number;
  readonly method: readonly StepRecord[];
  readonly rollbacks: readonly StepRecord[];
  /** Every checker over the run's journal (exact, availability, consumer, recovery with the budgets). */
  readonly checks: ComposedResult | null;
  readonly recovery: RecoveryVerdict | null;
  readonly notes: readonly string[];
  readonly error: string | null;
  readonly durationMs: number;
}

/** The exit code a result earns. */
export function experimentExitCode(result: ExperimentResult, environmentExit: number): number {
  if (result.status === 'aborted' || result.status === 'interrupted') return EXIT_ABORTED;
  if (result.error !== null && result.steadyStateBefore === null) return environmentExit;
  return result.deviated || result.status === 'failed' ? EXIT_DEVIATED : 0;
}

/** Why a completed run deviated, one sentence each (empty when it did not). */
export function deviations(result: Omit<ExperimentResult, 'deviated'>): string[] {
  const out: string[] = [];
  if (result.steadyStateBefore && !result.steadyStateBefore.passed) out.push('the steady state did not hold before the method');
  if (result.steadyStateAfter && !result.steadyStateAfter.passed) out.push('the steady state did not come back after the method');
  if (result.duringFailures > 0) out.push(`${result.duringFailures} probe result(s) failed during the method`);
  const failedProbeSteps = result.method.filter((s) => s.kind === 'probe' && (s.output as { ok?: boolean } | undefined)?.ok === false).length;
  if (failedProbeSteps > 0) out.push(`${failedProbeSteps} probe step(s) failed`);
  if (result.checks?.valid === false) out.push(`checks: ${result.checks.evidence}`);
  return out;
}

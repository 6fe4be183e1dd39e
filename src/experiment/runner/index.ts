/** The experiment runner: steady state -> method -> steady state, with rollbacks, safeguards and budgets. */
export { runExperiment, journalJson, DEFAULT_STEADY_STATE_TIMEOUT_MS, type RunExperimentOptions } from './run-experiment.js';
export { dryRunExperiment, type DryRunResult } from './dry-run.js';
export { abortActiveRun, ABORT_WAIT_MS, type AbortOutcome } from './abort.js';
export { experimentExitCode, EXIT_ABORTED, EXIT_DEVIATED, type ExperimentResult, type ExperimentStatus, type SteadyStateOutcome } from './experiment-result.js';
export { RecoveryChecker, budgetViolations, type FaultRecovery, type RecoveryVerdict } from './recovery.js';
export type { StepRecord } from './steps.js';
export { DEFAULT_PROGRESS_INTERVAL_MS, MIN_PROGRESS_INTERVAL_MS, MAX_PROGRESS_INTERVAL_MS, PROGRESS_RATE_WINDOW_MS, type ExperimentProgress, type ProgressStep } from './experiment-progress.js';
export type { ExperimentPhase } from './experiment-run.js';

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkJournalWith, runCheckers } from '../../checker/check-run.js';
import type { Run } from '../../history/run.js';
import { healAll } from '../../nemesis/heal.js';
import { assertSuiteMayReplaceCluster } from '../../runner/cluster-ownership.js';
import { UsageError } from '../../errors.js';
import { readBack } from '../../workload/read-back.js';
import { writeRunReports } from '../../report/write-reports.js';
import type { ExperimentVariant, Step } from '../experiment.js';
import type { ProbeSpec } from '../probes/index.js';
import type { BackgroundWorkloads } from './background-workloads.js';
import { startFreshCluster } from '../../runner/scenario-cluster.js';
import { attachedCluster } from '../../runner/attached-cluster.js';
import { deviations, type ExperimentResult, type SteadyStateOutcome } from './experiment-result.js';
import { ExperimentRun } from './experiment-run.js';
import { DEFAULT_PROGRESS_INTERVAL_MS, MAX_PROGRESS_INTERVAL_MS, MIN_PROGRESS_INTERVAL_MS, startProgress, type ExperimentProgress } from './experiment-progress.js';
import { runProbesOnce, waitForSteadyState, type ProbeRunner } from './probe-phase.js';
import { RecoveryChecker, STEADY_STATE_RECOVERED_EVENT } from './recovery.js';
import { ROLLBACK_STEP_PREFIX, runSteps, type StepContext, type StepRecord } from './steps.js';

export interface RunExperimentOptions {
  /** Folder the run directory is made in. */
  readonly runsRoot: string;
  /** Replace a live cluster this experiment did not start. */
  readonly replaceCluster?: boolean;
  readonly keepCluster?: boolean;
  /** Ctrl-C, `faultline abort`: the run stops, rollbacks and heal run, status interrupted. */
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  /**
   * Told what the run is doing (phase, step, sends, faults in effect, last probes) at once and every
   * `progressIntervalMs` until `runExperiment` settles; for a status display. Never called after it returns.
   */
  readonly onProgress?: (progress: ExperimentProgress) => void;
  /** MIN_PROGRESS_INTERVAL_MS..MAX_PROGRESS_INTERVAL_MS; default DEFAULT_PROGRESS_INTERVAL_MS. */
  readonly progressIntervalMs?: number;
}

/** How long the steady state may take to come back after the method when no budget says otherwise. */
export const DEFAULT_STEADY_STATE_TIMEOUT_MS = 60_000;
/** Bound on the read-back of each topic at the end. */
const READ_BACK_TIMEOUT_MS = 120_000;

const before = (p: ProbeSpec): boolean => p.mode === undefined || p.mode === 'before' || p.mode === 'edge';
const after = (p: ProbeSpec): boolean => p.mode === undefined || p.mode === 'after' || p.mode === 'edge';

/** Workloads a method step starts itself; the others run for the whole experiment. */
function startedBySteps(steps: readonly Step[]): Set<string> {
  const names = new Set<string>();
  for (const step of steps) {
    if (step.kind === 'start') names.add(step.workload);
    if (step.kind === 'repeat') for (const n of startedBySteps(step.steps)) names.add(n);
  }
  return names;
}

/**
 * Runs one experiment variant on a fresh local cluster: background workloads, the steady state before, the
 * method with its during-probes and safeguards, rollbacks (always), heal, the steady state after (and how long
 * it took to come back), read-back, every checker with the budgets; journal.json in the run directory.
 */
export async function runExperiment(variant: ExperimentVariant, options: RunExperimentOptions): Promise<ExperimentResult> {
  if (attachedCluster()) throw new UsageError('cluster: experiments on an attached cluster are not built (suites are: faultline suite DIR --yes); detach it or run on a cluster faultline installs');
  assertSuiteMayReplaceCluster(options.replaceCluster ?? false);
  const intervalMs = progressIntervalOf(options);
  const log = options.log ?? (() => undefined);
  const ctx = new ExperimentRun(variant, options.keepCluster ?? false, (line) => log(`[${variant.name}] ${line}`), options.signal);
  const stopProgress = options.onProgress ? startProgress(ctx, options.onProgress, intervalMs) : () => undefined;
  try {
    return await runVariant(ctx, options.runsRoot);
  } finally {
    stopProgress();
  }
}

function progressIntervalOf(options: RunExperimentOptions): number {
  const ms = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  if (!Number.isFinite(ms) || ms < MIN_PROGRESS_INTERVAL_MS || ms > MAX_PROGRESS_INTERVAL_MS) {
    throw new UsageError(`progressIntervalMs: expected ${MIN_PROGRESS_INTERVAL_MS}..${MAX_PROGRESS_INTERVAL_MS}, got ${ms}`);
  }
  return ms;
}

async function runVariant(ctx: ExperimentRun, runsRoot: string): Promise<ExperimentResult> {
  const started = performance.now();
  const partial: Partial<Mutable<ExperimentResult>> = { method: [], rollbacks: [], duringFailures: 0 };
  try {
    const cluster = await startFreshCluster(ctx.experiment.cluster, ctx.experiment.topics, ctx.log, ctx.abort.signal);
    const { run, workloads, probes } = ctx.open(runsRoot, cluster);
    partial.runDir = run.path;
    await runPhases(ctx, run, workloads, probes, partial);
    await finish(ctx, run, cluster.bootstrap, partial);
  } catch (error) {
    partial.error = error instanceof Error ? error.message : String(error);
    ctx.log(`error: ${partial.error}`);
  } finally {
    await ctx.dispose();
  }
  const result = assemble(ctx, partial, performance.now() - started);
  if (result.runDir !== null) await writeExperimentReports(result, result.runDir, ctx);
  return result;
}

/** report.html, junit.xml and report.md next to the journal, with the method and rollbacks as the steps table. */
async function writeExperimentReports(result: ExperimentResult, runDir: string, ctx: ExperimentRun): Promise<void> {
  const steps = [...result.method, ...result.rollbacks].map((s) => ({ name: s.name, status: s.status, startMs: s.startedAtMs, endMs: s.endedAtMs, ...(s.error !== undefined ? { detail: s.error } : {}) }));
  const topic = ctx.experiment.topics[0]?.name;
  await writeRunReports(runDir, { steps, title: result.title, ...(topic !== undefined ? { topic } : {}) }).catch((error: unknown) => ctx.notes.push(`reports: ${(error as Error).message}`));
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

async function runPhases(ctx: ExperimentRun, run: Run, workloads: BackgroundWorkloads, probes: ProbeRunner, partial: Partial<Mutable<ExperimentResult>>): Promise<void> {
  const e = ctx.experiment;
  const stepStarted = startedBySteps(e.method);
  for (const w of e.workloads) if (!stepStarted.has(w.name)) await workloads.start(w.name);
  ctx.phase = 'steady-state-before';
  const beforeResults = await runProbesOnce(probes, e.steadyState.filter(before), 'before');
  partial.steadyStateBefore = { passed: beforeResults.every((r) => r.ok), probes: beforeResults };
  const steps: StepContext = ctx.stepContext(run, workloads, probes, ctx.abort.signal);
  if (partial.steadyStateBefore.passed && !ctx.abort.signal.aborted) {
    ctx.phase = 'method';
    ctx.startLoops(probes);
    partial.method = await runSteps(e.method, steps);
    await Promise.all(steps.pendingHeals);
    await ctx.stopLoops();
  } else if (!partial.steadyStateBefore.passed) {
    ctx.notes.push('the steady state did not hold before the method: the method was not run');
  }
  partial.duringFailures = countDuringFailures(ctx);
  // Rollbacks always run, with a signal of their own: the run's may have fired.
  ctx.phase = 'rollbacks';
  partial.rollbacks = await runSteps(e.rollbacks, { ...steps, signal: new AbortController().signal }, ROLLBACK_STEP_PREFIX);
  await healAll({ events: run.events });
  ctx.phase = 'steady-state-after';
  if (partial.steadyStateBefore.passed) partial.steadyStateAfter = await steadyStateAfter(ctx, run, probes);
}

function countDuringFailures(ctx: ExperimentRun): number {
  const during = ctx.experiment.steadyState.filter((p) => p.mode === 'during' || p.mode === 'on-fault');
  return during.reduce((n, p) => n + ctx.memory.observations(p.name).filter((o) => o.failed === true).length, 0);
}

async function steadyStateAfter(ctx: ExperimentRun, run: Run, probes: ProbeRunner): Promise<SteadyStateOutcome> {
  const timeoutMs = ctx.experiment.budgets.steadyStateRecoveredMs ?? DEFAULT_STEADY_STATE_TIMEOUT_MS;
  const signal = ctx.interrupted ? ctx.abort.signal : new AbortController().signal;
  const wait = await waitForSteadyState(probes, ctx.experiment.steadyState.filter(after), 'after', timeoutMs, signal);
  if (wait.passed) run.events({ event: STEADY_STATE_RECOVERED_EVENT, detail: { afterMs: wait.recoveredAfterMs, rounds: wait.rounds } });
  return { passed: wait.passed, probes: wait.results, recoveredAfterMs: wait.recoveredAfterMs };
}

/** Stops the workloads, reads every topic back, closes the run and checks its journal; writes journal.json. */
async function finish(ctx: ExperimentRun, run: Run, bootstrap: string, partial: Partial<Mutable<ExperimentResult>>): Promise<void> {
  ctx.phase = 'checking';
  await ctx.quiesce();
  for (const topic of ctx.experiment.topics) {
    const read = await readBack({ bootstrap, topic: topic.name, sink: run, timeoutMs: READ_BACK_TIMEOUT_MS });
    if (!read.complete) ctx.notes.push(`the read-back of ${topic.name} did not reach the end offsets`);
  }
  await run.close();
  const topic = ctx.experiment.topics[0]?.name;
  const consumerGroup = ctx.experiment.workloads.some((w) => w.kind === 'consumer-group');
  const check = await checkJournalWith(run.historyPath, [...runCheckers({ consumerGroup, ...(topic === undefined ? {} : { topic }) }), new RecoveryChecker(ctx.experiment.budgets)]);
  partial.checks = { valid: check.valid, evidence: check.evidence, checkers: check.checkers };
  partial.recovery = check.checkers.recovery;
}

function assemble(ctx: ExperimentRun, partial: Partial<Mutable<ExperimentResult>>, durationMs: number): ExperimentResult {
  const status = ctx.interrupted ? 'interrupted' : ctx.abortedBy !== null ? 'aborted' : partial.error !== undefined || partial.steadyStateBefore?.passed === false ? 'failed' : 'completed';
  const base = {
    name: ctx.variant.name,
    title: ctx.experiment.title,
    seed: ctx.experiment.seed,
    runDir: partial.runDir ?? null,
    status,
    abortedBy: ctx.abortedBy,
    steadyStateBefore: partial.steadyStateBefore ?? null,
    steadyStateAfter: partial.steadyStateAfter ?? null,
    duringFailures: partial.duringFailures ?? 0,
    method: partial.method ?? [],
    rollbacks: partial.rollbacks ?? [],
    checks: partial.checks ?? null,
    recovery: partial.recovery ?? null,
    notes: ctx.notes,
    error: partial.error ?? null,
    durationMs: Math.round(durationMs),
  } as const;
  const reasons = deviations(base);
  const result: ExperimentResult = { ...base, deviated: reasons.length > 0, notes: [...ctx.notes, ...reasons.map((r) => `deviated: ${r}`)] };
  if (result.runDir !== null) writeFileSync(join(result.runDir, 'journal.json'), JSON.stringify(journalJson(result), null, 2) + '\n');
  return result;
}

/** journal.json: a superset of Chaos Toolkit's journal (status, deviated, steady states, every step and rollback). */
export function journalJson(result: ExperimentResult): Record<string, unknown> {
  const step = (s: StepRecord) => ({ name: s.name, kind: s.kind, status: s.status, start: s.startedAtMs, end: s.endedAtMs, duration: s.endedAtMs - s.startedAtMs, ...(s.output !== undefined ? { output: s.output } : {}), ...(s.error !== undefined ? { error: s.error } : {}) });
  return {
    experiment: { title: result.title, name: result.name, seed: result.seed },
    status: result.status,
    deviated: result.deviated,
    abortedBy: result.abortedBy,
    steady_states: { before: result.steadyStateBefore, during: { failures: result.duringFailures }, after: result.steadyStateAfter },
    run: result.method.map(step),
    rollbacks: result.rollbacks.map(step),
    checks: result.checks,
    recovery: result.recovery,
    notes: result.notes,
    error: result.error,
    duration: result.durationMs,
  };
}

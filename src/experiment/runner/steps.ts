import { FaultlineError } from '../../errors.js';
import type { Run } from '../../history/run.js';
import { healAll, healFault } from '../../nemesis/heal.js';
import { injectFault } from '../../nemesis/inject.js';
import type { ProbeSpec } from '../probes/index.js';
import type { FaultStep, RandomStep, RepeatStep, Step } from '../experiment.js';
import { planRandomSchedule } from '../random-schedule.js';
import type { BackgroundWorkloads } from './background-workloads.js';
import { runClusterAction } from './cluster-actions.js';
import { abortableSleep, runProbesOnce, type ProbeRunner } from './probe-phase.js';

/** What one step did: the journal.json's step entries and the report's steps table. */
export interface StepRecord {
  readonly name: string;
  readonly kind: Step['kind'];
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly status: 'succeeded' | 'failed' | 'skipped';
  readonly output?: unknown;
  readonly error?: string;
}

/** Everything steps act on; one per experiment run. */
export interface StepContext {
  readonly run: Run;
  readonly workloads: BackgroundWorkloads;
  readonly probes: ProbeRunner;
  readonly seed: number;
  readonly signal: AbortSignal;
  /** Fault ids by the name of the step that injected them (for `heal: <step>`). */
  readonly faultsByStep: Map<string, string>;
  /** Heals scheduled by healAfterMs, awaited (or abandoned) at the end. */
  readonly pendingHeals: Promise<void>[];
  /** Probe failures in method steps deviate the run. */
  readonly failedProbes: ProbeSpec[];
  readonly log: (line: string) => void;
}

/** Prefixes of unnamed steps' names: method steps `3-wait`, rollbacks `rollback-1-heal`. */
export const METHOD_STEP_PREFIX = '';
export const ROLLBACK_STEP_PREFIX = 'rollback-';

/** A step's name in the journal: its own, else `<prefix><n>-<kind>` (n from 1). */
export function stepName(step: Step, index: number, prefix: string): string {
  return step.name ?? `${prefix}${index + 1}-${step.kind}`;
}

/** Runs steps in order; stops early (the rest 'skipped') when the signal fires. Never throws: a failed step is recorded. */
export async function runSteps(steps: readonly Step[], ctx: StepContext, prefix = METHOD_STEP_PREFIX): Promise<StepRecord[]> {
  const records: StepRecord[] = [];
  for (const [index, step] of steps.entries()) {
    const name = stepName(step, index, prefix);
    const startedAtMs = Math.round(ctx.run.elapsedMs());
    if (ctx.signal.aborted) {
      records.push({ name, kind: step.kind, startedAtMs, endedAtMs: startedAtMs, status: 'skipped' });
      continue;
    }
    ctx.run.events({ event: 'step-start', detail: { step: name, kind: step.kind } });
    try {
      const output = await runStep(step, name, ctx);
      records.push({ name, kind: step.kind, startedAtMs, endedAtMs: Math.round(ctx.run.elapsedMs()), status: 'succeeded', ...(output !== undefined ? { output } : {}) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ctx.log(`step ${name} failed: ${message}`);
      records.push({ name, kind: step.kind, startedAtMs, endedAtMs: Math.round(ctx.run.elapsedMs()), status: 'failed', error: message });
    }
    ctx.run.events({ event: 'step-end', detail: { step: name, kind: step.kind, status: records.at(-1)?.status } });
  }
  return records;
}

async function runStep(step: Step, name: string, ctx: StepContext): Promise<unknown> {
  switch (step.kind) {
    case 'fault':
      return faultStep(step, name, ctx);
    case 'heal':
      if (step.heal === 'all') return (await healAll({ events: ctx.run.events })).healed;
      return healNamed(step.heal.step, ctx);
    case 'wait':
      await abortableSleep(step.ms, ctx.signal);
      return undefined;
    case 'start':
      await ctx.workloads.start(step.workload);
      return undefined;
    case 'stop':
      await ctx.workloads.stop(step.workload);
      return undefined;
    case 'cluster':
      return runClusterAction(step, name, ctx.run.events, ctx.signal);
    case 'probe':
      return probeStep(step.probe, ctx);
    case 'repeat':
      return repeatStep(step, name, ctx);
    case 'random':
      return randomStep(step, name, ctx);
  }
}

async function faultStep(step: FaultStep, name: string, ctx: StepContext): Promise<unknown> {
  const result = await injectFault(step.fault, { events: ctx.run.events, seed: ctx.seed });
  ctx.faultsByStep.set(name, result.id);
  ctx.log(`${name}: ${result.kind} ${result.target} -> ${result.nodes.join(',')} (${result.id})`);
  if (step.healAfterMs !== undefined) {
    const healAfterMs = step.healAfterMs;
    ctx.pendingHeals.push(
      (async () => {
        await abortableSleep(healAfterMs, ctx.signal);
        if (!ctx.signal.aborted) await healFault(result.id, { events: ctx.run.events });
      })().catch((error: unknown) => ctx.log(`heal of ${result.id} failed: ${(error as Error).message}`)),
    );
  }
  return { id: result.id, kind: result.kind, target: result.target, nodes: result.nodes, tookMs: Math.round(result.tookMs * 10) / 10 };
}

async function healNamed(stepRef: string, ctx: StepContext): Promise<unknown> {
  const id = ctx.faultsByStep.get(stepRef);
  if (id === undefined) throw new FaultlineError(`heal: step ${stepRef} injected no fault (it did not run or failed)`);
  return (await healFault(id, { events: ctx.run.events })).healed;
}

async function probeStep(probe: ProbeSpec, ctx: StepContext): Promise<unknown> {
  const [result] = await runProbesOnce(ctx.probes, [probe], 'method');
  if (result !== undefined && !result.ok) ctx.failedProbes.push(probe);
  return result === undefined ? undefined : { ok: result.ok, value: result.value, detail: result.detail };
}

async function repeatStep(step: RepeatStep, name: string, ctx: StepContext): Promise<unknown> {
  const started = performance.now();
  const rounds = step.times ?? Number.MAX_SAFE_INTEGER;
  let round = 0;
  // Bounded: times is capped by the loader; forMs is checked between rounds.
  while (round < rounds && !ctx.signal.aborted && (step.forMs === undefined || performance.now() - started < step.forMs)) {
    const records = await runSteps(step.steps, ctx, `${name}.${round + 1}.`);
    round++;
    if (records.some((r) => r.status === 'failed')) throw new FaultlineError(`round ${round}: ${records.filter((r) => r.status === 'failed').map((r) => `${r.name}: ${r.error ?? ''}`).join('; ')}`);
    if (step.times === undefined && step.forMs === undefined) break;
  }
  return { rounds: round };
}

async function randomStep(step: RandomStep, name: string, ctx: StepContext): Promise<unknown> {
  const seed = step.schedule.seed ?? ctx.seed;
  const plan = planRandomSchedule(step.schedule, seed);
  ctx.run.events({ event: 'random-schedule', detail: { step: name, seed, plan: plan.map((p) => ({ atMs: p.atMs, healAtMs: p.healAtMs, fault: p.fault })) } });
  const started = performance.now();
  const fired: string[] = [];
  for (const planned of plan) {
    await abortableSleep(Math.max(0, planned.atMs - (performance.now() - started)), ctx.signal);
    if (ctx.signal.aborted) break;
    const result = await injectFault(planned.fault, { events: ctx.run.events, seed });
    fired.push(result.id);
    await abortableSleep(Math.max(0, planned.healAtMs - (performance.now() - started)), ctx.signal);
    await healFault(result.id, { events: ctx.run.events });
  }
  return { seed, planned: plan.length, fired };
}

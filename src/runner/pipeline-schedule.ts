import type { FaultEventSink } from '../history/active-run.js';
import type { JobControl, JobReadiness } from '../job/job-control.js';
import { fireJobFault } from '../job/job-fault-run.js';
import { isJobFaultRequest } from '../job/job-fault.js';
import { healFault } from '../nemesis/heal.js';
import { injectFault } from '../nemesis/inject.js';
import { isOutputCountTrigger, isSentFractionTrigger, type FaultTrigger, type ScheduledFault } from '../scenario/scenario.js';
import { sleep } from '../util/time.js';
import type { FaultSchedule } from './fault-schedule.js';

/** Triggers are checked this often. */
const TRIGGER_POLL_MS = 20;

export interface PipelineScheduleInput {
  readonly faults: readonly ScheduledFault[];
  /** Input sends in all (for sentFraction). */
  readonly totalSends: number;
  readonly sent: () => number;
  /** Output + DLQ records read so far (for outputCount). */
  readonly outputCount: () => number;
  readonly elapsedMs: () => number;
  readonly job: JobControl;
  readonly readiness: JobReadiness;
  readonly events: FaultEventSink;
  readonly seed: number;
  readonly log: (line: string) => void;
}

/** A pipeline's fault schedule: broker faults through the nemesis, job faults on the job; `ended()` stops it waiting. */
export interface PipelineSchedule extends FaultSchedule {
  /** Waits for the heals scheduled by healAfterMs, then heals every other fault fired (the end of the run's fault phase). */
  healRemaining(): Promise<void>;
  /** Resolves when every fault fired, or was given up after `workloadEnded()`. */
  allFired(): Promise<void>;
}

interface Fired {
  readonly record: FaultSchedule['fired'][number];
  heal: (() => Promise<void>) | null;
}

function triggerText(at: FaultTrigger, total: number): string {
  if (isSentFractionTrigger(at)) return `${Math.ceil(at.sentFraction * total)} input sends`;
  if (isOutputCountTrigger(at)) return `${at.outputCount} output records`;
  return `${at.afterMs} ms`;
}

/** Fires a pipeline scenario's faults in order at their triggers and heals those with healAfterMs on time. */
export function startPipelineSchedule(input: PipelineScheduleInput): PipelineSchedule {
  const fired: Fired[] = [];
  const records: FaultSchedule['fired'] = [];
  const problems: string[] = [];
  const heals: Promise<void>[] = [];
  // The input ended: faults not fired yet never will. Abandoned: scheduled heals stop waiting too.
  let workloadDone = false;
  let abandoned = false;
  // Functions, so the loops below see the flags change (they are set from outside them).
  const isWorkloadDone = (): boolean => workloadDone;
  const isAbandoned = (): boolean => abandoned;
  const reached = (at: FaultTrigger): boolean => {
    if (isSentFractionTrigger(at)) return input.sent() >= Math.ceil(at.sentFraction * input.totalSends);
    if (isOutputCountTrigger(at)) return input.outputCount() >= at.outputCount;
    return input.elapsedMs() >= at.afterMs;
  };
  const heal = async (entry: Fired): Promise<void> => {
    const undo = entry.heal;
    entry.heal = null;
    if (undo === null) return;
    try {
      await undo();
      entry.record.healedAtMs = Math.round(input.elapsedMs());
      input.log(`healed ${entry.record.id}`);
    } catch (error) {
      problems.push(`heal of ${entry.record.id} failed: ${(error as Error).message}`);
    }
  };
  const fire = async (scheduled: ScheduledFault): Promise<Fired> => {
    const { fault } = scheduled;
    const atMs = Math.round(input.elapsedMs());
    if (isJobFaultRequest(fault)) {
      const done = await fireJobFault(input.job, fault, input.events, input.readiness, input.seed);
      return { record: { id: done.id, kind: done.kind, target: 'job', nodes: [input.job.name], atMs, healedAtMs: null }, heal: done.heal ?? null };
    }
    const result = await injectFault(fault, { events: input.events, seed: input.seed });
    return { record: { id: result.id, kind: result.kind, target: result.target, nodes: result.nodes, atMs, healedAtMs: null }, heal: async () => {
      await healFault(result.id, { events: input.events });
    } };
  };
  const firing = (async () => {
    for (const [index, scheduled] of input.faults.entries()) {
      while (!reached(scheduled.at) && !isWorkloadDone()) await sleep(TRIGGER_POLL_MS);
      if (!reached(scheduled.at)) {
        problems.push(`fault ${index + 1} (${scheduled.fault.kind}) never fired: the run ended before ${triggerText(scheduled.at, input.totalSends)}`);
        continue;
      }
      try {
        const entry = await fire(scheduled);
        fired.push(entry);
        records.push(entry.record);
        input.log(`${entry.record.kind} ${entry.record.target} -> ${entry.record.nodes.join(',')} at ${input.sent()}/${input.totalSends} sent, ${input.outputCount()} output`);
        const after = scheduled.healAfterMs;
        if (after === undefined || entry.heal === null) continue;
        const healAt = input.elapsedMs() + after;
        heals.push((async () => {
          while (input.elapsedMs() < healAt && !isAbandoned()) await sleep(TRIGGER_POLL_MS);
          if (!isAbandoned()) await heal(entry);
        })());
      } catch (error) {
        problems.push(`fault ${index + 1} (${scheduled.fault.kind}) failed: ${(error as Error).message}`);
      }
    }
  })();
  return {
    fired: records,
    problems,
    workloadEnded: () => {
      workloadDone = true;
    },
    finished: async () => {
      await firing;
      await Promise.all(heals);
    },
    abandon: () => {
      workloadDone = true;
      abandoned = true;
    },
    allFired: () => firing,
    healRemaining: async () => {
      // Faults with healAfterMs heal on time (FaultSchedule.workloadEnded), and a timed heal under way (a node
      // restarting) finishes first, so heal-all does not race it; then the others heal.
      await Promise.all(heals);
      for (const entry of fired) await heal(entry);
    },
  };
}

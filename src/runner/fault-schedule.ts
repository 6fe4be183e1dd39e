import { healFault } from '../nemesis/heal.js';
import { injectFault } from '../nemesis/inject.js';
import type { FaultEventSink } from '../history/active-run.js';
import { isOutputCountTrigger, isSentFractionTrigger, type ScheduledFault } from '../scenario/scenario.js';
import { isJobFaultRequest } from '../job/job-fault.js';
import { sleep } from '../util/time.js';
import type { ScenarioOutcome } from './scenario-result.js';

export interface FaultScheduleInput {
  readonly faults: readonly ScheduledFault[];
  /** All sends of the workload (count x producers), for sentFraction triggers. */
  readonly totalSends: number;
  /** Sends so far; polled. */
  readonly sent: () => number;
  /** The run's clock. */
  readonly elapsedMs: () => number;
  readonly events: FaultEventSink;
  readonly seed: number;
  readonly log: (line: string) => void;
  /** Confirms faults on an attached cluster (the run was given --yes). */
  readonly confirmed?: boolean;
}

export interface FaultSchedule {
  /** Faults as fired, with their heal times filled in as they heal. */
  readonly fired: ScenarioOutcome['faults'];
  /** Faults that did not fire or heal, one sentence each. */
  readonly problems: string[];
  /** The workload ended: faults not yet fired never will; scheduled heals still run on time. */
  workloadEnded(): void;
  /** Resolves when every fault fired (or was skipped) and every scheduled heal ran. */
  finished(): Promise<void>;
  /** Abandon: scheduled heals stop waiting (the caller heals everything itself). */
  abandon(): void;
}

/** Fires a scenario's faults in order at their triggers, and heals those with healAfterMs on time. */
export function startFaultSchedule(input: FaultScheduleInput): FaultSchedule {
  const fired: ScenarioOutcome['faults'] = [];
  const problems: string[] = [];
  const heals: Promise<void>[] = [];
  let workloadDone = false;
  let abandoned = false;
  const isAbandoned = (): boolean => abandoned;
  // Waits in slices, so an ended workload cancels faults not fired yet and an abandoned run cancels heals.
  const waitUntil = async (reached: () => boolean, stop: () => boolean) => {
    while (!reached() && !stop()) await sleep(10);
    return reached();
  };
  const firing = (async () => {
    for (const [index, scheduled] of input.faults.entries()) {
      const { at, fault } = scheduled;
      // The loader admits output counts and job faults in pipeline scenarios only (scenario-pipeline.ts runs those).
      if (isOutputCountTrigger(at) || isJobFaultRequest(fault)) {
        problems.push(`fault ${index + 1} (${fault.kind}) is for pipeline scenarios only`);
        continue;
      }
      const reached = isSentFractionTrigger(at)
        ? await waitUntil(() => input.sent() >= Math.ceil(at.sentFraction * input.totalSends), () => workloadDone)
        : await waitUntil(() => input.elapsedMs() >= at.afterMs, () => workloadDone);
      if (!reached) {
        problems.push(`fault ${index + 1} never fired: the workload ended before ${isSentFractionTrigger(at) ? `${Math.ceil(at.sentFraction * input.totalSends)} sends` : `${at.afterMs} ms`}`);
        continue;
      }
      try {
        const result = await injectFault(fault, { events: input.events, seed: input.seed, confirmed: input.confirmed === true });
        const record = { id: result.id, kind: result.kind, target: result.target, nodes: result.nodes, atMs: Math.round(input.elapsedMs()), healedAtMs: null as number | null };
        fired.push(record);
        input.log(`${result.kind} ${result.target} -> ${result.nodes.join(',')} at ${input.sent()}/${input.totalSends} sent`);
        if (scheduled.healAfterMs === undefined) continue;
        const healAt = input.elapsedMs() + scheduled.healAfterMs;
        heals.push(
          (async () => {
            await waitUntil(() => input.elapsedMs() >= healAt, isAbandoned);
            if (isAbandoned()) return;
            await healFault(result.id, { events: input.events });
            record.healedAtMs = Math.round(input.elapsedMs());
            input.log(`healed ${result.id}`);
          })().catch((error: unknown) => void problems.push(`heal of ${result.id} failed: ${(error as Error).message}`)),
        );
      } catch (error) {
        problems.push(`fault ${index + 1} (${scheduled.fault.kind}) failed: ${(error as Error).message}`);
      }
    }
  })();
  return {
    fired,
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
  };
}

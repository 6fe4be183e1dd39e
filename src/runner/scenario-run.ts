import type { AvailabilityVerdict } from '../checker/availability.js';
import type { WindowVerdict } from '../checker/window-types.js';
import type { QueueVerdict } from '../checker/queue-verdict.js';
import type { PipelineVerdict } from '../checker/pipeline-verdict.js';
import type { PipelineRecovery } from '../checker/pipeline-recovery.js';
import type { ExactVerdict } from '../checker/verdict.js';
import { Run, type RunOptions } from '../history/run.js';
import type { RunMetaInput } from '../history/run-dir.js';
import { healAll } from '../nemesis/heal.js';
import { awaitLingeringDisconnects } from '../workload/client-connect.js';

/** How long a scenario's end waits for client closes that outlived their bound (see awaitLingeringDisconnects). */
const LINGERING_CLOSE_TIMEOUT_MS = 60_000;
import type { Scenario } from '../scenario/scenario.js';
import type { FaultSchedule } from './fault-schedule.js';
import { stopScenarioCluster } from './scenario-cluster.js';
import { emptyRow, foreignFaultNotes, type ScenarioOutcome, type ScenarioRow } from './scenario-result.js';

/** The verdicts an outcome carries (absent when the scenario could not run, or the checker does not decide it). */
interface ScenarioVerdictsIn {
  readonly verdict?: ExactVerdict;
  readonly availability?: AvailabilityVerdict;
  readonly queue?: QueueVerdict;
  readonly pipeline?: PipelineVerdict;
  readonly recovery?: PipelineRecovery;
  readonly window?: WindowVerdict;
}

/** Anything running that must stop before the run closes. */
interface Stoppable {
  stop(): Promise<void>;
}

/**
 * One scenario while it runs: what its phases share (notes, the run, the fault schedule, the sampler)
 * and the cleanup they owe, in one place. `dispose()` stops the schedule and sampler, closes the run
 * (final fold of foreign events, marker cleared), heals every fault and tears the cluster down unless
 * kept; it never throws and may be called more than once.
 */
export class ScenarioRun {
  readonly notes: string[] = [];
  readonly log: (line: string) => void;
  private readonly startedMs = performance.now();
  private currentRun: Run | null = null;
  private sampler: Stoppable | null = null;
  /** Pipeline parts (the output reader, the job): stopped before the run closes, in reverse order of handing over. */
  private readonly parts: Stoppable[] = [];
  private schedule: FaultSchedule | null = null;
  private slowImpliedLost: number | null = null;
  private foreignNoted = false;

  constructor(readonly scenario: Scenario, private readonly keepCluster: boolean, log: (line: string) => void) {
    this.log = (line) => log(`[${scenario.name}] ${line}`);
  }

  get fired(): ScenarioOutcome['faults'] {
    return this.schedule?.fired ?? [];
  }

  get scheduleProblems(): readonly string[] {
    return this.schedule?.problems ?? [];
  }

  openRun(runsRoot: string, meta: RunMetaInput, options: RunOptions = {}): Run {
    this.currentRun = Run.create(runsRoot, meta, options);
    return this.currentRun;
  }

  /** Hands over a running sampler / fault schedule so dispose stops it whatever happens. */
  own(parts: { sampler?: Stoppable; schedule?: FaultSchedule; part?: Stoppable }): void {
    if (parts.sampler) this.sampler = parts.sampler;
    if (parts.schedule) this.schedule = parts.schedule;
    if (parts.part) this.parts.push(parts.part);
  }

  noteSlowProducer(impliedLost: number | null): void {
    this.slowImpliedLost = impliedLost;
  }

  /** Stops the sampler (idempotent); a stopped sampler writes nothing more into the run. */
  async stopSampler(): Promise<void> {
    const sampler = this.sampler;
    this.sampler = null;
    await sampler?.stop();
  }

  /** Closes the run: folds what other processes wrote to events.jsonl, notes their faults. Idempotent. */
  async closeRun(): Promise<void> {
    if (!this.currentRun) return;
    await this.currentRun.close();
    if (this.foreignNoted) return;
    this.foreignNoted = true;
    this.notes.push(...foreignFaultNotes(this.currentRun.foreignEvents));
  }

  /** The outcome of a scenario that ran: the exact verdict (producer workloads) or the queue verdict. */
  outcome(row: ScenarioRow, verdicts: ScenarioVerdictsIn): ScenarioOutcome {
    return this.outcomeWith(row, verdicts, null);
  }

  /** The outcome of a scenario that threw: the run is closed first so its notes are complete. */
  async failed(error: unknown): Promise<ScenarioOutcome> {
    const message = error instanceof Error ? error.message : String(error);
    this.log(`error: ${message}`);
    await this.stopActivity();
    await this.closeRun().catch(() => undefined);
    return this.outcomeWith(emptyRow(this.scenario, 'error'), {}, message);
  }

  async dispose(): Promise<void> {
    await this.stopActivity();
    await this.closeRun().catch(() => undefined);
    await healAll().catch(() => undefined);
    // Clients whose close outlived its bound finish while the (healed) cluster is still there: else their threads
    // wait for it forever and the process can never exit.
    const stuck = await awaitLingeringDisconnects(LINGERING_CLOSE_TIMEOUT_MS);
    if (stuck > 0) this.log(`${stuck} Kafka client(s) still closing after ${LINGERING_CLOSE_TIMEOUT_MS / 1000} s`);
    await stopScenarioCluster(this.keepCluster, this.scenario.workload.kind === 'pipeline' ? [] : [this.scenario.topic.name]);
  }

  private async stopActivity(): Promise<void> {
    this.schedule?.abandon();
    await this.stopSampler().catch(() => undefined);
    for (const part of this.parts.splice(0).reverse()) await part.stop().catch(() => undefined);
  }

  private outcomeWith(row: ScenarioRow, verdicts: ScenarioVerdictsIn, error: string | null): ScenarioOutcome {
    const { scenario } = this;
    return {
      name: scenario.name, title: scenario.title, runDir: this.currentRun?.path ?? null, row,
      verdict: verdicts.verdict ?? null, queueVerdict: verdicts.queue ?? null, pipelineVerdict: verdicts.pipeline ?? null, pipelineRecovery: verdicts.recovery ?? null, windowVerdict: verdicts.window?.applicable === false ? null : (verdicts.window ?? null), availability: verdicts.availability ?? null,
      faults: this.fired, slowProducerImpliedLost: this.slowImpliedLost, notes: [...this.notes], error, durationMs: performance.now() - this.startedMs,
    };
  }
}

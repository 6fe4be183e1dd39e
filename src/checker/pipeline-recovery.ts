import { JOB_EXIT_EVENT, JOB_START_EVENT, JOB_STATE_EVENT } from '../history/job-event.js';
import { jobFailureOf, type JobFailure } from './job-failure.js';
import type { EventRecord, JournalRecord, MetaRecord } from '../history/operation.js';
import { OUT_READER_LIVE } from '../history/output-record.js';
import { PIPELINE_INPUT_PROCESS, pipelineMetaOf } from '../history/pipeline-meta.js';
import { isJobFaultKind, jobFaultReplacesProcess } from '../job/job-fault.js';
import { parseIdText } from './pipeline-values.js';

/** The state a job reports once it processes (Kafka Streams' RUNNING); `jobRunningMs` waits for it. */
export const DEFAULT_JOB_READY_STATE = 'RUNNING';

/**
 * How a pipeline recovered from one fault (docs/pipelines.md, "Recovery times"). Times are ms from the fault's
 * `fault-start` event, rounded, never below 0; null when it did not happen in the run (or does not apply).
 */
export interface PipelineFaultRecovery {
  readonly faultId: string;
  readonly fault: string;
  readonly target: string;
  /** The fault-start event's time, ms since the run started. */
  readonly atMs: number;
  /** The fault's last fault-heal event, ms since the run started; null when it has none (job-update, job-cancel-recreate). */
  readonly healedAtMs: number | null;
  /** The job process up again: its next job-start (null for a fault that leaves the process running: job-pause, broker faults). */
  readonly jobUpMs: number | null;
  /** That process reported its ready state (job-state RUNNING). */
  readonly jobRunningMs: number | null;
  /**
   * The first output or dead-letter record the live reader got after the fault ended: after its heal (its start when it
   * has none) and, when the fault replaced the job process, after the new one reported its ready state (or started).
   */
  readonly firstOutputMs: number | null;
  /** The output and DLQ held every input acknowledged by the fault-start (0 when they already did then). */
  readonly caughtUpMs: number | null;
  /** Inputs acknowledged by the fault-start and not yet output then: what caughtUpMs waits for. */
  readonly pendingAtFault: number;
  /** Inputs acknowledged by the restart (the job up again; else the fault's end) and not yet output then. */
  readonly backlogAtRestart: number;
  /** Distinct inputs output for the first time per second, from the restart to caughtUp; null when there was nothing to catch up. */
  readonly catchUpRatePerSec: number | null;
}

export interface PipelineRecovery {
  /** One per fault-start event, in time order. */
  readonly faults: readonly PipelineFaultRecovery[];
  /** Every time the job exited on its own with an error, in time order (a checkpoint it could not write or read). */
  readonly jobFailures: readonly JobFailure[];
}

interface FaultPeriod {
  readonly faultId: string;
  readonly fault: string;
  readonly target: string;
  readonly atMs: number;
  /** The process a job-update or job-cancel-recreate started (its fault-start's `detail.newPid`). */
  readonly newPid: number | null;
}

interface JobStart {
  readonly timeMs: number;
  readonly pid: number | null;
  readonly instance: number | null;
}

interface JobReady {
  readonly timeMs: number;
  readonly instance: number | null;
}

/** An input id and when it was acknowledged or output. */
interface IdAt {
  readonly id: number;
  readonly timeMs: number;
}

const numberOr = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const byTime = (a: { timeMs: number }, b: { timeMs: number }): number => a.timeMs - b.timeMs;
const RATE_DECIMALS = 10;

/**
 * Collects what the recovery measures need from a pipeline run's journal, record by record in journal order
 * (the meta first, as journals have it), and measures when asked. Memory: two numbers per acknowledged input and
 * per live output record, and a few per fault and job event; the records themselves are not kept.
 */
export class PipelineRecoveryMeter {
  private topics: ReadonlySet<string> | null = null;
  private readonly periods = new Map<string, FaultPeriod>();
  /** fault-heal times by fault id (kept apart: a heal folded in from another process may come before its start). */
  private readonly heals = new Map<string, number[]>();
  private readonly starts: JobStart[] = [];
  private readonly failures: JobFailure[] = [];
  private readonly ready: JobReady[] = [];
  private readonly acks: IdAt[] = [];
  private readonly outs: IdAt[] = [];

  /** `readyState`: the job-state that counts as running (the scenario's job.readyState). */
  constructor(private readonly readyState: string = DEFAULT_JOB_READY_STATE) {}

  add(record: JournalRecord): void {
    if (record.kind === 'meta') this.meta(record);
    else if (record.kind === 'event') this.event(record);
    else if (record.kind === 'op' && record.f === 'send' && record.type === 'ok' && record.process === PIPELINE_INPUT_PROCESS) this.ack(record.value, record.timeMs);
    else if (record.kind === 'out' && record.reader === OUT_READER_LIVE && (this.topics === null || this.topics.has(record.topic))) this.outs.push({ id: parseIdText(record.value), timeMs: record.timeMs });
  }

  result(): PipelineRecovery {
    const timeline = new OutputTimeline(this.acks, this.outs);
    const starts = [...this.starts].sort(byTime);
    const ready = [...this.ready].sort(byTime);
    const periods = [...this.periods.values()].sort((a, b) => a.atMs - b.atMs);
    return { faults: periods.map((p) => faultRecovery(p, this.lastHeal(p), starts, ready, timeline)), jobFailures: [...this.failures].sort((a, b) => a.atMs - b.atMs) };
  }

  /** A fault ends at its last heal (a timed heal and the final heal-all may both journal one); null when never healed. */
  private lastHeal(period: FaultPeriod): number | null {
    const last = (this.heals.get(period.faultId) ?? []).reduce((latest, t) => (t >= period.atMs && t > latest ? t : latest), Number.NEGATIVE_INFINITY);
    return Number.isFinite(last) ? last : null;
  }

  private meta(record: MetaRecord): void {
    const meta = pipelineMetaOf(record);
    if (meta !== null && typeof meta !== 'string') this.topics = new Set([meta.outputTopic, meta.dlqTopic]);
  }

  private ack(value: string, timeMs: number): void {
    const id = parseIdText(value);
    if (id >= 0) this.acks.push({ id, timeMs });
  }

  private event(record: EventRecord): void {
    const detail = record.detail ?? {};
    if (record.event === 'fault-start' && record.faultId !== undefined && !this.periods.has(record.faultId)) {
      this.periods.set(record.faultId, { faultId: record.faultId, fault: record.fault ?? '', target: record.target ?? '', atMs: record.timeMs, newPid: numberOr(detail['newPid']) });
    } else if (record.event === 'fault-heal' && record.faultId !== undefined) {
      const heals = this.heals.get(record.faultId);
      if (heals === undefined) this.heals.set(record.faultId, [record.timeMs]);
      else heals.push(record.timeMs);
    } else if (record.event === JOB_START_EVENT) {
      this.starts.push({ timeMs: record.timeMs, pid: numberOr(detail['pid']), instance: numberOr(detail['instance']) });
    } else if (record.event === JOB_STATE_EVENT && detail['state'] === this.readyState) {
      this.ready.push({ timeMs: record.timeMs, instance: numberOr(detail['instance']) });
    } else if (record.event === JOB_EXIT_EVENT) {
      const failure = jobFailureOf(record.timeMs, detail);
      if (failure !== null) this.failures.push(failure);
    }
  }
}

/** The recovery measures of a whole journal (its records in journal order). */
export function measurePipelineRecovery(records: Iterable<JournalRecord>, readyState: string = DEFAULT_JOB_READY_STATE): PipelineRecovery {
  const meter = new PipelineRecoveryMeter(readyState);
  for (const record of records) meter.add(record);
  return meter.result();
}

/** How many of `sorted` (ascending) are at most `t`: a binary search. */
function countAtMost(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Acknowledged inputs against the output over time: each question is a binary search or one pass over the inputs. */
class OutputTimeline {
  /** Every live output record's time, ascending. */
  private readonly outTimes: number[];
  /** Per input id, when the live reader first got it (output or DLQ). */
  private readonly firstOut = new Map<number, number>();
  /** Those first times, ascending. */
  private readonly firstTimes: number[];
  private readonly acks: IdAt[];
  private readonly ackTimes: number[];
  /** acksCoveredAt[i]: when the output first held all of acks[0..i] (Infinity: never). */
  private readonly acksCoveredAt: number[] = [];

  constructor(acks: readonly IdAt[], outs: readonly IdAt[]) {
    const sortedOuts = [...outs].sort(byTime);
    this.outTimes = sortedOuts.map((o) => o.timeMs);
    for (const o of sortedOuts) if (o.id >= 0 && !this.firstOut.has(o.id)) this.firstOut.set(o.id, o.timeMs);
    this.firstTimes = [...this.firstOut.values()].sort((a, b) => a - b);
    this.acks = [...acks].sort(byTime);
    this.ackTimes = this.acks.map((a) => a.timeMs);
    let covered = Number.NEGATIVE_INFINITY;
    for (const ack of this.acks) {
      covered = Math.max(covered, this.firstOut.get(ack.id) ?? Number.POSITIVE_INFINITY);
      this.acksCoveredAt.push(covered);
    }
  }

  /** The first output record read after `t`; null when none was. */
  firstOutputAfter(t: number): number | null {
    return this.outTimes[countAtMost(this.outTimes, t)] ?? null;
  }

  /** When the output first held every input acknowledged by `t`: `t` when nothing was acknowledged; null: never in the run. */
  coveredAt(t: number): number | null {
    const n = countAtMost(this.ackTimes, t);
    if (n === 0) return t;
    const at = this.acksCoveredAt[n - 1] as number;
    return Number.isFinite(at) ? at : null;
  }

  /** Inputs acknowledged by `t` that the live reader had not got by `t`. */
  pendingAt(t: number): number {
    let pending = 0;
    for (const ack of this.acks) {
      if (ack.timeMs > t) break;
      if ((this.firstOut.get(ack.id) ?? Number.POSITIVE_INFINITY) > t) pending++;
    }
    return pending;
  }

  /** Distinct inputs first got in (from, to]. */
  firstOutputsBetween(from: number, to: number): number {
    return countAtMost(this.firstTimes, to) - countAtMost(this.firstTimes, from);
  }
}

/** The job process a fault replaced, if it replaces one: the one it names (newPid), else the next one started. */
function restartOf(period: FaultPeriod, starts: readonly JobStart[]): JobStart | null {
  if (!isJobFaultKind(period.fault) || !jobFaultReplacesProcess(period.fault)) return null;
  const named = period.newPid === null ? undefined : starts.find((s) => s.pid === period.newPid);
  return named ?? starts.find((s) => s.timeMs >= period.atMs) ?? null;
}

function faultRecovery(period: FaultPeriod, healedAtMs: number | null, starts: readonly JobStart[], ready: readonly JobReady[], timeline: OutputTimeline): PipelineFaultRecovery {
  const since = (t: number | null): number | null => (t === null ? null : Math.max(0, Math.round(t - period.atMs)));
  const start = restartOf(period, starts);
  const running = start === null ? undefined : ready.find((r) => r.timeMs >= start.timeMs && (r.instance === null || start.instance === null || r.instance === start.instance));
  const endMs = healedAtMs ?? period.atMs;
  const restartMs = start?.timeMs ?? endMs;
  // Output the old process committed and the reader got late is not new: a new process counts from its ready state.
  const newOutputFromMs = Math.max(endMs, running?.timeMs ?? restartMs);
  const caughtUpAt = timeline.coveredAt(period.atMs);
  const catching = caughtUpAt !== null && caughtUpAt > restartMs;
  const rate = catching ? timeline.firstOutputsBetween(restartMs, caughtUpAt) / ((caughtUpAt - restartMs) / 1000) : null;
  return {
    faultId: period.faultId, fault: period.fault, target: period.target, atMs: Math.round(period.atMs), healedAtMs: healedAtMs === null ? null : Math.round(healedAtMs),
    jobUpMs: since(start?.timeMs ?? null), jobRunningMs: since(running?.timeMs ?? null), firstOutputMs: since(timeline.firstOutputAfter(newOutputFromMs)), caughtUpMs: since(caughtUpAt),
    pendingAtFault: timeline.pendingAt(period.atMs), backlogAtRestart: timeline.pendingAt(restartMs),
    catchUpRatePerSec: rate === null ? null : Math.round(rate * RATE_DECIMALS) / RATE_DECIMALS,
  };
}

/**
 * Events the pipeline job harness writes (journal format 4, docs/pipelines.md): `event` records whose
 * `detail` is one of these. They are not nemesis events: the exact checker leaves them out of its faults
 * (`isJobEvent`). Job faults (job-kill, ...) are ordinary `fault-start` / `fault-heal` events.
 */

export const JOB_START_EVENT = 'job-start';
export const JOB_EXIT_EVENT = 'job-exit';
export const JOB_STATE_EVENT = 'job-state';
export const JOB_OFFSETS_EVENT = 'job-offsets';
export const JOB_PROGRESS_EVENT = 'job-progress';
const JOB_EVENTS: ReadonlySet<string> = new Set([JOB_START_EVENT, JOB_EXIT_EVENT, JOB_STATE_EVENT, JOB_OFFSETS_EVENT, JOB_PROGRESS_EVENT]);

/** True for the job harness's own events (job-start, job-exit, job-state, job-offsets, job-progress). */
export function isJobEvent(event: string): boolean {
  return JOB_EVENTS.has(event);
}

/** `detail` of `job-start`: a job process started. */
export interface JobStartDetail {
  /** The job's name in the scenario. */
  job: string;
  /** e.g. 'kafka-streams', 'command'. */
  engine: string;
  /** FAULTLINE_JOB_VERSION. */
  version: string;
  /** FAULTLINE_APP_ID: consumer group / application.id. */
  appId: string;
  pid: number;
  /** The job's parameters as passed (FAULTLINE_PARAM_<NAME>). */
  params: Record<string, string | number | boolean>;
}

/** `detail` of `job-exit`: a job process ended. */
export interface JobExitDetail {
  job: string;
  pid: number;
  /** Exit code; null when a signal ended it. */
  code: number | null;
  /** e.g. 'SIGKILL'; null when it exited by itself. */
  signal: string | null;
  /** The last lines the job printed (bounded). */
  tail: string;
}

/** `detail` of `job-state`: the job printed `FAULTLINE-STATE <state>`. */
export interface JobStateDetail {
  job: string;
  /** e.g. 'RUNNING', 'REBALANCING', 'ERROR'. */
  state: string;
}

/**
 * `detail` of `job-progress`: the job printed `FAULTLINE-PROGRESS query=<name> batch=<id> rows=<n> watermarkMs=<ms|->
 * lateDropped=<n> durationMs=<ms|->` after a micro-batch it completed (the Spark reference job does).
 */
export interface JobProgressDetail {
  job: string;
  /** Which start of the job printed it (1 for the first). */
  instance: number;
  query: string;
  batch: number;
  /** Input rows of the batch. */
  rows: number;
  /** The event-time watermark after the batch; null when the query has none. */
  watermarkMs: number | null;
  /** Rows the batch dropped as later than the watermark. */
  lateDropped: number;
  durationMs: number | null;
}

/** `detail` of `job-offsets`: the job group's committed input offsets when the run ends. */
export interface JobOffsetsDetail {
  job: string;
  group: string;
  /** The input topic. */
  topic: string;
  /** Committed offset (the next offset to consume) by partition number as decimal text; a partition without a commit is absent. */
  offsets: Record<string, number>;
}

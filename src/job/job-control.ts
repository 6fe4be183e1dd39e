import type { JobExit } from './job-process.js';
import type { FilledState } from './state-mount.js';
import type { JobParamValue, JobSpec } from './job-spec.js';

/** A change a `job-update` makes: new parameters (merged over the old) and/or a new version label. */
export interface JobUpdate {
  readonly params?: Readonly<Record<string, JobParamValue>>;
  readonly version?: string;
}

/** How an instance comes up: until it reports `readyState` when given, else once alive for settleMs. */
export interface JobReadiness {
  readonly readyState?: string;
  readonly settleMs: number;
  readonly timeoutMs: number;
}

/** A started instance, as the fault code sees it. */
export interface JobInstance {
  readonly pid: number;
}

/**
 * What job faults and the pipeline's fault schedule need of a job: the Job class, or a fake in unit tests.
 * Each method is the fault of the same name (docs/pipelines.md, "Faults on jobs").
 */
export interface JobControl {
  readonly spec: JobSpec;
  readonly name: string;
  /** The job's network namespace (job-partition cuts its links there). */
  readonly namespace: string;
  readonly running: boolean;
  readonly pid: number | undefined;
  /** Starts the job without waiting for it to be ready. */
  start(): JobInstance;
  startAndWait(ready: JobReadiness): Promise<JobInstance>;
  kill(): Promise<JobExit | undefined>;
  terminate(): Promise<JobExit | undefined>;
  pause(): void;
  resume(): void;
  update(change: JobUpdate): Promise<JobInstance>;
  cancelRecreate(): Promise<JobInstance>;
  /** Removes the local state directory (only while down); returns its path. */
  deleteState(): string;
  /**
   * Overwrites the newest state file whose path contains `pathPart` (the job must be down); says which and how big it
   * was, and `restore` writes its bytes back (the repair).
   */
  corruptState(pathPart?: string): CorruptedState;
  /** Fills the job's state storage (its tmpfs) while the job runs; `free` removes the fill (the repair). */
  fillState(): Promise<FilledStateStorage>;
}

export interface FilledStateStorage extends FilledState {
  /** Removes the fill file; whether there was one. */
  readonly free: () => boolean;
}

export interface CorruptedState {
  readonly corrupted: string;
  readonly sizeBytes: number;
  readonly restore: () => void;
}

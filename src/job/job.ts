import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FaultlineError } from '../errors.js';
import { JOB_EXIT_EVENT, JOB_PROGRESS_EVENT, JOB_START_EVENT, JOB_STATE_EVENT } from '../history/job-event.js';
import { jobMarker } from '../util/job-marker.js';
import { pollUntil } from '../util/time.js';
import { jobEnvironment } from './job-env.js';
import { createJobNetwork, removeJobNetwork, type JobNetwork } from './job-network.js';
import { JobProcess, killStragglers, type JobExit } from './job-process.js';
import { engineReportsBatches, type JobSpec } from './job-spec.js';
import { CORRUPT_CONTENT, newestStateFile } from './state-file.js';
import type { CorruptedState, FilledStateStorage, JobControl, JobReadiness, JobUpdate } from './job-control.js';
import { DEFAULT_JOB_STATE_SIZE_MB, fillJobState, freeJobState, mountJobState, unmountJobState } from './state-mount.js';

/** A graceful stop waits this long for the job to exit before SIGKILL. */
export const JOB_STOP_GRACE_MS = 30_000;

export type JobEventSink = (event: string, detail: Record<string, unknown>) => void;

export interface JobOptions {
  readonly spec: JobSpec;
  /** 1..JOB_SLOTS: the job's address on the cluster bridge. */
  readonly slot: number;
  readonly bootstrap: string;
  /** The job's working directory: its log, its state directories. */
  readonly dir: string;
  /** The command line for a spec (the engine's, or a command job's own). */
  readonly argv: (spec: JobSpec) => readonly string[];
  readonly events: JobEventSink;
}

/**
 * One job of a run and every instance of it: the owner of its processes, its namespace and its state directory.
 * Faults on jobs (kill, terminate, pause, update, cancel+recreate, state delete, corrupt and fill) are its methods.
 */
export class Job implements JobControl {
  private current: JobProcess | undefined;
  private instances = 0;
  private recreations = 0;
  private lastState = '';
  /** Whether the job reports its batches (FAULTLINE-PROGRESS): its engine does, or an instance has. */
  private reportsProgress: boolean;
  /** Whether the current instance reported progress since it started. */
  private progressSinceStart = false;

  private constructor(private readonly options: JobOptions, private readonly network: JobNetwork, private specNow: JobSpec) {
    this.reportsProgress = engineReportsBatches(specNow.engine);
  }

  /** Makes the job's directory, its state mount (a tmpfs of spec.stateSizeMb) and its namespace; starts nothing. */
  static async create(options: JobOptions): Promise<Job> {
    mkdirSync(options.dir, { recursive: true });
    const stateRoot = join(options.dir, 'state');
    await mountJobState(stateRoot, options.spec.stateSizeMb ?? DEFAULT_JOB_STATE_SIZE_MB);
    try {
      const network = await createJobNetwork(options.spec.name, options.slot);
      return new Job(options, network, options.spec);
    } catch (error) {
      await unmountJobState(stateRoot);
      throw error;
    }
  }

  get spec(): JobSpec {
    return this.specNow;
  }

  get name(): string {
    return this.specNow.name;
  }

  get address(): string {
    return this.network.address;
  }

  get namespace(): string {
    return this.network.namespace;
  }

  get running(): boolean {
    return this.current?.running === true;
  }

  get pid(): number | undefined {
    return this.current?.running === true ? this.current.pid : undefined;
  }

  /**
   * A job whose engine reports its batches (any instance printed FAULTLINE-PROGRESS) and whose running instance has
   * not reported one yet: it is still starting its first batch (Spark's first after a restart can take tens of seconds).
   */
  get awaitingFirstProgress(): boolean {
    return this.reportsProgress && this.running && !this.progressSinceStart;
  }

  /** The state reported last (`FAULTLINE-STATE` lines), '' before any. */
  get state(): string {
    return this.lastState;
  }

  /** The tmpfs every instance's state directory is on (one per app id). */
  get stateRoot(): string {
    return join(this.options.dir, 'state');
  }

  get stateDir(): string {
    return join(this.stateRoot, this.specNow.appId);
  }

  get logFile(): string {
    return join(this.options.dir, `job-${this.specNow.name}.log`);
  }

  private marker(): string {
    return jobMarker(this.specNow.name);
  }

  /** Starts an instance; refuses when one runs. */
  start(): JobProcess {
    if (this.running) throw new FaultlineError(`job ${this.name} is already running (pid ${this.current?.pid ?? '?'})`);
    mkdirSync(this.stateDir, { recursive: true });
    const spec = this.specNow;
    const argv = this.options.argv(spec);
    const instance = ++this.instances;
    this.lastState = '';
    this.progressSinceStart = false;
    const proc = JobProcess.start({
      namespace: this.network.namespace,
      argv,
      env: jobEnvironment(spec, { bootstrap: this.options.bootstrap, stateDir: this.stateDir, marker: this.marker() }),
      cwd: this.options.dir,
      logFile: this.logFile,
      marker: this.marker(),
      onState: (state) => {
        this.lastState = state;
        this.options.events(JOB_STATE_EVENT, { job: spec.name, instance, state });
      },
      onProgress: (progress) => {
        this.reportsProgress = true;
        if (this.current === proc) this.progressSinceStart = true;
        this.options.events(JOB_PROGRESS_EVENT, { job: spec.name, instance, ...progress });
      },
    });
    this.current = proc;
    this.options.events(JOB_START_EVENT, { job: spec.name, instance, engine: spec.engine, version: spec.version, appId: spec.appId, guarantee: spec.guarantee, pid: proc.pid, params: { ...spec.params }, argv: [...argv] });
    void proc.exited.then((exit) => this.options.events(JOB_EXIT_EVENT, { job: spec.name, instance, pid: proc.pid, code: exit.code, signal: exit.signal, tail: proc.tail() }));
    return proc;
  }

  /**
   * Starts an instance and waits until it is up: until it reports `readyState` when given, else until it has
   * stayed alive for settleMs. A job that exits first is an error showing its exit and the tail of its output.
   */
  async startAndWait(ready: JobReadiness): Promise<JobProcess> {
    const proc = this.start();
    const up = ready.readyState !== undefined ? await this.waitForState(ready.readyState, ready.timeoutMs) : (await this.waitForExit(ready.settleMs)) === undefined;
    if (up) return proc;
    const exit = proc.exitStatus;
    if (exit === undefined) {
      await proc.stop(JOB_STOP_GRACE_MS);
      throw new FaultlineError(`job ${this.name} did not report ${ready.readyState ?? 'ready'} within ${ready.timeoutMs} ms (stopped it); its output (${this.logFile}):\n${proc.tail()}`);
    }
    throw new FaultlineError(`job ${this.name} exited during start-up (${exitText(exit)}); its output (${this.logFile}):\n${proc.tail()}`);
  }

  /** Waits until the job reports `state` (e.g. RUNNING) or exits; false when it did neither within timeoutMs. */
  async waitForState(state: string, timeoutMs: number): Promise<boolean> {
    const seen = await pollUntil(() => (this.lastState === state ? true : this.running ? undefined : false), timeoutMs, 50);
    return seen === true;
  }

  /** The job's exit, or undefined when it still runs after timeoutMs. */
  async waitForExit(timeoutMs: number): Promise<JobExit | undefined> {
    const proc = this.current;
    if (proc === undefined) return undefined;
    return pollUntil(() => proc.exitStatus, timeoutMs, 50);
  }

  /** kill -9 of the job's processes (job-kill). */
  async kill(): Promise<JobExit | undefined> {
    return this.current?.stop(0);
  }

  /** A graceful stop (job-terminate): SIGTERM, SIGKILL after graceMs. */
  async terminate(graceMs = JOB_STOP_GRACE_MS): Promise<JobExit | undefined> {
    return this.current?.stop(graceMs);
  }

  /** SIGSTOP of the whole job (a stalled worker); resume() undoes it. */
  pause(): void {
    this.current?.signal('SIGSTOP');
  }

  resume(): void {
    this.current?.signal('SIGCONT');
  }

  /** The seed's update: graceful stop, start again with new parameters or version, same app id and state. */
  async update(change: JobUpdate, graceMs = JOB_STOP_GRACE_MS): Promise<JobProcess> {
    await this.terminate(graceMs);
    this.specNow = { ...this.specNow, params: { ...this.specNow.params, ...(change.params ?? {}) }, ...(change.version !== undefined ? { version: change.version } : {}) };
    return this.start();
  }

  /** The seed's accidental cancel: stop, then a new job with a new app id and no state (nothing shared). */
  async cancelRecreate(graceMs = JOB_STOP_GRACE_MS): Promise<JobProcess> {
    await this.terminate(graceMs);
    const base = this.options.spec.appId;
    this.specNow = { ...this.specNow, appId: `${base}-recreated-${++this.recreations}` };
    return this.start();
  }

  /** Removes the job's local state and temp storage; only while it is down. Returns the directory removed. */
  deleteState(): string {
    if (this.running) throw new FaultlineError(`job ${this.name}: state-delete needs the job down (stop or kill it first)`);
    rmSync(this.stateDir, { recursive: true, force: true });
    return this.stateDir;
  }

  corruptState(pathPart?: string): CorruptedState {
    if (this.running) throw new FaultlineError(`job ${this.name}: state-corrupt needs the job down (stop or kill it first)`);
    const file = newestStateFile(this.stateDir, pathPart);
    if (file === null) throw new FaultlineError(`job ${this.name}: no file under ${this.stateDir}${pathPart !== undefined ? ` whose path contains '${pathPart}'` : ''} to corrupt`);
    const original = readFileSync(file.path);
    writeFileSync(file.path, CORRUPT_CONTENT);
    return { corrupted: file.path, sizeBytes: file.sizeBytes, restore: () => writeFileSync(file.path, original) };
  }

  /** state-fill: the state mount filled while the job runs; its next checkpoint or state write fails (ENOSPC). */
  async fillState(): Promise<FilledStateStorage> {
    const root = this.stateRoot;
    const filled = await fillJobState(root);
    return { ...filled, free: () => freeJobState(root) };
  }

  /** Stops whatever runs (gracefully within graceMs), removes the namespace and the state mount (its contents with it). Idempotent. */
  async close(graceMs = JOB_STOP_GRACE_MS): Promise<void> {
    try {
      await this.current?.stop(graceMs);
      await killStragglers(this.marker(), graceMs);
    } finally {
      await removeJobNetwork(this.specNow.name);
      await unmountJobState(this.stateRoot);
    }
  }
}

function exitText(exit: JobExit): string {
  return exit.signal !== null ? `killed by ${exit.signal}` : `exit code ${exit.code ?? '?'}`;
}

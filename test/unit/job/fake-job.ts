import type { CorruptedState, FilledStateStorage, JobControl, JobInstance, JobReadiness, JobUpdate } from '../../../src/job/job-control.js';
import type { JobExit } from '../../../src/job/job-process.js';
import type { JobSpec } from '../../../src/job/job-spec.js';

const FAKE_JOB_SPEC: JobSpec = {
  name: 'j1', engine: 'command', command: ['true'], params: { allowFail: true }, guarantee: 'exactly-once',
  appId: 'faultline-t', version: 'v1', inputTopic: 'in', outputTopic: 'out', dlqTopic: 'dlq',
};

/**
 * A job without processes: each fault method records its call (`calls`), changes `running`, `pid` and `spec` as
 * the Job class does, and takes no time unless `delayMs` says so. `failStart` makes startAndWait throw.
 */
export class FakeJob implements JobControl {
  readonly calls: string[] = [];
  readonly readiness: JobReadiness[] = [];
  running = true;
  failStart = false;
  private nextPid = 100;
  private current: number | undefined = this.nextPid;
  private specNow: JobSpec;

  constructor(spec: JobSpec = FAKE_JOB_SPEC) {
    this.specNow = spec;
  }

  get spec(): JobSpec {
    return this.specNow;
  }

  get name(): string {
    return this.specNow.name;
  }

  get namespace(): string {
    return `fl-${this.specNow.name}`;
  }

  get pid(): number | undefined {
    return this.running ? this.current : undefined;
  }

  start(): JobInstance {
    this.calls.push('start');
    return this.launch();
  }

  private launch(): JobInstance {
    this.running = true;
    this.current = ++this.nextPid;
    return { pid: this.current };
  }

  private stop(signal: NodeJS.Signals): JobExit {
    this.running = false;
    return { code: null, signal };
  }

  async startAndWait(ready: JobReadiness): Promise<JobInstance> {
    this.calls.push('startAndWait');
    this.readiness.push(ready);
    await Promise.resolve();
    if (this.failStart) throw new Error('job j1 exited during start-up (exit code 1)');
    return this.launch();
  }

  async kill(): Promise<JobExit | undefined> {
    this.calls.push('kill');
    await Promise.resolve();
    return this.running ? this.stop('SIGKILL') : undefined;
  }

  async terminate(): Promise<JobExit | undefined> {
    this.calls.push('terminate');
    await Promise.resolve();
    return this.running ? this.stop('SIGTERM') : undefined;
  }

  pause(): void {
    this.calls.push('pause');
  }

  resume(): void {
    this.calls.push('resume');
  }

  async update(change: JobUpdate): Promise<JobInstance> {
    this.calls.push('update');
    await this.terminate();
    this.specNow = { ...this.specNow, params: { ...this.specNow.params, ...(change.params ?? {}) }, ...(change.version !== undefined ? { version: change.version } : {}) };
    return this.launch();
  }

  async cancelRecreate(): Promise<JobInstance> {
    this.calls.push('cancelRecreate');
    await this.terminate();
    this.specNow = { ...this.specNow, appId: `${this.specNow.appId}-recreated-1` };
    return this.launch();
  }

  deleteState(): string {
    this.calls.push('deleteState');
    if (this.running) throw new Error('state-delete needs the job down');
    return `/state/${this.specNow.appId}`;
  }

  corruptState(pathPart?: string): CorruptedState {
    this.calls.push('corruptState');
    if (this.running) throw new Error('state-corrupt needs the job down');
    return { corrupted: `/state/${this.specNow.appId}/${pathPart ?? ''}0`, sizeBytes: 10, restore: () => void this.calls.push('restore') };
  }

  /** `dieOfFill`: the job exits as the fill lands (as a job that cannot checkpoint does). */
  dieOfFill = false;

  async fillState(): Promise<FilledStateStorage> {
    this.calls.push('fillState');
    await Promise.resolve();
    if (this.dieOfFill) this.stop('SIGKILL');
    return { path: '/state/.faultline-fill', filledBytes: 4096, freeBytesAfter: 0, free: () => (this.calls.push('free'), true) };
  }
}

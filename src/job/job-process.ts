import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { FaultlineError } from '../errors.js';
import { findJobProcesses } from '../util/job-marker.js';
import { signalProcess } from '../util/process.js';
import { sleep } from '../util/time.js';
import { parseProgressLine, type ProgressLine } from './progress-line.js';

/** A line `FAULTLINE-STATE <STATE>` on a job's stdout reports its state (docs/pipelines.md). */
const STATE_LINE = /^FAULTLINE-STATE\s+([A-Za-z_-]{1,40})\s*$/;
/** How much of a job's log an error message or a job-exit event shows. */
const TAIL_BYTES = 16_384;
const TAIL_LINES = 12;
const EXIT_POLL_MS = 20;

export interface JobExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface JobProcessOptions {
  readonly namespace: string;
  readonly argv: readonly string[];
  readonly env: Record<string, string>;
  readonly cwd: string;
  readonly logFile: string;
  /** The job marker's value in env: finds every process the job started (a script's children too). */
  readonly marker: string;
  readonly onState: (state: string) => void;
  /** A `FAULTLINE-PROGRESS` line (a completed micro-batch). */
  readonly onProgress: (progress: ProgressLine) => void;
}

/** One running instance of a job: its own process group in its own namespace, output appended to its log. */
export class JobProcess {
  readonly pid: number;
  readonly exited: Promise<JobExit>;
  private exit: JobExit | undefined;

  private constructor(private readonly child: ChildProcess, private readonly options: JobProcessOptions) {
    if (child.pid === undefined) throw new FaultlineError(`could not start job command '${options.argv.join(' ')}' (see ${options.logFile})`);
    this.pid = child.pid;
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  static start(options: JobProcessOptions): JobProcess {
    appendFileSync(options.logFile, `--- faultline: starting ${options.argv.join(' ')} in ${options.namespace} at ${new Date().toISOString()}\n`);
    const child = spawn('ip', ['netns', 'exec', options.namespace, ...options.argv], {
      detached: true,
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.on('error', (error) => appendFileSync(options.logFile, `--- faultline: spawn failed: ${error.message}\n`));
    const job = new JobProcess(child, options);
    job.follow();
    return job;
  }

  private follow(): void {
    const { stdout, stderr } = this.child;
    if (stdout) {
      createInterface({ input: stdout, crlfDelay: Infinity }).on('line', (line) => {
        appendFileSync(this.options.logFile, `${line}\n`);
        const state = STATE_LINE.exec(line)?.[1];
        if (state !== undefined) this.options.onState(state.toUpperCase());
        const progress = parseProgressLine(line);
        if (progress !== undefined) this.options.onProgress(progress);
      });
    }
    stderr?.on('data', (chunk: Buffer) => appendFileSync(this.options.logFile, chunk));
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  get exitStatus(): JobExit | undefined {
    return this.exit;
  }

  /** Signals the job's whole process group (a script and what it started). */
  signal(signal: NodeJS.Signals): void {
    if (!this.running) return;
    if (!signalProcess(-this.pid, signal)) signalProcess(this.pid, signal);
  }

  /** SIGTERM (after SIGCONT: a paused job cannot handle it), SIGKILL after graceMs; then anything left with its marker. */
  async stop(graceMs: number): Promise<JobExit> {
    if (this.running && graceMs > 0) {
      this.signal('SIGCONT');
      this.signal('SIGTERM');
      await Promise.race([this.exited, sleep(graceMs)]);
    }
    if (this.running) this.signal('SIGKILL');
    const status = await this.exited;
    await killStragglers(this.options.marker, graceMs);
    return status;
  }

  tail(): string {
    return tailText(this.options.logFile);
  }
}

/** Processes a job left behind (started in another process group): killed, and waited for within boundMs. */
export async function killStragglers(marker: string, boundMs: number): Promise<number> {
  const pids = findJobProcesses(marker);
  for (const pid of pids) signalProcess(pid, 'SIGKILL');
  const deadline = Date.now() + Math.max(boundMs, 1000);
  while (findJobProcesses(marker).length > 0 && Date.now() < deadline) await sleep(EXIT_POLL_MS);
  return pids.length;
}

/** The last lines of a log, for errors and job-exit events. */
function tailText(path: string): string {
  try {
    const size = statSync(path).size;
    const text = readFileSync(path, 'utf8').slice(Math.max(0, size - TAIL_BYTES));
    return text.trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
  } catch {
    return '(no output)';
  }
}

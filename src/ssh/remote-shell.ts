import { performance } from 'node:perf_hooks';
import { FaultlineError, UsageError } from '../errors.js';
import { commandNotFound, isCommandNotFound } from './ssh-errors.js';
import { SSH_MAX_OUTPUT_BYTES, SSH_RUN_TIMEOUT_MS, type SshHost, type SshRunOptions, type SshRunResult } from './ssh-host.js';
import { FrameReader } from './shell-frame.js';
import { ShellProcess } from './shell-process.js';
import { commandScript, killArgv, newMarker } from './shell-script.js';
import { shellCommand } from './shell-quote.js';

/** Commands waiting or running in one host's shell; one more is refused. */
export const REMOTE_SHELL_MAX_PENDING = 32;
/** stdin travels base64-encoded through the shell's own input; larger bodies go through SshHost.run. */
export const REMOTE_SHELL_MAX_STDIN_BYTES = 1 << 20;
/** Bound on starting the shell over an open master (a channel, the login shell, sh's first answer). */
const REMOTE_SHELL_OPEN_TIMEOUT_MS = 10_000;
/** Attempts to (re)open the shell for one command before its error is given up to the caller. */
const REMOTE_SHELL_OPEN_ATTEMPTS = 2;
/** Bound on the out-of-band kill (a command over the master) of a shell whose command timed out. */
const REMOTE_SHELL_KILL_TIMEOUT_MS = 5_000;
/** After EOF or the remote kill, how long the ssh client may take to exit before SIGKILL. */
const REMOTE_SHELL_EXIT_GRACE_MS = 2_000;

interface Job {
  readonly argv: readonly string[];
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
  readonly stdin: string | undefined;
  readonly resolve: (result: SshRunResult) => void;
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
  /** The kill of the shell this job timed out in, awaited before the next command. */
  killing: Promise<void> | undefined;
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

function settle(job: Job, outcome: { result: SshRunResult } | { error: Error }): void {
  if (job.settled) return;
  job.settled = true;
  clearTimeout(job.timer);
  if ('result' in outcome) job.resolve(outcome.result);
  else job.reject(outcome.error);
}

/**
 * One long-lived POSIX sh per host over the host's SSH master (docs/ssh.md, "The persistent shell"): `run` has
 * SshHost.run's signature and results without a process spawned or a channel opened per command.
 * Commands run one at a time, in call order; the shell is started by the first `run` and after it died.
 */
export class RemoteShell {
  readonly host: SshHost;
  private shell: ShellProcess | undefined;
  private readonly queue: Job[] = [];
  private active: Job | undefined;
  private draining: Promise<void> | undefined;
  private closed = false;

  constructor(host: SshHost) {
    this.host = host;
  }

  /** The shell is running (it is started on demand; false after it died until the next run). */
  isOpen(): boolean {
    return this.shell !== undefined && !this.shell.isEnded;
  }

  /** The shell's pid on the host while it runs. */
  remotePid(): number | undefined {
    return this.isOpen() ? this.shell?.identity.pid : undefined;
  }

  /**
   * Runs argv on the host, like SshHost.run: resolves for any exit status (a command's 255 reads 254); throws a
   * FaultlineError on the timeout (the shell is then killed on the host, with the command), when the shell
   * ends during the command, for a command not found, and when REMOTE_SHELL_MAX_PENDING commands are pending.
   */
  run(argv: readonly string[], options: SshRunOptions = {}): Promise<SshRunResult> {
    try {
      const job = this.newJob(argv, options);
      this.queue.push(job.job);
      this.drain();
      return job.promise;
    } catch (error) {
      return Promise.reject(asError(error));
    }
  }

  private newJob(argv: readonly string[], options: SshRunOptions): { job: Job; promise: Promise<SshRunResult> } {
    shellCommand(argv); // an empty argv or a NUL: UsageError now, as SshHost
    const timeoutMs = options.timeoutMs ?? SSH_RUN_TIMEOUT_MS;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new UsageError(`timeoutMs: ${timeoutMs} must be above 0`);
    const stdinBytes = Buffer.byteLength(options.stdin ?? '');
    if (stdinBytes > REMOTE_SHELL_MAX_STDIN_BYTES) {
      throw new UsageError(`stdin: ${stdinBytes} bytes is above the persistent shell's ${REMOTE_SHELL_MAX_STDIN_BYTES} (SshHost.run takes more)`);
    }
    if (this.closed) throw new FaultlineError(`host ${this.host.target.host}: the persistent shell is closed`);
    const pending = this.queue.length + (this.active === undefined ? 0 : 1);
    if (pending >= REMOTE_SHELL_MAX_PENDING) {
      throw new FaultlineError(`host ${this.host.target.host}: ${pending} commands are pending in the persistent shell (at most ${REMOTE_SHELL_MAX_PENDING})`);
    }
    let job: Job | undefined;
    const promise = new Promise<SshRunResult>((resolve, reject) => {
      job = { argv, timeoutMs, maxOutputBytes: options.maxOutputBytes ?? SSH_MAX_OUTPUT_BYTES, stdin: options.stdin, resolve, reject, timer: undefined, settled: false, killing: undefined };
    });
    if (job === undefined) throw new Error('unreachable: the promise executor runs at once');
    const created = job;
    created.timer = setTimeout(() => this.onTimeout(created), timeoutMs);
    return { job: created, promise };
  }

  /** Starts the queue's consumer unless it runs; it runs again if a command came in while it finished. */
  private drain(): void {
    if (this.draining !== undefined) return;
    const consumed = this.consume().catch((error: unknown) => this.rejectQueued(asError(error)));
    this.draining = consumed.finally(() => {
      this.draining = undefined;
      if (this.queue.length > 0 && !this.closed) this.drain();
    });
  }

  /** Runs queued commands in order; the queue holds at most REMOTE_SHELL_MAX_PENDING, so the loop is bounded. */
  private async consume(): Promise<void> {
    for (let n = 0; n < REMOTE_SHELL_MAX_PENDING && this.queue.length > 0 && !this.closed; n += 1) {
      let shell: ShellProcess;
      try {
        shell = await this.ensureOpen();
      } catch (error) {
        this.rejectQueued(asError(error));
        return;
      }
      const job = this.queue.shift(); // none after a close during the open: close empties the queue
      if (job === undefined) return;
      await this.execute(shell, job);
    }
  }

  private async ensureOpen(): Promise<ShellProcess> {
    if (this.shell !== undefined && !this.shell.isEnded) return this.shell;
    this.shell = undefined;
    let lastError: unknown;
    for (let attempt = 1; attempt <= REMOTE_SHELL_OPEN_ATTEMPTS; attempt += 1) {
      try {
        await this.host.open();
        this.shell = await ShellProcess.open(this.host.target, REMOTE_SHELL_OPEN_TIMEOUT_MS);
        return this.shell;
      } catch (error) {
        lastError = error;
        if (error instanceof UsageError) break;
      }
    }
    throw lastError instanceof Error ? lastError : new FaultlineError(String(lastError));
  }

  private async execute(shell: ShellProcess, job: Job): Promise<void> {
    if (job.stdin !== undefined && job.stdin !== '' && !shell.identity.hasBase64) {
      settle(job, { error: new FaultlineError(`host ${this.host.target.host}: stdin through the persistent shell needs base64 on the host (SshHost.run does not)`) });
      return;
    }
    this.active = job;
    const marker = newMarker();
    const reader = new FrameReader(marker, job.maxOutputBytes);
    const started = performance.now();
    try {
      await shell.exchange(commandScript(job.argv, marker, job.stdin), reader);
      settle(job, this.outcome(job, reader, performance.now() - started));
    } catch (error) {
      settle(job, { error: new FaultlineError(`${asError(error).message} while '${job.argv[0] ?? ''}' ran`) });
    } finally {
      this.active = undefined;
      await job.killing;
    }
  }

  private outcome(job: Job, reader: FrameReader, ms: number): { result: SshRunResult } | { error: Error } {
    let frame;
    try {
      frame = reader.result();
    } catch (error) {
      this.killing(job);
      return { error: new FaultlineError(`host ${this.host.target.host}: ${asError(error).message}`) };
    }
    if (isCommandNotFound(frame.code, frame.stderr)) return { error: commandNotFound(this.host.target, job.argv[0] ?? '') };
    return { result: { ...frame, ms } };
  }

  /** A queued command's time ran out: it never started. A running one's: the shell is killed with it. */
  private onTimeout(job: Job): void {
    const command = `'${job.argv[0] ?? ''}'`;
    const index = this.queue.indexOf(job);
    if (index >= 0) {
      this.queue.splice(index, 1);
      const ahead = index + (this.active === undefined ? 0 : 1);
      settle(job, { error: new FaultlineError(`host ${this.host.target.host}: ${command} did not start within ${job.timeoutMs} ms (timeoutMs); ${ahead} commands were ahead of it`) });
      return;
    }
    settle(job, { error: new FaultlineError(`host ${this.host.target.host}: ${command} did not finish within ${job.timeoutMs} ms (timeoutMs)`) });
    if (this.active === job) this.killing(job);
  }

  /** Kills the current shell for `job` (once): the next command opens a new one. */
  private killing(job: Job): void {
    const shell = this.shell;
    this.shell = undefined;
    if (shell !== undefined && job.killing === undefined) job.killing = this.kill(shell);
  }

  /**
   * Kills the shell's process group on the host through a separate command over the master (the shell itself is
   * busy), then waits for the local ssh client, SIGKILLed after a grace period.
   */
  private async kill(shell: ShellProcess): Promise<void> {
    if (!shell.isEnded) {
      await this.host.run(killArgv(shell.identity), { timeoutMs: REMOTE_SHELL_KILL_TIMEOUT_MS }).catch(() => undefined);
    }
    await shell.stop(REMOTE_SHELL_EXIT_GRACE_MS);
  }

  private rejectQueued(error: Error): void {
    for (const job of this.queue.splice(0)) settle(job, { error });
  }

  /**
   * Ends the shell and refuses later commands. Queued commands fail; a running one fails and is killed on the
   * host; an idle shell reads EOF and exits, and when something of it still holds the channel after
   * REMOTE_SHELL_EXIT_GRACE_MS (a command's background child), its process group is killed on the host.
   * No process of it stays on either side, except what a command detached on purpose (setsid, as the undo's watchdog).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closedError = new FaultlineError(`host ${this.host.target.host}: the persistent shell was closed`);
    this.rejectQueued(closedError);
    const active = this.active;
    if (active !== undefined) {
      settle(active, { error: closedError });
      this.killing(active);
    }
    await this.draining;
    const shell = this.shell;
    this.shell = undefined;
    if (shell !== undefined && !(await shell.endInput(REMOTE_SHELL_EXIT_GRACE_MS))) await this.kill(shell);
  }
}

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { FaultlineError } from '../errors.js';
import { commandArgs } from './ssh-args.js';
import { SSH_FAILURE_EXIT, sshFailure } from './ssh-errors.js';
import { FrameReader } from './shell-frame.js';
import { identityScript, newMarker, parseIdentity, type ShellIdentity } from './shell-script.js';
import type { SshTarget } from './ssh-target.js';

/** The remote command: the login shell replaces itself with sh, which then reads commands from the channel. */
const REMOTE_SHELL_COMMAND = 'exec sh';
/** Of everything the shell wrote to stderr, the last this many bytes are kept for error messages. */
const STDERR_TAIL_BYTES = 2048;
/** Bound on the identity frame's output (a login shell's banner included). */
const IDENTITY_MAX_OUTPUT_BYTES = 64 * 1024;
/** After the ssh client's exit, how long its pipes may take to deliver their last bytes. */
const PIPE_DRAIN_MS = 500;

interface Exchange {
  readonly reader: FrameReader;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * One `ssh ... host 'exec sh'` over the host's master and the sh at its other end: writes a command's text,
 * feeds both output streams to the frame reader of the one command in flight, and notices the end of the shell.
 */
export class ShellProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly target: SshTarget;
  private current: Exchange | undefined;
  private stderrTail = Buffer.alloc(0);
  private exitCode: number | undefined;
  private readonly exited: Promise<void>;
  private identityValue: ShellIdentity | undefined;

  private constructor(target: SshTarget) {
    this.target = target;
    this.child = spawn('ssh', commandArgs(target, REMOTE_SHELL_COMMAND), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.feed(chunk, 'stdout'));
    this.child.stderr.on('data', (chunk: Buffer) => this.feed(chunk, 'stderr'));
    this.child.stdin.on('error', () => undefined); // a write after the shell ended: its exit reports it
    // An idle shell must not keep faultline's process alive (each command's own timer does while it runs); when
    // faultline exits, the shell reads the end of its input and ends too.
    this.child.unref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
    this.exited = this.watchExit();
  }

  /**
   * Settles once the ssh client has exited and its pipes have been read to their end, or PIPE_DRAIN_MS after
   * its exit (the master may hold pipes it was handed): ssh's last words on stderr are read before they are judged.
   */
  private watchExit(): Promise<void> {
    return new Promise((resolve) => {
      const finish = (code: number): void => { this.ended(code); resolve(); };
      const codeOf = (code: number | null, signal: NodeJS.Signals | null): number => code ?? (signal ? 128 : 1);
      this.child.on('close', (code, signal) => finish(codeOf(code, signal)));
      this.child.on('exit', (code, signal) => { setTimeout(() => finish(codeOf(code, signal)), PIPE_DRAIN_MS); });
      this.child.on('error', (error) => { this.keepStderr(Buffer.from(`cannot run ssh: ${error.message}`)); finish(1); });
    });
  }

  /** Starts the shell and reads its identity; bounded by timeoutMs. Throws the sorted ssh error on ssh's failure. */
  static async open(target: SshTarget, timeoutMs: number): Promise<ShellProcess> {
    const shell = new ShellProcess(target);
    const marker = newMarker();
    const reader = new FrameReader(marker, IDENTITY_MAX_OUTPUT_BYTES);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new FaultlineError(`host ${target.host}: the remote shell did not start within ${timeoutMs} ms (timeoutMs)`)), timeoutMs);
    });
    try {
      await Promise.race([shell.exchange(identityScript(marker), reader), timeout]);
      const identity = parseIdentity(reader.result().stdout);
      if (identity === undefined) throw new FaultlineError(`host ${target.host}: 'sh' on the host did not answer as a POSIX shell`);
      shell.identityValue = identity;
      return shell;
    } catch (error) {
      await shell.stop(0);
      throw shell.exitCode === SSH_FAILURE_EXIT ? sshFailure(target, shell.stderrText()) : error;
    } finally {
      clearTimeout(timer);
    }
  }

  get identity(): ShellIdentity {
    if (this.identityValue === undefined) throw new FaultlineError('the remote shell has not started');
    return this.identityValue;
  }

  get isEnded(): boolean {
    return this.exitCode !== undefined;
  }

  /** Why the shell is gone: its exit status and the end of its stderr. */
  endReason(): string {
    const tail = this.stderrText().trim();
    return `exit ${this.exitCode ?? '(none yet)'}${tail === '' ? '' : `: ${tail}`}`;
  }

  /** Writes one command; resolves when its frame is complete, rejects when the shell ends first. */
  exchange(text: string, reader: FrameReader): Promise<void> {
    if (this.isEnded) return Promise.reject(new FaultlineError(`host ${this.target.host}: the remote shell ended (${this.endReason()})`));
    if (this.current !== undefined) return Promise.reject(new FaultlineError('the remote shell runs one command at a time'));
    return new Promise((resolve, reject) => {
      this.current = { reader, resolve, reject };
      this.child.stdin.write(text);
    });
  }

  /**
   * EOF on the shell's input: an idle shell exits, and its ssh client once nothing on the host holds the channel
   * (a command's background child may). True when the client exited within waitMs.
   */
  async endInput(waitMs: number): Promise<boolean> {
    if (this.isEnded) return true;
    this.child.stdin.end();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), waitMs); });
    const ended = await Promise.race([this.exited.then(() => true), late]);
    clearTimeout(timer);
    return ended;
  }

  /** Ends the local ssh client: EOF, then SIGKILL after graceMs; settles once it has exited. */
  async stop(graceMs: number): Promise<void> {
    if (await this.endInput(graceMs)) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private feed(chunk: Buffer, stream: 'stdout' | 'stderr'): void {
    if (stream === 'stderr') this.keepStderr(chunk);
    const current = this.current;
    if (current === undefined) return; // output between frames (a command's background child): dropped
    if (stream === 'stdout') current.reader.pushStdout(chunk);
    else current.reader.pushStderr(chunk);
    if (!current.reader.complete()) return;
    this.current = undefined;
    current.resolve();
  }

  private keepStderr(chunk: Buffer): void {
    const joined = Buffer.concat([this.stderrTail, chunk]);
    this.stderrTail = joined.subarray(Math.max(0, joined.length - STDERR_TAIL_BYTES));
  }

  private stderrText(): string {
    return this.stderrTail.toString('utf8');
  }

  /**
   * The ssh client exited. The master may still hold the pipes it was handed: close them here, so nothing of
   * this shell stays open on this side.
   */
  private ended(code: number): void {
    if (this.exitCode !== undefined) return;
    this.exitCode = code;
    this.child.stdin.destroy();
    this.child.stdout.destroy();
    this.child.stderr.destroy();
    const current = this.current;
    this.current = undefined;
    current?.reject(new FaultlineError(`host ${this.target.host}: the remote shell ended (${this.endReason()})`));
  }
}

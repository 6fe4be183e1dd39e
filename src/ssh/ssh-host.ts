import { FaultlineError } from '../errors.js';
import { boundedExec } from './bounded-exec.js';
import { commandArgs, controlArgs } from './ssh-args.js';
import { commandNotFound, isCommandNotFound, SSH_FAILURE_EXIT, sshFailure } from './ssh-errors.js';
import { startMaster } from './ssh-master.js';
import { shellCommand } from './shell-quote.js';
import { checkKeyFile } from './key-file.js';
import { controlPathOf, validateTarget, type SshTarget } from './ssh-target.js';

/** Bound on opening the master: TCP connect, key exchange, authentication. */
const SSH_OPEN_TIMEOUT_MS = 15_000;
/** How long the master outlives its last use (ControlPersist), so later faultline processes reuse it. */
const SSH_PERSIST_SECONDS = 600;
/** Default bound on one remote command. */
export const SSH_RUN_TIMEOUT_MS = 30_000;
/** Bound on `ssh -O check|exit` (a local socket). */
const SSH_CONTROL_TIMEOUT_MS = 5_000;
/** Per stream; more is dropped (and `truncated` set). */
export const SSH_MAX_OUTPUT_BYTES = 1 << 20;

/**
 * Runs argv on the host, then maps an exit status of 255 to 254, so that 255 always means ssh's own failure.
 * `$0` is a fixed name; the arguments arrive as "$@", untouched by any shell.
 */
const REMOTE_WRAPPER = '"$@"; s=$?; [ "$s" -ne 255 ] || s=254; exit "$s"';

/** The remote command line that runs exactly argv under the wrapper. */
export function wrappedCommand(argv: readonly string[]): string {
  return shellCommand(['sh', '-c', REMOTE_WRAPPER, 'faultline-run', ...argv]);
}

export interface SshRunOptions {
  readonly timeoutMs?: number;
  readonly stdin?: string;
  readonly maxOutputBytes?: number;
}

export interface SshRunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly truncated: boolean;
}

/** One host reached through one multiplexed OpenSSH connection (see docs/ssh.md). */
export class SshHost {
  readonly target: SshTarget;

  constructor(target: SshTarget) {
    validateTarget(target);
    this.target = target;
  }

  /** Opens the master unless one (of this or another faultline process) already serves this host. */
  async open(timeoutMs = SSH_OPEN_TIMEOUT_MS): Promise<void> {
    if (this.target.keyFile !== undefined) checkKeyFile(this.target.keyFile);
    if (await this.isOpen()) return;
    await startMaster(this.target, timeoutMs, SSH_PERSIST_SECONDS);
    if (!(await this.isOpen())) {
      throw new FaultlineError(`host ${this.target.host}: the SSH master started but does not answer on ${controlPathOf(this.target)}`);
    }
  }

  /** The master answers on its socket. */
  async isOpen(): Promise<boolean> {
    const result = await boundedExec('ssh', controlArgs(this.target, 'check'), { timeoutMs: SSH_CONTROL_TIMEOUT_MS, maxOutputBytes: 4096 });
    return result.code === 0;
  }

  /**
   * Runs argv on the host (each element one argument, quoted here). Resolves for any exit status of the command;
   * throws a FaultlineError for ssh's own failure, a command not found, or the timeout.
   */
  async run(argv: readonly string[], options: SshRunOptions = {}): Promise<SshRunResult> {
    const timeoutMs = options.timeoutMs ?? SSH_RUN_TIMEOUT_MS;
    const result = await boundedExec('ssh', commandArgs(this.target, wrappedCommand(argv)), {
      timeoutMs,
      maxOutputBytes: options.maxOutputBytes ?? SSH_MAX_OUTPUT_BYTES,
      ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    });
    if (result.timedOut) {
      throw new FaultlineError(`host ${this.target.host}: '${argv[0] ?? ''}' did not finish within ${timeoutMs} ms (timeoutMs)`);
    }
    if (result.code === SSH_FAILURE_EXIT) throw sshFailure(this.target, result.stderr);
    if (isCommandNotFound(result.code, result.stderr)) throw commandNotFound(this.target, argv[0] ?? '');
    const { code, stdout, stderr, ms, truncated } = result;
    return { code, stdout, stderr, ms, truncated };
  }

  /** Ends the master (`ssh -O exit`); true when one was running. */
  async close(): Promise<boolean> {
    const result = await boundedExec('ssh', controlArgs(this.target, 'exit'), { timeoutMs: SSH_CONTROL_TIMEOUT_MS, maxOutputBytes: 4096 });
    return result.code === 0;
  }
}

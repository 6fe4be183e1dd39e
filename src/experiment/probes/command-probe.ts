import { spawn } from 'node:child_process';
import { FaultlineError } from '../../errors.js';
import type { CommandProbe } from './probe-spec.js';

/** Bounds on what a command probe keeps of its output. */
const MAX_COMMAND_STDOUT_BYTES = 1024 * 1024;
const STDERR_TAIL_BYTES = 2000;

interface CommandOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderrTail: string;
}

/** Kills the command's whole process group (it was started detached, so it leads one). */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Runs argv (no shell) to its end, within timeoutMs and MAX_COMMAND_STDOUT_BYTES of stdout. */
function runBounded(argv: readonly string[], timeoutMs: number): Promise<CommandOutcome> {
  const [command, ...args] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderrTail = '';
    let problem: string | undefined;
    const stop = (why: string): void => {
      problem ??= why;
      killGroup(child.pid);
    };
    const timer = setTimeout(() => stop(`timed out after ${timeoutMs} ms`), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_COMMAND_STDOUT_BYTES) stop(`wrote more than ${MAX_COMMAND_STDOUT_BYTES} bytes to stdout`);
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new FaultlineError(`cannot run ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (problem !== undefined) reject(new FaultlineError(`${argv.join(' ')}: ${problem}`));
      else resolve({ code: code ?? 128 + (signal === null ? 0 : 9), stdout: Buffer.concat(out).toString('utf8'), stderrTail: stderrTail.trim() });
    });
  });
}

/** The exit code of the command, or with `json: true` its stdout parsed as JSON (a non-zero exit is then an error). */
export async function measureCommand(spec: CommandProbe, timeoutMs: number): Promise<unknown> {
  const outcome = await runBounded(spec.command, timeoutMs);
  if (spec.json !== true) return outcome.code;
  if (outcome.code !== 0) throw new FaultlineError(`${spec.command.join(' ')} exited ${outcome.code}${outcome.stderrTail ? `: ${outcome.stderrTail}` : ''}`);
  try {
    return JSON.parse(outcome.stdout) as unknown;
  } catch (error) {
    throw new FaultlineError(`${spec.command.join(' ')}: stdout is not JSON (${(error as Error).message})`);
  }
}

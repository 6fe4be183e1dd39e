import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { FaultlineError } from '../errors.js';
import { masterArgs } from './ssh-args.js';
import { sshFailure } from './ssh-errors.js';
import { controlPathOf, knownHostsFileOf, type SshTarget } from './ssh-target.js';

/** Where the master's stderr goes: a file, never a pipe (the daemonized master keeps it open for its life). */
function masterLogOf(target: SshTarget): string {
  return `${controlPathOf(target)}.log`;
}

function waitForExit(child: ReturnType<typeof spawn>, timeoutMs: number): Promise<number | 'timeout'> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('timeout');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new FaultlineError(`cannot run ssh: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/**
 * Starts the host's master connection (`ssh -f -N`, ControlMaster=yes): resolves once it is authenticated and
 * in the background, throws the sorted ssh error otherwise. Bounded by timeoutMs (the handshake included).
 * The caller found no master answering: a socket file left by a killed master is removed first, or the new
 * master would find it taken, disable multiplexing and stay a plain connection nobody uses.
 */
export async function startMaster(target: SshTarget, timeoutMs: number, persistSeconds: number): Promise<void> {
  mkdirSync(dirname(controlPathOf(target)), { recursive: true, mode: 0o700 });
  rmSync(controlPathOf(target), { force: true });
  mkdirSync(dirname(knownHostsFileOf(target)), { recursive: true, mode: 0o700 });
  const log = masterLogOf(target);
  const fd = openSync(log, 'w', 0o600);
  let outcome: number | 'timeout';
  try {
    const child = spawn('ssh', masterArgs(target, persistSeconds), { stdio: ['ignore', 'ignore', fd] });
    outcome = await waitForExit(child, timeoutMs);
  } finally {
    closeSync(fd);
  }
  if (outcome === 0) return;
  if (outcome === 'timeout') {
    throw new FaultlineError(`host ${target.host}: no SSH connection within ${timeoutMs} ms (timeoutMs)`);
  }
  throw sshFailure(target, readFileSync(log, 'utf8'));
}

import { spawn } from 'node:child_process';
import { FaultlineError } from '../errors.js';
import { commandArgs } from './ssh-args.js';
import { wrappedCommand } from './ssh-host.js';
import type { RemoteRunner } from './shell-host.js';

/** Bound on one copy (the Kafka jars are ~55 MB). */
const COPY_TIMEOUT_MS = 300_000;
/** Kept of each side's stderr for the error message. */
const MAX_ERROR_BYTES = 4096;

/** Unpacks a tar stream on stdin into $1 (made if missing). */
const UNTAR_SCRIPT = 'mkdir -p "$1" && tar -C "$1" -xf -';

/**
 * Copies the contents of a local directory into `remoteDir` on the host: `tar` here piped into `tar` there, over
 * the host's master connection. The host needs nothing but tar (no internet, no rsync).
 */
export function copyTreeToHost(host: RemoteRunner, localDir: string, remoteDir: string, timeoutMs = COPY_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const pack = spawn('tar', ['-C', localDir, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const ssh = spawn('ssh', commandArgs(host.target, wrappedCommand(['sh', '-c', UNTAR_SCRIPT, 'faultline-copy', remoteDir])), { stdio: ['pipe', 'ignore', 'pipe'] });
    pack.stdout.pipe(ssh.stdin);
    let errors = '';
    const collect = (chunk: Buffer): void => void (errors = (errors + chunk.toString('utf8')).slice(-MAX_ERROR_BYTES));
    pack.stderr.on('data', collect);
    ssh.stderr.on('data', collect);
    const timer = setTimeout(() => {
      pack.kill('SIGKILL');
      ssh.kill('SIGKILL');
    }, timeoutMs);
    let packCode: number | null = null;
    pack.on('close', (code) => void (packCode = code));
    ssh.on('error', (error) => reject(new FaultlineError(`cannot run ssh: ${error.message}`)));
    ssh.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0 && packCode !== 1 && packCode !== 2) resolve();
      else reject(new FaultlineError(`host ${host.target.host}: copying ${localDir} to ${remoteDir} failed (tar ${packCode ?? 'killed'}, ssh ${code ?? 'killed'}): ${errors.trim()}`));
    });
  });
}

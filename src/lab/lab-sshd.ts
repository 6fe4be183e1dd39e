import { spawn, execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { FaultlineError } from '../errors.js';
import { sleep } from '../util/time.js';

export const SSHD_PATH = '/usr/sbin/sshd';
/** sshd's privilege separation directory (Debian's sshd.service creates it; a fresh machine without systemd has none). */
const SSHD_PRIVSEP_DIR = '/run/sshd';
/** Bound on a lab host's sshd accepting connections. */
const SSHD_START_TIMEOUT_MS = 10_000;
const SSHD_POLL_MS = 50;
/** Every lab host's processes carry this in their command line (the orphan sweep finds them by it). */
export const LAB_SSHD_MARKER = 'faultline-lab-sshd';

export function generateKey(path: string): void {
  if (existsSync(path)) return;
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'faultline-lab', '-f', path], { stdio: 'ignore' });
}

export function sshdConfig(dir: string, address: string, labDirPath: string): string {
  return [
    'Port 22', `ListenAddress ${address}`, `HostKey ${join(dir, 'host_key')}`, 'PidFile none',
    `AuthorizedKeysFile ${join(labDirPath, 'authorized_keys')}`, 'PermitRootLogin prohibit-password', 'PasswordAuthentication no',
    'KbdInteractiveAuthentication no', 'UsePAM no', 'StrictModes no', 'LogLevel ERROR', 'MaxStartups 100:30:200', 'MaxSessions 100',
    // Root's bash here sources ~/.bashrc for every ssh command (Debian's SSH_SOURCE_BASHRC), which takes seconds
    // (pyenv init); bash skips it when SHLVL says it is not the first shell. Real hosts keep their own rc files.
    'SetEnv SHLVL=1', '',
  ].join('\n');
}

export interface LabSshdSpec {
  readonly name: string;
  readonly namespace: string;
  readonly address: string;
  readonly dir: string;
  readonly remoteDir: string;
  readonly diskMb: number;
}

/** sshd refuses to start without its privilege separation directory, which a machine without systemd lacks. */
export function ensureSshdPrivsepDir(): void {
  mkdirSync(SSHD_PRIVSEP_DIR, { recursive: true, mode: 0o755 });
}

/**
 * Starts the host: in its network namespace, a new PID and mount namespace whose first process mounts the
 * host's own tmpfs at the remote directory and at /tmp, then becomes sshd. `--kill-child` ties the namespace's
 * life to the returned `unshare` pid.
 */
export function spawnLabSshd(spec: LabSshdSpec): number {
  ensureSshdPrivsepDir();
  const script = [
    `: ${LAB_SSHD_MARKER}-${spec.name}`,
    `hostname ${spec.name}`,
    `mount -t tmpfs -o size=${spec.diskMb}m ${spec.namespace} ${spec.remoteDir}`,
    `mount -t tmpfs -o size=${spec.diskMb}m ${spec.namespace}-tmp /tmp`,
    `exec ${SSHD_PATH} -D -e -f ${join(spec.dir, 'sshd_config')}`,
  ].join(' && ');
  const logFd = openSync(join(spec.dir, 'sshd.log'), 'a');
  try {
    const child = spawn('ip', ['netns', 'exec', spec.namespace, 'unshare', '--pid', '--uts', '--kill-child', '--mount-proc', '--propagation', 'private', '--', '/bin/sh', '-c', script], {
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
    if (child.pid === undefined) throw new FaultlineError(`lab host ${spec.name}: could not start its sshd`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(logFd);
  }
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1000, () => { socket.destroy(); done(false); });
    socket.once('connect', () => { socket.destroy(); done(true); });
    socket.once('error', () => done(false));
  });
}

function logText(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().slice(-2000) || '(empty log)';
  } catch {
    return '(no log)';
  }
}

export async function waitForLabSshd(spec: LabSshdSpec): Promise<void> {
  const deadline = Date.now() + SSHD_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await accepts(spec.address, 22)) return;
    await sleep(SSHD_POLL_MS);
  }
  throw new FaultlineError(`lab host ${spec.name}: sshd did not listen on ${spec.address}:22 within ${SSHD_START_TIMEOUT_MS} ms: ${logText(join(spec.dir, 'sshd.log'))}`);
}

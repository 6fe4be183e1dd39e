/**
 * A throwaway OpenSSH server on 127.0.0.1 at a free high port, for the ssh transport's tests and benchmark:
 * generated host and user keys in a temp dir, `sshd -D -f <config>` with its own pid file, killed by stop().
 * Needs root (sshd) and Debian's openssh-server (scripts/setup.sh installs it): without it this throws.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import type { SshTarget } from '../../../src/ssh/ssh-target.js';
import { ensureSshdPrivsepDir } from '../../../src/lab/lab-sshd.js';

const SSHD_PATH = '/usr/sbin/sshd';
const LOOPBACK = '127.0.0.1';
/** Bound on sshd starting to accept connections. */
const SSHD_START_TIMEOUT_MS = 10_000;
const SSHD_POLL_MS = 50;
/** Bound on sshd exiting after SIGTERM. */
const SSHD_STOP_TIMEOUT_MS = 5_000;

export interface LocalSshd {
  readonly dir: string;
  readonly port: number;
  /** root@127.0.0.1:port with the authorized key and the test's own known_hosts and control dir. */
  readonly target: SshTarget;
  /** A second generated key that the server does not accept. */
  readonly unauthorizedKeyFile: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((done) => server.listen(0, LOOPBACK, done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

function generateKey(path: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'faultline-test', '-f', path], { stdio: 'ignore' });
}

function sshdConfig(dir: string, port: number, extraLines: readonly string[]): string {
  return [
    `Port ${port}`, `ListenAddress ${LOOPBACK}`, `HostKey ${join(dir, 'host_key')}`, `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'PermitRootLogin prohibit-password', 'PasswordAuthentication no',
    'KbdInteractiveAuthentication no', 'UsePAM no', 'StrictModes no', 'LogLevel ERROR', 'MaxStartups 200:30:400',
    'MaxSessions 200',
    // Root's bash here sources ~/.bashrc for every ssh command (Debian's SSH_SOURCE_BASHRC), which takes seconds
    // (pyenv init); bash skips it when SHLVL says it is not the first shell. Real hosts keep their own rc files.
    'SetEnv SHLVL=1', ...extraLines, '',
  ].join('\n');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = net.connect({ host: LOOPBACK, port });
    socket.once('connect', () => { socket.destroy(); done(true); });
    socket.once('error', () => done(false));
  });
}

async function waitUntilListening(child: ChildProcess, port: number, logFile: string): Promise<void> {
  const deadline = Date.now() + SSHD_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${readFileSync(logFile, 'utf8')}`);
    if (await accepts(port)) return;
    await new Promise((done) => setTimeout(done, SSHD_POLL_MS));
  }
  child.kill('SIGKILL');
  throw new Error(`sshd did not listen on ${port} within ${SSHD_START_TIMEOUT_MS} ms: ${readFileSync(logFile, 'utf8')}`);
}

/** The pids whose parent is `pid` (sshd's per-connection processes). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Ends the listener and its connections (a client master left open then sees the server go and exits). */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  for (const pid of child.pid === undefined ? [] : childrenOf(child.pid)) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), SSHD_STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts the server; fails (never skips) with what to install when sshd or root is missing. `extraLines` go into its
 * sshd_config (e.g. a ForceCommand that makes every command start slowly).
 */
export async function startLocalSshd(extraLines: readonly string[] = []): Promise<LocalSshd> {
  if (!existsSync(SSHD_PATH)) throw new Error(`${SSHD_PATH} is missing: install Debian's openssh-server (scripts/setup.sh does)`);
  if (process.getuid?.() !== 0) throw new Error('the local sshd tests need root (sshd)');
  ensureSshdPrivsepDir();
  const dir = mkdtempSync('/tmp/fl-sshd-');
  generateKey(join(dir, 'host_key'));
  generateKey(join(dir, 'id_ed25519'));
  generateKey(join(dir, 'other_key'));
  copyFileSync(join(dir, 'id_ed25519.pub'), join(dir, 'authorized_keys'));
  const port = await freePort();
  writeFileSync(join(dir, 'sshd_config'), sshdConfig(dir, port, extraLines));
  const logFile = join(dir, 'sshd.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(SSHD_PATH, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', fd] });
  closeSync(fd);
  await waitUntilListening(child, port, logFile);
  const target: SshTarget = {
    host: LOOPBACK, port, user: 'root', keyFile: join(dir, 'id_ed25519'),
    knownHostsFile: join(dir, 'known_hosts'), controlDir: join(dir, 'ctl'),
  };
  return {
    dir, port, target, unauthorizedKeyFile: join(dir, 'other_key'),
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

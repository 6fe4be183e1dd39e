import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { readJsonFile, writeJsonFileAtomic } from '../../util/json-file.js';
import { DEFAULT_REMOTE_DIR } from '../../ssh/remote-layout.js';
import { checkKeyFile } from '../../ssh/key-file.js';
import { validateTarget, type SshTarget } from '../../ssh/ssh-target.js';
import { faultlineHome } from '../../util/paths.js';

/** How long a fault on a remote host may last before the host undoes it by itself (unless healed first). */
export const DEFAULT_UNDO_AFTER_MS = 600_000;
export const MIN_UNDO_AFTER_MS = 5_000;
export const MAX_UNDO_AFTER_MS = 86_400_000;
/** More hosts than this is a mistake (MAX_BROKERS brokers, 3 controllers, ZooKeeper). */
const MAX_SSH_HOSTS = 16;

/** The hosts faultline reaches over SSH and how (`faultline cluster up --provider ssh` and `cluster attach` record it). */
export interface SshHostsConfig {
  readonly hosts: readonly string[];
  readonly user?: string;
  readonly port?: number;
  readonly keyFile?: string;
  /** faultline's folder on every host: jars, node folders, undo files. */
  readonly remoteDir: string;
  readonly undoAfterMs: number;
  /** True for a cluster `cluster attach` found: faultline did not install it, and destructive commands ask first. */
  readonly attached: boolean;
}

export interface SshHostsOptions {
  readonly hosts: readonly string[];
  readonly user?: string;
  readonly port?: number;
  readonly keyFile?: string;
  readonly remoteDir?: string;
  readonly undoAfterMs?: number;
}

function checkRemoteDir(dir: string): string {
  if (!/^\/[A-Za-z0-9._/-]+$/.test(dir) || dir.split('/').includes('..') || dir === '/') {
    throw new UsageError(`remoteDir: expected an absolute path of letters, digits, '.', '_', '-' and '/', got ${JSON.stringify(dir)}`);
  }
  return dir.replace(/\/+$/, '');
}

/** Checks every field before anything connects; errors name the field (hosts[2], keyFile, ...). */
export function resolveSshHosts(options: SshHostsOptions, attached = false): SshHostsConfig {
  const hosts = options.hosts.map((h) => h.trim()).filter((h) => h !== '');
  if (hosts.length === 0) throw new UsageError('hosts: expected at least one host');
  if (hosts.length > MAX_SSH_HOSTS) throw new UsageError(`hosts: at most ${MAX_SSH_HOSTS}, got ${hosts.length}`);
  hosts.forEach((host, i) => {
    if (hosts.indexOf(host) !== i) throw new UsageError(`hosts[${i}]: ${host} is listed twice`);
    try {
      validateTarget({ host, ...(options.user !== undefined ? { user: options.user } : {}), ...(options.port !== undefined ? { port: options.port } : {}) });
    } catch (error) {
      throw new UsageError(`hosts[${i}]: ${(error as Error).message}`);
    }
  });
  if (options.keyFile !== undefined) checkKeyFile(options.keyFile);
  const undoAfterMs = options.undoAfterMs ?? DEFAULT_UNDO_AFTER_MS;
  if (!Number.isInteger(undoAfterMs) || undoAfterMs < MIN_UNDO_AFTER_MS || undoAfterMs > MAX_UNDO_AFTER_MS) {
    throw new UsageError(`undoAfterMs: expected ${MIN_UNDO_AFTER_MS}..${MAX_UNDO_AFTER_MS} ms, got ${undoAfterMs}`);
  }
  return {
    hosts,
    ...(options.user !== undefined ? { user: options.user } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.keyFile !== undefined ? { keyFile: options.keyFile } : {}),
    remoteDir: checkRemoteDir(options.remoteDir ?? DEFAULT_REMOTE_DIR),
    undoAfterMs,
    attached,
  };
}

export function sshTargetOf(config: Pick<SshHostsConfig, 'user' | 'port' | 'keyFile'>, host: string): SshTarget {
  return {
    host,
    ...(config.user !== undefined ? { user: config.user } : {}),
    ...(config.port !== undefined ? { port: config.port } : {}),
    ...(config.keyFile !== undefined ? { keyFile: config.keyFile } : {}),
  };
}

function hostsFilePath(): string {
  return join(faultlineHome(), 'ssh-hosts.json');
}

/** The recorded SSH hosts: while recorded, `cluster up` (and a suite's fresh clusters) run there, not locally. */
export function readSshHosts(): SshHostsConfig | undefined {
  return readJsonFile(hostsFilePath(), 'SSH hosts file', "run 'faultline cluster detach'") as SshHostsConfig | undefined;
}

export function writeSshHosts(config: SshHostsConfig): void {
  writeJsonFileAtomic(hostsFilePath(), config);
}

export function removeSshHosts(): boolean {
  const existed = existsSync(hostsFilePath());
  rmSync(hostsFilePath(), { force: true });
  return existed;
}

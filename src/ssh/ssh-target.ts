import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { faultlineHome } from '../util/paths.js';

/** How to reach one host. Unset fields fall back to the user's ssh configuration (~/.ssh/config, the agent). */
export interface SshTarget {
  readonly host: string;
  readonly port?: number;
  readonly user?: string;
  readonly keyFile?: string;
  /** faultline's own known_hosts (new hosts accepted on first attach, a changed key refused). */
  readonly knownHostsFile?: string;
  /** Where the master sockets and their logs live. */
  readonly controlDir?: string;
}

/** Unix socket paths are limited to 108 bytes (104 on BSD); keep a margin. */
const MAX_SOCKET_PATH_BYTES = 100;
/** Hex characters of the socket name (a hash of user, host and port). */
const SOCKET_NAME_CHARS = 16;

/** Rejects what ssh would read as an option or what no host, user or port can be. */
export function validateTarget(target: SshTarget): void {
  if (!/^[A-Za-z0-9._:[\]%-]+$/.test(target.host) || target.host.startsWith('-')) {
    throw new UsageError(`host: ${JSON.stringify(target.host)} is not a host name or address`);
  }
  if (target.user !== undefined && !/^[A-Za-z0-9._][A-Za-z0-9._-]*$/.test(target.user)) {
    throw new UsageError(`user: ${JSON.stringify(target.user)} is not a user name`);
  }
  if (target.port !== undefined && !(Number.isInteger(target.port) && target.port >= 1 && target.port <= 65_535)) {
    throw new UsageError(`port: ${target.port} is not a TCP port (1-65535)`);
  }
}

/** faultline's known_hosts unless the target names its own. */
export function knownHostsFileOf(target: SshTarget): string {
  return target.knownHostsFile ?? join(faultlineHome(), 'ssh', 'known_hosts');
}

/** $FAULTLINE_HOME/ssh, or /tmp/faultline-ssh-<uid> when that is too long for a socket path. */
function controlDirOf(target: SshTarget): string {
  if (target.controlDir !== undefined) return target.controlDir;
  const preferred = join(faultlineHome(), 'ssh');
  if (Buffer.byteLength(preferred) + 1 + SOCKET_NAME_CHARS + 1 <= MAX_SOCKET_PATH_BYTES) return preferred;
  return join(tmpdir(), `faultline-ssh-${process.getuid?.() ?? 0}`);
}

/** The master's socket: one per (user, host, port), the same path for every faultline process. */
export function controlPathOf(target: SshTarget): string {
  // The key file is part of the identity: a master authenticated with another key must not serve this target.
  const key = `${target.user ?? ''}@${target.host}:${target.port ?? ''}#${target.keyFile ?? ''}`;
  const name = createHash('sha256').update(key).digest('hex').slice(0, SOCKET_NAME_CHARS);
  const path = join(controlDirOf(target), name);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    throw new UsageError(`controlDir: ${controlDirOf(target)} is too long for a unix socket path`);
  }
  return path;
}

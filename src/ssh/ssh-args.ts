import { controlPathOf, knownHostsFileOf, type SshTarget } from './ssh-target.js';

/** How long ssh may take to establish the TCP connection (its ConnectTimeout, whole seconds). */
const SSH_CONNECT_TIMEOUT_MS = 5_000;
/** Keep-alive probes: a silent peer is given up after interval × count. */
const SERVER_ALIVE_INTERVAL_S = 2;
const SERVER_ALIVE_COUNT = 3;

/** The options every ssh call shares: no prompt, bounded connect, faultline's known_hosts, the master's socket. */
function commonSshOptions(target: SshTarget): string[] {
  const options = [
    '-o', 'BatchMode=yes',
    '-o', `ConnectTimeout=${Math.ceil(SSH_CONNECT_TIMEOUT_MS / 1000)}`,
    '-o', `ServerAliveInterval=${SERVER_ALIVE_INTERVAL_S}`,
    '-o', `ServerAliveCountMax=${SERVER_ALIVE_COUNT}`,
    '-o', 'StrictHostKeyChecking=accept-new',
    '-o', 'HashKnownHosts=no', // faultline's own file stays readable (Debian's ssh_config hashes)
    '-o', `UserKnownHostsFile=${knownHostsFileOf(target)}`,
    '-o', `ControlPath=${controlPathOf(target)}`,
  ];
  if (target.keyFile !== undefined) options.push('-o', 'IdentitiesOnly=yes', '-i', target.keyFile);
  if (target.port !== undefined) options.push('-p', String(target.port));
  if (target.user !== undefined) options.push('-l', target.user);
  return options;
}

/** Starts the master in the background once authenticated (`-f`), kept `persistSeconds` after its last use. */
export function masterArgs(target: SshTarget, persistSeconds: number): string[] {
  return [...commonSshOptions(target), '-f', '-N', '-o', 'ControlMaster=yes', '-o', `ControlPersist=${persistSeconds}`, '--', target.host];
}

/** A command over the master; never becomes a master itself. `remoteCommand` is one shell-quoted line. */
export function commandArgs(target: SshTarget, remoteCommand: string): string[] {
  return [...commonSshOptions(target), '-T', '-o', 'ControlMaster=no', '--', target.host, remoteCommand];
}

/** The same command on a connection of its own (no master): the cost the master saves, for the benchmark. */
export function freshCommandArgs(target: SshTarget, remoteCommand: string): string[] {
  const options = commonSshOptions(target).map((arg) => (arg.startsWith('ControlPath=') ? 'ControlPath=none' : arg));
  return [...options, '-T', '-o', 'ControlMaster=no', '--', target.host, remoteCommand];
}

/** `ssh -O check|exit` against the master's socket. */
export function controlArgs(target: SshTarget, operation: 'check' | 'exit'): string[] {
  return [...commonSshOptions(target), '-O', operation, '--', target.host];
}

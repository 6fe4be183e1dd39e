import { FaultlineError } from '../errors.js';
import { knownHostsFileOf, type SshTarget } from './ssh-target.js';

/** ssh exits 255 for its own failures; faultline's remote wrapper maps a command's 255 to 254. */
export const SSH_FAILURE_EXIT = 255;
/** sh's exit status for a command it could not find. */
const COMMAND_NOT_FOUND_EXIT = 127;

interface Rule {
  readonly pattern: RegExp;
  readonly message: (target: SshTarget, match: RegExpMatchArray) => string;
}

const hostOf = (target: SshTarget): string => `host ${target.host}`;
const portOf = (target: SshTarget): number => target.port ?? 22;

/** Most specific first: a key that does not load is only a warning before the final `Permission denied`. */
const RULES: readonly Rule[] = [
  {
    pattern: /Load key "([^"]*)": (invalid format|error in libcrypto|incorrect passphrase supplied to decrypt private key)/,
    message: (_t, m) => `keyFile: ${m[1] ?? ''} is not a usable private key (${m[2] ?? ''})`,
  },
  {
    pattern: /Could not resolve hostname [^:]*: (.*)/,
    message: (t, m) => `${hostOf(t)}: unknown host name (${(m[1] ?? '').trim()})`,
  },
  {
    pattern: /connect to host \S+ port \d+: (Connection refused|No route to host|Connection timed out|Network is unreachable|Operation timed out)/,
    message: (t, m) => `${hostOf(t)}: unreachable on port ${portOf(t)} (${(m[1] ?? '').toLowerCase()})`,
  },
  {
    pattern: /Connection timed out during banner exchange|kex_exchange_identification: (?:read: )?(Connection reset by peer|Connection closed by remote host)/,
    message: (t) => `${hostOf(t)}: port ${portOf(t)} accepted the connection but no SSH server answered (timed out or closed during the handshake)`,
  },
  {
    pattern: /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/,
    message: (t) => `${hostOf(t)}: its host key changed since it was first seen (known_hosts: ${knownHostsFileOf(t)})`,
  },
  {
    pattern: /Permission denied \(([^)]*)\)/,
    message: (t) =>
      `${hostOf(t)}: user ${t.user ?? '(ssh default)'} was refused with key ${t.keyFile ?? '(ssh default keys)'}; check user and keyFile`,
  },
];

/** The line ssh ended with, for failures no rule knows. */
function lastLine(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return lines[lines.length - 1] ?? '(no message)';
}

/** One clear error for ssh's own failure (exit 255), from every line of its stderr, naming the host. */
export function sshFailure(target: SshTarget, stderr: string): FaultlineError {
  for (const rule of RULES) {
    const match = stderr.match(rule.pattern);
    if (match) return new FaultlineError(rule.message(target, match));
  }
  return new FaultlineError(`${hostOf(target)}: ssh failed: ${lastLine(stderr)}`);
}

/** True when sh reported the command itself missing (exit 127 and sh's "not found"). */
export function isCommandNotFound(code: number, stderr: string): boolean {
  return code === COMMAND_NOT_FOUND_EXIT && /(?:command )?not found/.test(stderr);
}

export function commandNotFound(target: SshTarget, command: string): FaultlineError {
  return new FaultlineError(`${hostOf(target)}: command not found: ${command}`);
}

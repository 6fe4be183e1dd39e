/**
 * The text the persistent remote shell reads (docs/ssh.md, "The persistent shell"). Every command is one block:
 * its argv as positional parameters (never parsed as shell words), run in a subshell (a `cd`, `exit` or `set`
 * cannot change the persistent shell), stdin from /dev/null or from a base64 here-doc, then the frame's end:
 * the marker on stderr, the marker and the exit status on stdout.
 */
import { randomBytes } from 'node:crypto';
import { shellCommand } from './shell-quote.js';

/** 128 random bits: no command's output can predict it. */
const MARKER_RANDOM_BYTES = 16;
/** base64 line length in a here-doc (as base64(1) writes it). */
const BASE64_LINE_CHARS = 76;

/**
 * A fresh marker: letters, digits and `_` only, so it needs no quoting in sh and, having `_`, is never a line
 * of base64 (a here-doc body cannot end early).
 */
export function newMarker(): string {
  return `FAULTLINE_${randomBytes(MARKER_RANDOM_BYTES).toString('hex')}`;
}

/** The end of every frame. A command's 255 becomes 254, as under SshHost, so the two runners agree. */
function frameEnd(marker: string): string {
  return `s=$?; [ "$s" -ne 255 ] || s=254; printf %s ${marker} >&2; printf '%s:%s\\n' ${marker} "$s"`;
}

function base64Lines(stdin: string): string {
  const encoded = Buffer.from(stdin, 'utf8').toString('base64');
  const lines: string[] = [];
  for (let at = 0; at < encoded.length; at += BASE64_LINE_CHARS) lines.push(encoded.slice(at, at + BASE64_LINE_CHARS));
  return lines.map((line) => `${line}\n`).join('');
}

/** One command as the persistent shell reads it (throws UsageError for an empty argv or a NUL, like SshHost). */
export function commandScript(argv: readonly string[], marker: string, stdin?: string): string {
  const args = `set -- ${shellCommand(argv)}`;
  if (stdin === undefined || stdin === '') return `${args}; ( "$@" ) </dev/null; ${frameEnd(marker)}\n`;
  const delimiter = `${marker}_IN`;
  return `${args}; base64 -d <<'${delimiter}' | ( "$@" ); ${frameEnd(marker)}\n${base64Lines(stdin)}${delimiter}\n`;
}

/** What the shell says about itself when it starts. */
export interface ShellIdentity {
  /** The shell's pid on the host. */
  readonly pid: number;
  /** Its process group; equal to pid when it leads one (sshd makes each session's process a session leader). */
  readonly pgid: number | undefined;
  /** base64(1) exists on the host (needed for stdin). */
  readonly hasBase64: boolean;
}

/** The first frame: pid, process group (from /proc, empty elsewhere) and whether base64 exists, as `PID:PGID:0|1`. */
export function identityScript(marker: string): string {
  return [
    'read -r _fl_stat 2>/dev/null </proc/$$/stat; set -- ${_fl_stat#*") "}',
    'command -v base64 >/dev/null 2>&1 && _fl_b=1 || _fl_b=0',
    `printf '%s:%s:%s' "$$" "\${3:-}" "$_fl_b"; ${frameEnd(marker)}`,
  ].join('; ') + '\n';
}

/** The identity at the end of the first frame's stdout (a login shell may have printed before it). */
export function parseIdentity(stdout: string): ShellIdentity | undefined {
  const match = /(\d+):(\d*):([01])$/.exec(stdout);
  if (!match) return undefined;
  return { pid: Number(match[1]), pgid: match[2] === '' ? undefined : Number(match[2]), hasBase64: match[3] === '1' };
}

/** Kills the shell and, when it leads its process group, every command it started (a timed-out one too). */
export function killArgv(identity: ShellIdentity): string[] {
  if (identity.pgid === identity.pid) return ['kill', '-s', 'KILL', '--', `-${identity.pid}`];
  return ['kill', '-s', 'KILL', String(identity.pid)];
}

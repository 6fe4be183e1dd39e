import { FaultlineError, UsageError } from '../errors.js';
import { DEFAULT_REMOTE_DIR } from './remote-layout.js';
import type { RemoteRunner } from './shell-host.js';
import { ARM_SCRIPT, DISARM_SCRIPT, SWEEP_SCRIPT } from './undo-scripts.js';

/** Where the undo files live on a host unless the caller says otherwise. */
const DEFAULT_UNDO_DIR = `${DEFAULT_REMOTE_DIR}/undo`;
/** Bound on one arm/disarm/sweep round trip. */
const UNDO_SCRIPT_TIMEOUT_MS = 15_000;
/** The longest expiry accepted (one day): a fault that must last longer re-arms. */
const MAX_UNDO_AFTER_MS = 24 * 3_600_000;

export interface ArmUndoOptions {
  /** The fault's id: letters, digits, `.`, `_`, `-` (it names files on the host). */
  readonly id: string;
  /** The undo runs this long after arming unless disarmed first. */
  readonly afterMs: number;
  /** A POSIX sh script; should be idempotent (a heal may race the watchdog). */
  readonly undoScript: string;
  readonly undoDir?: string;
}

export type DisarmOutcome = 'disarmed' | 'expired' | 'absent';

export interface UndoEntry {
  readonly id: string;
  readonly pid: number;
  /** armed: its watchdog was alive (and, in a sweep, killed); expired: it ran (and its undo failed) or died. */
  readonly state: 'armed' | 'expired';
  /** Exit status of the undo the sweep ran itself. */
  readonly undoExit?: number;
}

function checkId(id: string): void {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(id) || id.startsWith('.')) {
    throw new UsageError(`id: ${JSON.stringify(id)} must be 1-64 letters, digits, '.', '_' or '-' (not starting with '.')`);
  }
}

async function runScript(host: RemoteRunner, script: string, args: readonly string[], stdin?: string): Promise<string> {
  const result = await host.run(['sh', '-c', script, 'faultline-undo', ...args], {
    timeoutMs: UNDO_SCRIPT_TIMEOUT_MS,
    ...(stdin === undefined ? {} : { stdin }),
  });
  if (result.code !== 0) {
    throw new FaultlineError(`host ${host.target.host}: the undo script failed (exit ${result.code}): ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/**
 * The command that arms a watchdog: argv for the host and its stdin (it prints the watchdog's pid; without `wait`
 * it returns once the watchdog is started, a disarm waits for its pid file instead, and the undo is an argument). For a caller
 * that runs it in one round trip with the fault itself (see src/cluster/ssh/ssh-undo.ts).
 */
export function armUndoCommand(options: ArmUndoOptions, wait = true): { argv: string[]; stdin: string } {
  checkId(options.id);
  if (!(Number.isFinite(options.afterMs) && options.afterMs > 0 && options.afterMs <= MAX_UNDO_AFTER_MS)) {
    throw new UsageError(`afterMs: ${options.afterMs} must be above 0 and at most ${MAX_UNDO_AFTER_MS}`);
  }
  const seconds = (options.afterMs / 1000).toFixed(3);
  const base = ['sh', '-c', ARM_SCRIPT, 'faultline-undo', options.undoDir ?? DEFAULT_UNDO_DIR, options.id, seconds];
  // Without waiting, the script goes as an argument (no stdin to decode and copy on the host: milliseconds count).
  return wait ? { argv: base, stdin: options.undoScript } : { argv: [...base, 'nowait', options.undoScript], stdin: '' };
}

/** Arms a watchdog on the host that runs `undoScript` after `afterMs` on the host's clock; returns its pid. */
export async function armUndo(host: RemoteRunner, options: ArmUndoOptions): Promise<number> {
  const { argv, stdin } = armUndoCommand(options);
  const out = await runScript(host, argv[2] ?? '', argv.slice(4), stdin);
  return Number(out.trim());
}

/** Kills the watchdog of `id` (without running its undo) and removes its files. */
export async function disarmUndo(host: RemoteRunner, id: string, undoDir = DEFAULT_UNDO_DIR): Promise<DisarmOutcome> {
  checkId(id);
  const out = (await runScript(host, DISARM_SCRIPT, [undoDir, id])).trim();
  if (out === 'disarmed' || out === 'expired' || out === 'absent') return out;
  throw new FaultlineError(`host ${host.target.host}: unexpected answer from the disarm script: ${out}`);
}

function parseEntries(out: string): UndoEntry[] {
  return out.split('\n').filter((line) => line !== '').map((line) => {
    const [id = '', pid = '', state = '', status = ''] = line.split('\t');
    const entry = { id, pid: Number(pid), state: state === 'armed' ? 'armed' as const : 'expired' as const };
    return status === '' ? entry : { ...entry, undoExit: Number(status) };
  });
}

/** The undo files on the host, with whether each watchdog is still alive. */
export async function listUndos(host: RemoteRunner, undoDir = DEFAULT_UNDO_DIR): Promise<UndoEntry[]> {
  return parseEntries(await runScript(host, SWEEP_SCRIPT, [undoDir, 'list']));
}

/** Kills every watchdog and removes its files; with runUndo, runs each pending undo first (heal --all). */
export async function sweepUndos(host: RemoteRunner, options: { runUndo?: boolean; undoDir?: string } = {}): Promise<UndoEntry[]> {
  const args = [options.undoDir ?? DEFAULT_UNDO_DIR, 'kill', options.runUndo === true ? 'run' : 'keep'];
  return parseEntries(await runScript(host, SWEEP_SCRIPT, args));
}

import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { faultlineHome } from '../util/paths.js';
import { isProcessAlive } from '../util/process.js';
import type { EventRecord } from './operation.js';

/** Where nemesis events go: a run's in-process sink (`Run.events`) or, by default, the active run's events file. */
export type FaultEventSink = (event: Omit<EventRecord, 'kind' | 'timeMs'>) => void;

/** The run directory's events file: one JSON line per event from another process, appended with O_APPEND. */
export const EVENTS_FILE = 'events.jsonl';

/** The marker file in the faultline home: which run is live, so faults fired from another terminal land in it. */
export const ACTIVE_RUN_FILE = 'active-run.json';

interface ActiveRun {
  readonly dir: string;
  readonly pid: number;
  /** Epoch ms of the run's start, so another process can stamp events on the run's clock. */
  readonly startedAtMs: number;
}

function activeRunPath(): string {
  return join(faultlineHome(), ACTIVE_RUN_FILE);
}

/** Marks `dir` as the live run of this process (replacing any other marker). Called by `Run`. */
export function markRunActive(dir: string, startedAtMs: number): void {
  mkdirSync(faultlineHome(), { recursive: true });
  writeFileSync(activeRunPath(), JSON.stringify({ dir, pid: process.pid, startedAtMs } satisfies ActiveRun) + '\n');
}

/** Removes the marker when it names `dir` (another run's marker is left alone). Never throws. */
export function clearActiveRun(dir: string): void {
  const run = readActiveRun();
  if (run?.dir === dir) rmSync(activeRunPath(), { force: true });
}

/** The live run, or undefined when there is none or its process is gone. */
export function readActiveRun(): ActiveRun | undefined {
  try {
    if (!existsSync(activeRunPath())) return undefined;
    const run = JSON.parse(readFileSync(activeRunPath(), 'utf8')) as ActiveRun;
    return isProcessAlive(run.pid) ? run : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The nemesis's default sink: appends the event, stamped on the active run's clock, to that run's
 * events.jsonl as one whole line; drops it when no run is active. The run folds the file into its history.
 */
export const activeRunSink: FaultEventSink = (event) => {
  const run = readActiveRun();
  if (!run || !existsSync(run.dir)) return;
  const record: EventRecord = { kind: 'event', timeMs: Date.now() - run.startedAtMs, ...event };
  appendFileSync(join(run.dir, EVENTS_FILE), JSON.stringify(record) + '\n');
};

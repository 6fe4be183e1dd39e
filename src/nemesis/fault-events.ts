import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { faultlineHome } from '../util/paths.js';
import { isProcessAlive } from '../util/process.js';
import type { EventRecord } from '../history/operation.js';

/** Where nemesis events go: an in-process journal (a suite run) or, by default, the active run's events file. */
export type FaultEventSink = (event: Omit<EventRecord, 'kind' | 'timeMs'>) => void;

interface ActiveRun {
  readonly dir: string;
  readonly pid: number;
  /** Epoch ms of the run's start, so another process can stamp events on the run's clock. */
  readonly startedAtMs: number;
}

function activeRunPath(): string {
  return join(faultlineHome(), 'active-run.json');
}

/** A workload marks its run active so faults fired from another terminal land in its journal. */
export function markRunActive(dir: string, startedAtMs: number): void {
  mkdirSync(faultlineHome(), { recursive: true });
  writeFileSync(activeRunPath(), JSON.stringify({ dir, pid: process.pid, startedAtMs } satisfies ActiveRun) + '\n');
}

export function clearActiveRun(dir: string): void {
  const run = readActiveRun();
  if (run && run.dir === dir) rmSync(activeRunPath(), { force: true });
}

function readActiveRun(): ActiveRun | undefined {
  try {
    if (!existsSync(activeRunPath())) return undefined;
    const run = JSON.parse(readFileSync(activeRunPath(), 'utf8')) as ActiveRun;
    return isProcessAlive(run.pid) ? run : undefined;
  } catch {
    return undefined;
  }
}

/** The run directory's events file: one JSON line per event, appended with O_APPEND (whole lines, no interleaving). */
export const EVENTS_FILE = 'events.jsonl';

/** The default sink: append to the active run's events.jsonl, if a run is active; otherwise drop. */
export const activeRunSink: FaultEventSink = (event) => {
  const run = readActiveRun();
  if (!run) return;
  const record: EventRecord = { kind: 'event', timeMs: Date.now() - run.startedAtMs, ...event };
  const path = join(run.dir, EVENTS_FILE);
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, JSON.stringify(record) + '\n');
};

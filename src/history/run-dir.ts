import { mkdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { JournalWriter, type JournalWriterOptions } from './journal-writer.js';
import { JOURNAL_FORMAT_VERSION, type MetaRecord } from './operation.js';

/** Layout of one run: `<runs root>/<name>/history.jsonl` + `meta.json` (+ report files later). */
export const HISTORY_FILE = 'history.jsonl';
export const META_FILE = 'meta.json';

export interface RunDir {
  path: string;
  historyPath: string;
  metaPath: string;
  /** meta.json, or null when the run has none (the journal's own meta line then stands alone). */
  meta: MetaRecord | null;
}

/** What a run says about itself when it starts; kind, timeMs, formatVersion and startedAt are filled in. */
export interface RunMetaInput {
  /** Run name: the directory name under the runs root. */
  run: string;
  startedAt?: string;
  seed?: number | string;
  topic?: string;
  acks?: string;
  /** Anything else worth keeping with the run (scenario, cluster shape, ...). */
  [extra: string]: unknown;
}

/**
 * Opens an existing run directory. Throws UsageError `<path> is not a faultline run directory: ...`
 * when it is missing, not a directory, or has no history.jsonl; or when meta.json is unreadable.
 */
export async function openRunDir(path: string): Promise<RunDir> {
  const notRun = (why: string): UsageError => new UsageError(`${path} is not a faultline run directory: ${why}`);
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw notRun('no such directory');
  }
  if (!isDir) throw notRun('not a directory');
  const historyPath = join(path, HISTORY_FILE);
  const historyStat = await stat(historyPath).catch(() => null);
  if (historyStat === null || !historyStat.isFile()) throw notRun(`no ${HISTORY_FILE}`);
  const metaPath = join(path, META_FILE);
  let meta: MetaRecord | null = null;
  const metaText = await readFile(metaPath, 'utf8').catch(() => null);
  if (metaText !== null) {
    try {
      const parsed: unknown = JSON.parse(metaText);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
      meta = parsed as MetaRecord;
    } catch (error) {
      throw new UsageError(`${metaPath}: malformed ${META_FILE}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { path, historyPath, metaPath, meta };
}

/**
 * Creates `<runsRoot>/<meta.run>/`, writes meta.json and the journal's first line (the meta record),
 * and returns the open journal. Refuses a directory that already holds a history: runs are never mixed.
 */
export function createRunDir(runsRoot: string, input: RunMetaInput, options: JournalWriterOptions = {}): { dir: RunDir; journal: JournalWriter } {
  if (!/^[A-Za-z0-9._-]+$/.test(input.run) || input.run === '.' || input.run === '..') {
    throw new UsageError(`run name '${input.run}': use letters, digits, '.', '_' and '-' only`);
  }
  const path = resolve(runsRoot, input.run);
  mkdirSync(path, { recursive: true });
  if (!statSync(path).isDirectory()) throw new UsageError(`${path} is not a directory`);
  const historyPath = join(path, HISTORY_FILE);
  if (existsSync(historyPath)) throw new UsageError(`${path} already holds a run (${HISTORY_FILE} exists); choose another run name`);
  const meta: MetaRecord = { ...input, run: input.run, kind: 'meta', timeMs: 0, formatVersion: JOURNAL_FORMAT_VERSION, startedAt: input.startedAt ?? new Date().toISOString() };
  const metaPath = join(path, META_FILE);
  writeFileSync(metaPath, JSON.stringify(meta, null, 2) + '\n');
  const journal = JournalWriter.open(historyPath, options);
  journal.append(meta);
  journal.flush();
  return { dir: { path, historyPath, metaPath, meta }, journal };
}

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import type { MetaRecord } from './operation.js';

/** Layout of one run: `<runs root>/<name>/history.jsonl` + `meta.json` (+ events.jsonl, report files). Owned by `Run` (run.ts). */
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
 * Opens an existing run directory for reading. Throws UsageError `<path> is not a faultline run directory: ...`
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
  if (!historyStat?.isFile()) throw notRun(`no ${HISTORY_FILE}`);
  const metaPath = join(path, META_FILE);
  return { path, historyPath, metaPath, meta: await readMeta(metaPath) };
}

async function readMeta(metaPath: string): Promise<MetaRecord | null> {
  const metaText = await readFile(metaPath, 'utf8').catch(() => null);
  if (metaText === null) return null;
  try {
    const parsed: unknown = JSON.parse(metaText);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as MetaRecord;
  } catch (error) {
    throw new UsageError(`${metaPath}: malformed ${META_FILE}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What state-corrupt writes over a file: a torn write as a crash or a bad disk leaves it (docs/pipelines.md). */
export const CORRUPT_CONTENT = 'faultline state-corrupt: this file was overwritten\n';

/** Bound on the files looked at under a state directory. */
const MAX_STATE_FILES = 200_000;

export interface StateFile {
  readonly path: string;
  readonly sizeBytes: number;
}

/**
 * The most recently modified regular file under `dir` whose path relative to it contains `pathPart` (any when
 * absent); hidden files (`.N.crc` checksums and the like) are left out. null when there is none.
 */
export function newestStateFile(dir: string, pathPart?: string): StateFile | null {
  let best: { path: string; sizeBytes: number; mtimeMs: number } | null = null;
  const pending = [dir];
  let seen = 0;
  while (pending.length > 0 && seen < MAX_STATE_FILES) {
    const current = pending.pop() as string;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      continue; // gone meanwhile, or not a directory
    }
    for (const entry of entries) {
      seen++;
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      if (!entry.isFile() || entry.name.startsWith('.')) continue;
      if (pathPart !== undefined && !relative(dir, path).includes(pathPart)) continue;
      const stat = statSync(path);
      if (best === null || stat.mtimeMs > best.mtimeMs) best = { path, sizeBytes: stat.size, mtimeMs: stat.mtimeMs };
    }
  }
  return best === null ? null : { path: best.path, sizeBytes: best.sizeBytes };
}

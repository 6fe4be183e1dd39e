import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FaultlineError } from '../../errors.js';

/** This module sits 3 (src/job/engines) or 4 (dist/src/job/engines) levels below the root; a few more are allowed. */
const MAX_ROOT_SEARCH_LEVELS = 6;

/**
 * The absolute path of `relative` in the faultline repository (whether or not it exists yet): the root is the first
 * directory above this module that holds `marker` (a reference job's project file, which ships with the repository).
 */
export function repoPath(marker: string, relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level <= MAX_ROOT_SEARCH_LEVELS; level++) {
    if (existsSync(join(dir, marker))) return join(dir, relative);
    dir = dirname(dir);
  }
  throw new FaultlineError(`cannot find ${marker} above ${dirname(fileURLToPath(import.meta.url))}: the reference jobs ship with the faultline repository`);
}

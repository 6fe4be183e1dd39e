import { rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { execOrThrow } from '../util/exec.js';
import type { DiskFill } from './provider.js';

/** The file fill-disk writes into a node's data directory; heal --all removes it on every node. */
export const FILL_FILE = '.faultline-fill';

function freeBytes(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/** Fills the file system of `dataDir` (a node's tmpfs) with one fallocated file; Kafka then fails its log dir. */
export async function fillDataDir(dataDir: string): Promise<DiskFill> {
  const filledBytes = freeBytes(dataDir);
  if (filledBytes > 0) await execOrThrow('fallocate', ['-l', String(filledBytes), join(dataDir, FILL_FILE)]);
  return { filledBytes, freeBytesAfter: freeBytes(dataDir) };
}

/** Removes the fill file; false when there was none (or it could not be removed). */
export function freeDataDir(dataDir: string): boolean {
  try {
    rmSync(join(dataDir, FILL_FILE));
    return true;
  } catch {
    return false;
  }
}

import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FaultlineError } from '../errors.js';
import { isProcessAlive } from './process.js';

/**
 * A cross-process lock file holding its owner's pid. It is created atomically (a temp file with the pid
 * is hard-linked to the lock path), so it never exists empty; a lock whose owner is gone is taken over.
 * Synchronous on purpose: the sections it guards are short read-modify-write of small files.
 */
export function withFileLock<T>(lockPath: string, use: () => T, timeoutMs = 10_000): T {
  mkdirSync(dirname(lockPath), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  const tmp = `${lockPath}.${process.pid}`;
  writeFileSync(tmp, String(process.pid));
  try {
    for (;;) {
      try {
        linkSync(tmp, lockPath);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new FaultlineError(`cannot take the lock ${lockPath}: ${(error as Error).message}`);
        }
      }
      let owner = 0;
      try {
        owner = Number(readFileSync(lockPath, 'utf8'));
      } catch {
        // released between our link and our read: try again
      }
      if (owner > 0 && (!isProcessAlive(owner) || owner === process.pid)) rmSync(lockPath, { force: true });
      else if (Date.now() > deadline) throw new FaultlineError(`the lock ${lockPath} is held by process ${owner}; try again, or remove it if that process is not faultline`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  try {
    return use();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

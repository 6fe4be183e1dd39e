import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FaultlineError } from '../errors.js';

/** A JSON state file's content (the caller knows its shape); undefined when absent; an unreadable one throws with `fix` (what the user should run). */
export function readJsonFile(path: string, what: string, fix: string): unknown {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new FaultlineError(`${what} ${path} is unreadable (${(error as Error).message}); ${fix}`);
  }
}

/** Atomic write: a crash never leaves a half-written file. */
export function writeJsonFileAtomic(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, path);
}

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mountsOfSource, mountTmpfs, unmount } from '../cluster/data-mount.js';
import { FILL_FILE, fillDataDir, freeDataDir } from '../cluster/disk-fill.js';
import { isProcessAlive } from '../util/process.js';

/**
 * A job's state directories live on a size-limited tmpfs of their own (one per job, `<job dir>/state`), so
 * `state-fill` can fill the storage a job checkpoints to for real (ENOSPC) without touching the machine's disk.
 * The mount is named JOB_STATE_SOURCE in /proc/mounts and holds an owner file with the faultline's pid, so a sweep
 * (heal --all, cluster down) finds every one and unmounts those whose faultline is gone.
 */
export const JOB_STATE_SOURCE = 'faultline-job-state';
export const DEFAULT_JOB_STATE_SIZE_MB = 256;
export const MIN_JOB_STATE_SIZE_MB = 16;
export const MAX_JOB_STATE_SIZE_MB = 65_536;
const OWNER_FILE = '.faultline-owner';

/** Mounts a tmpfs of sizeMb at root (made if missing) and records this process as its owner. */
export async function mountJobState(root: string, sizeMb: number): Promise<void> {
  mkdirSync(root, { recursive: true });
  await mountTmpfs(root, sizeMb, JOB_STATE_SOURCE);
  writeFileSync(join(root, OWNER_FILE), `${process.pid}\n`);
}

/** Unmounts a job's state mount (its contents are gone with it); whether it was mounted and is gone now. */
export async function unmountJobState(root: string): Promise<boolean> {
  if (!mountsOfSource(JOB_STATE_SOURCE).includes(root)) return false;
  return unmount(root);
}

export interface FilledState {
  readonly path: string;
  readonly filledBytes: number;
  readonly freeBytesAfter: number;
}

/**
 * Fills a job's state mount as fill-disk fills a node's data directory: one file (hidden: state-corrupt never picks
 * it) as large as the free space, so the job's next write fails with ENOSPC.
 */
export async function fillJobState(root: string): Promise<FilledState> {
  return { path: join(root, FILL_FILE), ...(await fillDataDir(root)) };
}

/** Removes a fill file; whether there was one. */
export function freeJobState(root: string): boolean {
  return freeDataDir(root);
}

function ownerPid(root: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(root, OWNER_FILE), 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * heal --all and cluster down: every job state mount's fill file removed; a mount whose faultline is gone (a crash)
 * unmounted. Returns what was done, one line each.
 */
export async function sweepJobStateMounts(): Promise<string[]> {
  const done: string[] = [];
  for (const root of mountsOfSource(JOB_STATE_SOURCE)) {
    if (freeJobState(root)) done.push(`removed ${join(root, FILL_FILE)}`);
    const owner = ownerPid(root);
    if ((owner === undefined || !isProcessAlive(owner)) && (await unmount(root))) done.push(`unmounted orphaned job state ${root}`);
  }
  return done;
}

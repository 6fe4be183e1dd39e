import { readFileSync } from 'node:fs';
import { execCapture, execOrThrow } from '../util/exec.js';

/**
 * Each node's data directory is a size-limited tmpfs, so `fill-disk` can fill it for real (ENOSPC) in
 * milliseconds without touching the machine's disk; memory is only used for what Kafka writes.
 */
export async function mountDataDir(path: string, sizeMb: number): Promise<void> {
  await mountTmpfs(path, sizeMb, 'faultline-data');
}

/** A tmpfs of sizeMb at path; `source` names it in /proc/mounts (how sweeps find faultline's mounts). */
export async function mountTmpfs(path: string, sizeMb: number, source: string): Promise<void> {
  await execOrThrow('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, source, path]);
}

interface MountEntry {
  readonly source: string;
  readonly mountPoint: string;
}

/** /proc/mounts as (source, mount point) pairs; none when it cannot be read. */
function readMounts(): MountEntry[] {
  let text = '';
  try {
    text = readFileSync('/proc/mounts', 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split(' '))
    .map((fields) => ({ source: fields[0] ?? '', mountPoint: fields[1]?.replace(/\\040/g, ' ') ?? '' }));
}

/** Mount points at or below `root` (deepest first), from /proc/mounts. */
export function mountsUnder(root: string): string[] {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return readMounts()
    .map((m) => m.mountPoint)
    .filter((mountPoint) => mountPoint === root || mountPoint.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

/** Mount points whose source is `source` (deepest first): every mount faultline made of one kind, wherever it is. */
export function mountsOfSource(source: string): string[] {
  return readMounts()
    .filter((m) => m.source === source)
    .map((m) => m.mountPoint)
    .sort((a, b) => b.length - a.length);
}

/** Unmounts one mount point (lazily when busy); whether it is gone. */
export async function unmount(mountPoint: string): Promise<boolean> {
  return (await execCapture('umount', [mountPoint])).code === 0 || (await execCapture('umount', ['-l', mountPoint])).code === 0;
}

/** Unmounts everything under root; lazy unmount as a fallback so a busy mount never blocks `cluster down`. */
export async function unmountAllUnder(root: string): Promise<string[]> {
  const removed: string[] = [];
  for (const mountPoint of mountsUnder(root)) if (await unmount(mountPoint)) removed.push(`mount ${mountPoint}`);
  return removed;
}

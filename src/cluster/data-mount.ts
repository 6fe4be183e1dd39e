import { readFileSync } from 'node:fs';
import { execCapture, execOrThrow } from '../util/exec.js';

/**
 * Each node's data directory is a size-limited tmpfs, so `fill-disk` can fill it for real (ENOSPC) in
 * milliseconds without touching the machine's disk; memory is only used for what Kafka writes.
 */
export async function mountDataDir(path: string, sizeMb: number): Promise<void> {
  await execOrThrow('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, 'faultline-data', path]);
}

/** Mount points at or below `root` (deepest first), from /proc/mounts. */
export function mountsUnder(root: string): string[] {
  let text = '';
  try {
    text = readFileSync('/proc/mounts', 'utf8');
  } catch {
    return [];
  }
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return text
    .split('\n')
    .map((line) => line.split(' ')[1]?.replace(/\\040/g, ' ') ?? '')
    .filter((mountPoint) => mountPoint === root || mountPoint.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

/** Unmounts everything under root; lazy unmount as a fallback so a busy mount never blocks `cluster down`. */
export async function unmountAllUnder(root: string): Promise<string[]> {
  const removed: string[] = [];
  for (const mountPoint of mountsUnder(root)) {
    const result = await execCapture('umount', [mountPoint]);
    if (result.code === 0 || (await execCapture('umount', ['-l', mountPoint])).code === 0) removed.push(`mount ${mountPoint}`);
  }
  return removed;
}

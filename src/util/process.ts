import { readdirSync, readFileSync } from 'node:fs';
import { sleep } from './time.js';

/** True when `pid` runs and is not a zombie; when `marker` is given, its command line must contain it (guards pid reuse). */
export function isProcessAlive(pid: number, marker?: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
    if (marker !== undefined) {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes(marker)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** The process state letter from /proc (R, S, D, T for stopped, Z), or undefined when gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Waits until the process is gone; returns false when it is still alive after timeoutMs. */
export async function waitForExit(pid: number, timeoutMs: number, marker?: string): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid, marker)) {
    if (Date.now() >= deadline) return false;
    await sleep(20);
  }
  return true;
}

/** SIGTERM, then SIGKILL after graceTimeoutMs. Resumes a stopped process first so it can handle SIGTERM. */
export async function stopProcess(pid: number, graceTimeoutMs: number, marker?: string): Promise<'terminated' | 'killed' | 'absent'> {
  if (!isProcessAlive(pid, marker)) return 'absent';
  if (graceTimeoutMs > 0) {
    signalProcess(pid, 'SIGCONT');
    signalProcess(pid, 'SIGTERM');
    if (await waitForExit(pid, graceTimeoutMs, marker)) return 'terminated';
  }
  signalProcess(pid, 'SIGKILL');
  await waitForExit(pid, 10_000, marker);
  return 'killed';
}

/** Resident memory of a process in bytes (VmRSS), or undefined when gone. */
export function residentMemoryBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return match?.[1] ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Pids (other than ours) whose command line contains the marker. */
export function findProcessesByMarker(marker: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => pid !== process.pid && isProcessAlive(pid, marker));
}

/** /proc on this machine, which is the test sshd's "host": which processes are left after a shell or a command. */
import { readdirSync, readFileSync } from 'node:fs';

const POLL_MS = 50;

interface ProcessInfo {
  readonly pid: number;
  readonly pgid: number;
  readonly cmdline: string;
}

/** Every live process (zombies, waiting for the sandbox's init to reap them, count as gone). */
function processes(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      found.push({ pid: Number(entry), pgid: Number(fields[2]), cmdline });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Running (not a zombie). */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Live processes in process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  return processes().filter((p) => p.pgid === pgid).map((p) => p.pid);
}

/** Live processes whose command line contains every one of `parts`. */
export function processesWith(...parts: string[]): number[] {
  return processes().filter((p) => parts.every((part) => p.cmdline.includes(part))).map((p) => p.pid);
}

/** Polls `what` until true or timeoutMs; its last answer. */
export async function waitFor(what: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (what()) return true;
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
  return what();
}

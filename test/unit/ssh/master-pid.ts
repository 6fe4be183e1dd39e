import { spawnSync } from 'node:child_process';
import { controlArgs } from '../../../src/ssh/ssh-args.js';
import type { SshTarget } from '../../../src/ssh/ssh-target.js';

/** The pid of the target's master, from `ssh -O check` ("Master running (pid=N)"); undefined when none runs. */
export function masterPid(target: SshTarget): number | undefined {
  const result = spawnSync('ssh', controlArgs(target, 'check'), { encoding: 'utf8', timeout: 5_000 });
  const match = /Master running \(pid=(\d+)\)/.exec(result.stderr);
  return match ? Number(match[1]) : undefined;
}

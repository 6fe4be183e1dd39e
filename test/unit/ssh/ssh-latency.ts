import { performance } from 'node:perf_hooks';
import { boundedExec } from '../../../src/ssh/bounded-exec.js';
import { freshCommandArgs } from '../../../src/ssh/ssh-args.js';
import { wrappedCommand, type SshHost } from '../../../src/ssh/ssh-host.js';

/** Bound on one fresh connection (TCP, key exchange, authentication, the command). */
const FRESH_TIMEOUT_MS = 20_000;

export interface SshLatency {
  readonly samples: number;
  /** `host.run(['true'])` over the open master: spawn of the ssh client, one channel, the remote wrapper. */
  readonly multiplexedMedianMs: number;
  /** The same remote command with a connection of its own per call (ControlPath=none). */
  readonly freshMedianMs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[mid] ?? 0 : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return Math.round(value * 10) / 10;
}

/** Median latency of `true` on the host, multiplexed and fresh, `samples` calls each (the master must be open). */
export async function measureSshLatency(host: SshHost, samples: number): Promise<SshLatency> {
  const multiplexed: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const started = performance.now();
    await host.run(['true']);
    multiplexed.push(performance.now() - started);
  }
  const fresh: number[] = [];
  const args = freshCommandArgs(host.target, wrappedCommand(['true']));
  for (let i = 0; i < samples; i += 1) {
    const result = await boundedExec('ssh', args, { timeoutMs: FRESH_TIMEOUT_MS, maxOutputBytes: 4096 });
    if (result.code !== 0) throw new Error(`fresh ssh failed (${result.code}): ${result.stderr}`);
    fresh.push(result.ms);
  }
  return { samples, multiplexedMedianMs: median(multiplexed), freshMedianMs: median(fresh) };
}

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { boundedExec } from '../../../src/ssh/bounded-exec.js';
import { freshCommandArgs } from '../../../src/ssh/ssh-args.js';
import { wrappedCommand, type SshHost } from '../../../src/ssh/ssh-host.js';

/** Bound on one fresh connection (TCP, key exchange, authentication, the command). */
const FRESH_TIMEOUT_MS = 20_000;
const FRESH_MAX_OUTPUT_BYTES = 1 << 20;

/** One way to run a command on the host; throws unless it exits 0 (a failed command measures nothing). */
export type CommandRunner = (argv: readonly string[]) => Promise<void>;

export interface LatencyStats {
  readonly medianMs: number;
  readonly p90Ms: number;
}

export interface SshLatency {
  readonly samples: number;
  /** `host.run(['true'])` over the open master: spawn of the ssh client, one channel, the remote wrapper. */
  readonly multiplexedMedianMs: number;
  /** The same remote command with a connection of its own per call (ControlPath=none). */
  readonly freshMedianMs: number;
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] ?? 0 : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Wall time of `samples` sequential calls (each from the call to its result). */
export async function timeRuns(run: CommandRunner, argv: readonly string[], samples: number): Promise<LatencyStats> {
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const started = performance.now();
    await run(argv);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { medianMs: round1(median(times)), p90Ms: round1(quantile(times, 0.9)) };
}

/** Throws unless the command exited 0. */
export function checkExit(argv: readonly string[], result: { code: number; stderr: string }): void {
  if (result.code !== 0) throw new Error(`'${argv.join(' ')}' failed (${result.code}): ${result.stderr}`);
}

/** A fresh ssh connection per call (ControlPath=none): the cost the master saves. */
export function freshRunner(host: SshHost): CommandRunner {
  return async (argv) => {
    const args = freshCommandArgs(host.target, wrappedCommand(argv));
    checkExit(argv, await boundedExec('ssh', args, { timeoutMs: FRESH_TIMEOUT_MS, maxOutputBytes: FRESH_MAX_OUTPUT_BYTES }));
  };
}

/** Anything with SshHost.run's signature (SshHost, RemoteShell). */
export function runnerOf(host: Pick<SshHost, 'run'>): CommandRunner {
  return async (argv) => checkExit(argv, await host.run(argv));
}

/** The load averages (1, 5, 15 min) as /proc/loadavg says, to read next to the numbers. */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** Median latency of `true` on the host, multiplexed and fresh, `samples` calls each (the master must be open). */
export async function measureSshLatency(host: SshHost, samples: number): Promise<SshLatency> {
  const multiplexed = await timeRuns(runnerOf(host), ['true'], samples);
  const fresh = await timeRuns(freshRunner(host), ['true'], samples);
  return { samples, multiplexedMedianMs: multiplexed.medianMs, freshMedianMs: fresh.medianMs };
}

/**
 * SSH transport benchmark against a throwaway sshd on 127.0.0.1 (root, openssh-server): the latency of a few
 * fault-sized commands through a fresh ssh connection per call, SshHost.run over the multiplexed master, and
 * RemoteShell.run (the persistent shell), next to spawning `true` locally (the floor any spawned client pays).
 * `iptables -w -S` only lists rules. Each command's row carries /proc/loadavg before and after it.
 * Run: npm run bench -- ssh → writes bench/results/ssh.json
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { boundedExec } from '../src/ssh/bounded-exec.js';
import { RemoteShell } from '../src/ssh/remote-shell.js';
import { SshHost } from '../src/ssh/ssh-host.js';
import { startLocalSshd } from '../test/unit/ssh/local-sshd.js';
import { checkExit, freshRunner, loadAverage, runnerOf, timeRuns, type CommandRunner, type LatencyStats } from '../test/unit/ssh/ssh-latency.js';

const SAMPLES = 50;
const LOCAL_SPAWN_TIMEOUT_MS = 10_000;

interface CommandRow {
  readonly argv: readonly string[];
  readonly fresh: LatencyStats;
  readonly multiplexed: LatencyStats;
  readonly persistent: LatencyStats;
  /** /proc/loadavg (1, 5, 15 min) before and after this row's calls. */
  readonly loadBefore: string;
  readonly loadAfter: string;
}

const localSpawn: CommandRunner = async (argv) => {
  checkExit(argv, await boundedExec(argv[0] ?? 'true', argv.slice(1), { timeoutMs: LOCAL_SPAWN_TIMEOUT_MS, maxOutputBytes: 1024 }));
};

async function row(argv: readonly string[], runners: Record<'fresh' | 'multiplexed' | 'persistent', CommandRunner>): Promise<CommandRow> {
  const loadBefore = loadAverage();
  const persistent = await timeRuns(runners.persistent, argv, SAMPLES);
  const multiplexed = await timeRuns(runners.multiplexed, argv, SAMPLES);
  const fresh = await timeRuns(runners.fresh, argv, SAMPLES);
  return { argv, fresh, multiplexed, persistent, loadBefore, loadAfter: loadAverage() };
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return Math.round(performance.now() - started);
}

export async function runSshBench(): Promise<Record<string, unknown>> {
  const sshd = await startLocalSshd();
  const host = new SshHost(sshd.target);
  const shell = new RemoteShell(host);
  try {
    const openMs = await timed(() => host.open());
    const shellOpenMs = await timed(() => shell.run(['true']));
    const runners = { fresh: freshRunner(host), multiplexed: runnerOf(host), persistent: runnerOf(shell) };
    const sshdPid = readFileSync(join(sshd.dir, 'sshd.pid'), 'utf8').trim();
    const commands: CommandRow[] = [];
    for (const argv of [['true'], ['kill', '-0', sshdPid], ['iptables', '-w', '-S']]) commands.push(await row(argv, runners));
    const localSpawnTrue = await timeRuns(localSpawn, ['true'], SAMPLES);
    return { samples: SAMPLES, openMs, shellOpenMs, commands, localSpawnMedianMs: localSpawnTrue.medianMs };
  } finally {
    await shell.close();
    await host.close();
    await sshd.stop();
  }
}

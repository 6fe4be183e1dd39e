/**
 * SSH transport benchmark against a throwaway sshd on 127.0.0.1 (root, openssh-server): the latency of
 * `run(['true'])` over the multiplexed master vs a fresh ssh connection per call, next to spawning `true`
 * locally (the floor any spawned client pays). Run: npm run bench -- ssh → writes bench/results/ssh.json
 */
import { performance } from 'node:perf_hooks';
import { boundedExec } from '../src/ssh/bounded-exec.js';
import { SshHost } from '../src/ssh/ssh-host.js';
import { startLocalSshd } from '../test/unit/ssh/local-sshd.js';
import { measureSshLatency } from '../test/unit/ssh/ssh-latency.js';

const SAMPLES = 50;
const LOCAL_SPAWN_TIMEOUT_MS = 10_000;

async function localSpawnMedianMs(samples: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    times.push((await boundedExec('true', [], { timeoutMs: LOCAL_SPAWN_TIMEOUT_MS, maxOutputBytes: 1024 })).ms);
  }
  times.sort((a, b) => a - b);
  return Math.round((times[Math.floor(samples / 2)] ?? 0) * 10) / 10;
}

export async function runSshBench(): Promise<Record<string, unknown>> {
  const sshd = await startLocalSshd();
  const host = new SshHost(sshd.target);
  try {
    const openStarted = performance.now();
    await host.open();
    const openMs = Math.round(performance.now() - openStarted);
    const latency = await measureSshLatency(host, SAMPLES);
    return { openMs, ...latency, localSpawnMedianMs: await localSpawnMedianMs(SAMPLES) };
  } finally {
    await host.close();
    await sshd.stop();
  }
}

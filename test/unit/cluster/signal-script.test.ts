/**
 * The SSH provider's signal script run here as it runs on a host (`sh -c SCRIPT`), against real processes: a
 * terminate waits its grace (counted in polls of SIGNAL_GRACE_POLL_MS) before SIGKILL, and no longer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { gracePolls, SIGNAL_GRACE_POLL_MS, SIGNAL_SCRIPT } from '../../../src/cluster/ssh/node-scripts.js';

const MARKER = 'faultline-signal-script-test';

function startTarget(ignoreTerm: boolean): ChildProcess {
  const code = `${ignoreTerm ? 'process.on("SIGTERM", () => {});' : ''} setInterval(() => {}, 1000); console.log("up")`;
  return spawn(process.execPath, ['-e', code, MARKER], { stdio: ['ignore', 'pipe', 'ignore'] });
}

async function started(child: ChildProcess): Promise<number> {
  await new Promise<void>((done) => child.stdout?.once('data', () => done()));
  assert.ok(child.pid !== undefined);
  return child.pid;
}

function terminate(pid: number, polls: number): { answer: string; ms: number } {
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', SIGNAL_SCRIPT, 'faultline-node', String(pid), MARKER, 'terminate', String(polls)], { encoding: 'utf8', timeout: 30_000 });
  return { answer: r.stdout.trim(), ms: performance.now() - t0 };
}

test('gracePolls covers the grace in polls of SIGNAL_GRACE_POLL_MS', () => {
  assert.equal(gracePolls(30_000), 30_000 / SIGNAL_GRACE_POLL_MS);
  assert.equal(gracePolls(150), 2);
  assert.equal(gracePolls(0), 1);
});

test('terminate of a process that ignores SIGTERM waits the whole grace, then kills it', async () => {
  const child = startTarget(true);
  const pid = await started(child);
  const graceMs = 800;
  const { answer, ms } = terminate(pid, gracePolls(graceMs));
  assert.equal(answer, 'killed');
  assert.ok(ms >= graceMs && ms < graceMs * 3, `took ${Math.round(ms)} ms for a grace of ${graceMs} ms`);
  assert.equal(child.signalCode ?? (await new Promise((done) => child.once('exit', (_c, s) => done(s)))), 'SIGKILL');
});

test('terminate of a process that exits on SIGTERM returns as it exits, long before the grace', async () => {
  const child = startTarget(false);
  const pid = await started(child);
  const { answer, ms } = terminate(pid, gracePolls(10_000));
  assert.equal(answer, 'terminated');
  assert.ok(ms < 2_000, `took ${Math.round(ms)} ms`);
});

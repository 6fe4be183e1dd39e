import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// dist/test/unit/workload -> dist/src/workload
const CONNECT = fileURLToPath(new URL('../../../src/workload/client-connect.js', import.meta.url));
const EXIT = fileURLToPath(new URL('../../../src/workload/exit-process.js', import.meta.url));

/** Runs a node process that starts a close that never calls back, makes its exit block, then calls exitProcess(3). */
function runExiting(closeNeverEnds: boolean): ReturnType<typeof spawnSync> {
  const script = `
    const { trackedDisconnect } = await import(${JSON.stringify(CONNECT)});
    const { exitProcess } = await import(${JSON.stringify(EXIT)});
    if (${String(closeNeverEnds)}) {
      await trackedDisconnect(() => {}, 10);
      // what a librdkafka destroy stuck on libuv's pool does to node's exit: it blocks for good
      process.on('exit', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0));
    }
    exitProcess(3);`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
}

test('exitProcess: with no client closing the process exits with its code and says nothing', () => {
  const result = runExiting(false);
  assert.equal(result.status, 3);
  assert.equal(result.stderr, '');
});

test('exitProcess: an exit that blocks behind a client still closing is killed by the watchdog, with the reason on stderr', () => {
  const started = Date.now();
  const result = runExiting(true);
  assert.equal(result.signal, 'SIGKILL', `status ${String(result.status)} signal ${String(result.signal)}`);
  assert.match(String(result.stderr), /^faultline: 1 Kafka client\(s\) still closing; if exit blocks on them the process is killed in 10 s\n$/);
  const waitedMs = Date.now() - started;
  assert.ok(waitedMs >= 9_000 && waitedMs < 30_000, `killed after ${waitedMs} ms`);
});

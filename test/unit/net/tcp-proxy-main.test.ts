import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join, dirname } from 'node:path';
import { TCP_PROXY_MAIN_PATH, spawnDetachedTcpProxy, tcpProxyCommand } from '../../../src/net/tcp-proxy-process.js';
import { UsageError } from '../../../src/errors.js';
import { LOOPBACK, connect, medianRoundTripMs, sleep, startEchoServer } from './proxy-helpers.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls (bounded) until the pid is gone. */
async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  for (let waitedMs = 0; waitedMs < timeoutMs; waitedMs += 20) {
    if (!isAlive(pid)) return true;
    await sleep(20);
  }
  return !isAlive(pid);
}

test('detached proxy process: ready line, forwards with latency, exits on SIGTERM', async () => {
  const echo = await startEchoServer();
  let pid: number | undefined;
  try {
    const proxy = await spawnDetachedTcpProxy({
      listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: echo.port, latencyMs: 25,
    });
    pid = proxy.pid;
    assert.ok(proxy.port > 0);
    assert.ok(isAlive(pid));
    const socket = await connect(proxy.port);
    const rttMs = await medianRoundTripMs(socket, 3);
    assert.ok(rttMs >= 49 && rttMs < 150, `round trip through the detached proxy: ${rttMs.toFixed(1)} ms`);
    socket.destroy();
    process.kill(pid, 'SIGTERM');
    assert.ok(await waitGone(pid, 3_000), 'proxy exits within 3 s of SIGTERM');
    pid = undefined;
  } finally {
    if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGKILL');
    await echo.close();
  }
});

test('main entry prints the ready line as JSON with port and pid', () => {
  // Synchronous run with a timeout: it must be killed, so check the ready line only.
  const result = spawnSync(
    process.execPath,
    [TCP_PROXY_MAIN_PATH, JSON.stringify({ listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: 9 })],
    { encoding: 'utf8', timeout: 1_500, killSignal: 'SIGTERM' },
  );
  const line = result.stdout.split('\n')[0] ?? '';
  const ready = JSON.parse(line) as { ready: boolean; port: number; pid: number };
  assert.equal(ready.ready, true);
  assert.ok(ready.port > 0);
  assert.equal(ready.pid, result.pid);
  assert.equal(result.status, 0, 'SIGTERM → clean exit 0');
});

test('main entry rejects bad options with a ready:false line and exit code 2', () => {
  const bad = spawnSync(process.execPath, [TCP_PROXY_MAIN_PATH, '{"listenHost":"127.0.0.1","listenPort":0,"targetHost":"127.0.0.1","targetPort":9,"latencyMs":-5}'], {
    encoding: 'utf8', timeout: 5_000,
  });
  assert.equal(bad.status, 2);
  const line = JSON.parse(bad.stdout.split('\n')[0] ?? '') as { ready: boolean; error: string };
  assert.equal(line.ready, false);
  assert.match(line.error, /latencyMs/);
  const notJson = spawnSync(process.execPath, [TCP_PROXY_MAIN_PATH, 'not json'], { encoding: 'utf8', timeout: 5_000 });
  assert.equal(notJson.status, 2);
  assert.throws(() => tcpProxyCommand({ listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: 70_000 }), UsageError);
});

test('spawnDetachedTcpProxy rejects when the port is taken', async () => {
  const echo = await startEchoServer();
  try {
    await assert.rejects(
      spawnDetachedTcpProxy({ listenHost: LOOPBACK, listenPort: echo.port, targetHost: LOOPBACK, targetPort: echo.port }),
      /cannot listen/,
    );
  } finally {
    await echo.close();
  }
});

test('tcpProxyCommand puts a namespace prefix before node', () => {
  const argv = tcpProxyCommand({ listenHost: '0.0.0.0', listenPort: 19092, targetHost: '10.77.0.2', targetPort: 9092, latencyMs: 50 }, [
    'ip', 'netns', 'exec', 'fl-n1',
  ]);
  assert.deepEqual(argv.slice(0, 6), ['ip', 'netns', 'exec', 'fl-n1', process.execPath, TCP_PROXY_MAIN_PATH]);
  assert.deepEqual(JSON.parse(argv[6] ?? ''), { listenHost: '0.0.0.0', listenPort: 19092, targetHost: '10.77.0.2', targetPort: 9092, latencyMs: 50 });
});

test('the detached proxy survives the process that spawned it', async () => {
  const echo = await startEchoServer();
  const moduleUrl = pathToFileURL(join(dirname(TCP_PROXY_MAIN_PATH), 'tcp-proxy-process.js')).href;
  // A short-lived parent (like the faultline CLI) spawns the proxy, prints its pid and port, and exits.
  const script =
    `const { spawnDetachedTcpProxy } = await import(${JSON.stringify(moduleUrl)});` +
    `const p = await spawnDetachedTcpProxy({ listenHost: '127.0.0.1', listenPort: 0, targetHost: '127.0.0.1', targetPort: ${echo.port} });` +
    `console.log(JSON.stringify(p));`;
  const parent = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(parent.status, 0, parent.stderr);
  const { pid, port } = JSON.parse(parent.stdout.trim()) as { pid: number; port: number };
  try {
    assert.ok(isAlive(pid), 'proxy still running after its parent exited');
    const socket = await connect(port);
    const rttMs = await medianRoundTripMs(socket, 3);
    assert.ok(rttMs < 50, `forwarding works: ${rttMs.toFixed(1)} ms`);
    socket.destroy();
    process.kill(pid, 'SIGTERM');
    assert.ok(await waitGone(pid, 3_000));
  } finally {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    await echo.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { startTcpProxy } from '../../../src/net/tcp-proxy.js';
import { UsageError } from '../../../src/errors.js';
import {
  LOOPBACK,
  SLACK_MS,
  activeResources,
  assertConcurrentEchoesIntact,
  assertEchoInOrder,
  assertHalfCloseAfterData,
  connect,
  medianRoundTripMs,
  sleep,
  startEchoServer,
  startServer,
  tryConnect,
} from './proxy-helpers.js';

test('latency 100 ms both ways adds ~200 ms to a round trip', async () => {
  const echo = await startEchoServer();
  const proxy = await startTcpProxy({ listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: echo.port, latencyMs: 100 });
  try {
    const socket = await connect(proxy.port);
    const rttMs = await medianRoundTripMs(socket, 5);
    assert.ok(rttMs >= 199, `round trip ${rttMs.toFixed(1)} ms should be >= 200 ms`);
    assert.ok(rttMs <= 200 + SLACK_MS, `round trip ${rttMs.toFixed(1)} ms should be close to 200 ms`);
    socket.destroy();
  } finally {
    await proxy.close();
    await echo.close();
  }
});

test("direction 'upstream' adds latency one way only", async () => {
  const echo = await startEchoServer();
  const proxy = await startTcpProxy({
    listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: echo.port, latencyMs: 100, direction: 'upstream',
  });
  try {
    const socket = await connect(proxy.port);
    const rttMs = await medianRoundTripMs(socket, 5);
    assert.ok(rttMs >= 99 && rttMs <= 100 + SLACK_MS, `round trip ${rttMs.toFixed(1)} ms should be ~100 ms`);
    socket.destroy();
  } finally {
    await proxy.close();
    await echo.close();
  }
});

test('update() changes latency live on an open connection', async () => {
  const echo = await startEchoServer();
  const proxy = await startTcpProxy({ listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: echo.port });
  try {
    const socket = await connect(proxy.port);
    const fastMs = await medianRoundTripMs(socket, 5);
    assert.ok(fastMs < 30, `no latency: ${fastMs.toFixed(1)} ms`);
    proxy.update({ latencyMs: 60 });
    const slowMs = await medianRoundTripMs(socket, 3);
    assert.ok(slowMs >= 119 && slowMs <= 120 + SLACK_MS, `after update: ${slowMs.toFixed(1)} ms should be ~120 ms`);
    proxy.update({ latencyMs: 0 });
    const healedMs = await medianRoundTripMs(socket, 5);
    assert.ok(healedMs < 30, `after healing: ${healedMs.toFixed(1)} ms`);
    assert.equal(proxy.degradation().latencyMs, 0);
    socket.destroy();
  } finally {
    await proxy.close();
    await echo.close();
  }
});

test('jitter never reorders the bytes of a stream', async () => {
  const echo = await startEchoServer();
  const proxy = await startTcpProxy({
    listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: echo.port, latencyMs: 10, jitterMs: 10, seed: 42,
  });
  try {
    const socket = await connect(proxy.port);
    const count = 400;
    await assertEchoInOrder(socket, count);
    assert.equal(proxy.stats().bytesUpstream, count * 4);
    socket.destroy();
  } finally {
    await proxy.close();
    await echo.close();
  }
});

test('bandwidth limit of 1 MiB/s makes a 1 MiB upload take ~1 s', async () => {
  const totalBytes = 1024 * 1024;
  let received = 0;
  let resolveDone: (ms: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => {
    resolveDone = resolve;
  });
  const sink = await startServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= totalBytes) resolveDone(performance.now());
    });
  });
  const proxy = await startTcpProxy({
    listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: sink.port, bandwidthBytesPerSec: 1024 * 1024,
  });
  try {
    const socket = await connect(proxy.port);
    const started = performance.now();
    socket.write(Buffer.alloc(totalBytes, 1));
    const finished = await Promise.race([done, sleep(5_000).then(() => NaN)]);
    const elapsedMs = finished - started;
    assert.ok(elapsedMs >= 900 && elapsedMs <= 1_400, `1 MiB at 1 MiB/s took ${elapsedMs.toFixed(0)} ms`);
    socket.destroy();
  } finally {
    await proxy.close();
    await sink.close();
  }
});

test('flaky: connections are reset during down windows and work again in up windows', async () => {
  const echo = await startEchoServer();
  const proxy = await startTcpProxy({
    listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: echo.port, flaky: { upMs: 400, downMs: 400 },
  });
  const startedMs = performance.now();
  const sleepUntil = (atMs: number): Promise<void> => sleep(Math.max(0, startedMs + atMs - performance.now()));
  try {
    // Up for [0, 400) ms: a connection opened now is dropped when the down window starts.
    const survivor = await connect(proxy.port);
    const dropped = new Promise<string>((resolve) => {
      survivor.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      survivor.on('close', () => resolve('close'));
    });
    assert.equal(await tryConnect(proxy.port, 100), 'open');
    await sleepUntil(480); // down for [400, 800)
    assert.equal(proxy.stats().linkUp, false);
    assert.notEqual(await Promise.race([dropped, sleep(100).then(() => 'still open')]), 'still open');
    assert.equal(await tryConnect(proxy.port, 100), 'reset');
    await sleepUntil(880); // up again for [800, 1200)
    assert.equal(proxy.stats().linkUp, true);
    assert.equal(await tryConnect(proxy.port, 100), 'open');
    const stats = proxy.stats();
    assert.ok(stats.connectionsRejected >= 1);
    assert.ok(stats.connectionsDropped >= 1);
    // Removing the schedule brings the link up for good.
    proxy.update({ flaky: undefined });
    assert.equal(proxy.stats().linkUp, true);
  } finally {
    await proxy.close();
    await echo.close();
  }
});

test('backpressure: a target that does not read keeps the proxy queue bounded', async () => {
  const stalled = await startServer((socket) => socket.pause());
  const maxQueuedBytes = 64 * 1024;
  const proxy = await startTcpProxy({
    listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: stalled.port, maxQueuedBytes,
  });
  try {
    const socket = await connect(proxy.port);
    const chunk = Buffer.alloc(64 * 1024, 2);
    // Bounded: 256 × 64 KiB = 16 MiB offered; kernel buffers + proxy queue take far less.
    for (let i = 0; i < 256 && socket.writableLength < 4 * 1024 * 1024; i++) socket.write(chunk);
    await sleep(300);
    const stats = proxy.stats();
    // The queue may exceed the bound by one chunk read from the socket (<= 64 KiB).
    assert.ok(stats.bytesQueued <= maxQueuedBytes + 64 * 1024, `queued ${stats.bytesQueued} bytes`);
    assert.ok(stats.bytesUpstream < 16 * 1024 * 1024, 'the target stalled, so not everything went through');
    socket.destroy();
  } finally {
    await proxy.close();
    await stalled.close();
  }
});

test('half-close: data queued behind latency is delivered before the FIN', async () => {
  const echo = await startEchoServer();
  const proxy = await startTcpProxy({ listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: echo.port, latencyMs: 30 });
  try {
    await assertHalfCloseAfterData(await connect(proxy.port));
  } finally {
    await proxy.close();
    await echo.close();
  }
});

test('many concurrent connections with latency, jitter and a shared limit keep every stream intact', async () => {
  const echo = await startEchoServer();
  const proxy = await startTcpProxy({
    listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: echo.port,
    latencyMs: 5, jitterMs: 5, bandwidthBytesPerSec: 16 * 1024 * 1024, maxQueuedBytes: 16 * 1024,
  });
  try {
    const connections = 40;
    const bytesEach = 96 * 1024;
    await assertConcurrentEchoesIntact(proxy.port, connections, bytesEach);
    const stats = proxy.stats();
    assert.equal(stats.bytesUpstream, connections * bytesEach);
    assert.equal(stats.bytesDownstream, connections * bytesEach);
  } finally {
    await proxy.close();
    await echo.close();
  }
});

test('close() closes the listener and every socket, leaving no handles behind', async () => {
  const echo = await startEchoServer();
  const baseline = activeResources();
  const proxy = await startTcpProxy({
    listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: echo.port, latencyMs: 1_000, flaky: { upMs: 10_000, downMs: 10 },
  });
  const sockets = await Promise.all([connect(proxy.port), connect(proxy.port), connect(proxy.port)]);
  for (const socket of sockets) {
    socket.on('error', () => undefined);
    socket.write('queued behind a 1 s delay');
  }
  await sleep(50);
  assert.equal(proxy.stats().connectionsActive, 3);
  const closeStarted = performance.now();
  await proxy.close();
  assert.ok(performance.now() - closeStarted < 500, 'close() must not wait for queued data');
  await proxy.close(); // idempotent
  assert.equal(proxy.stats().connectionsActive, 0);
  await Promise.all(sockets.map((s) => (s.destroyed ? Promise.resolve() : new Promise((r) => s.once('close', r)))));
  await echo.close();
  await sleep(20);
  const after = activeResources();
  for (const kind of ['TCPSocketWrap', 'TCPServerWrap', 'Timeout']) {
    // The echo server was in the baseline and is closed now, so "after" may be lower, never higher.
    assert.ok((after.get(kind) ?? 0) <= (baseline.get(kind) ?? 0), `${kind}: ${after.get(kind) ?? 0} after vs ${baseline.get(kind) ?? 0} before`);
  }
});

test('an unreachable target resets the client', async () => {
  const gone = await startEchoServer();
  const port = gone.port;
  await gone.close();
  const proxy = await startTcpProxy({ listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: port });
  try {
    assert.equal(await tryConnect(proxy.port, 300), 'reset');
    await sleep(20);
    assert.equal(proxy.stats().connectionsActive, 0);
  } finally {
    await proxy.close();
  }
});

test('bad options throw UsageError naming the option', async () => {
  const base = { listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: 9 };
  await assert.rejects(startTcpProxy({ ...base, latencyMs: -1 }), (e: unknown) => e instanceof UsageError && e.message.includes('latencyMs'));
  await assert.rejects(startTcpProxy({ ...base, targetPort: 0 }), (e: unknown) => e instanceof UsageError && e.message.includes('targetPort'));
  await assert.rejects(startTcpProxy({ ...base, bandwidthBytesPerSec: 0 }), (e: unknown) => e instanceof UsageError && e.message.includes('bandwidthBytesPerSec'));
  await assert.rejects(startTcpProxy({ ...base, flaky: { upMs: 10, downMs: 0 } }), (e: unknown) => e instanceof UsageError && e.message.includes('flaky.downMs'));
  await assert.rejects(
    startTcpProxy({ ...base, direction: 'sideways' as unknown as 'both' }),
    (e: unknown) => e instanceof UsageError && e.message.includes('direction'),
  );
  await assert.rejects(
    startTcpProxy({ ...base, latncyMs: 5 } as unknown as typeof base),
    (e: unknown) => e instanceof UsageError && e.message.includes('latncyMs: unknown option'),
  );
  const proxy = await startTcpProxy({ ...base });
  try {
    assert.throws(() => proxy.update({ jitterMs: Number.NaN }), (e: unknown) => e instanceof UsageError && e.message.includes('jitterMs'));
    assert.equal(proxy.degradation().jitterMs, 0, 'a rejected update changes nothing');
  } finally {
    await proxy.close();
  }
});

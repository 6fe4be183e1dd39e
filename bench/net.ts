/**
 * Degraded-link proxy benchmark (loopback only): proxy overhead at latency 0, throughput with no limit,
 * and requested vs measured latency, jitter spread and bandwidth.
 * Run: npm run bench -- net  → writes bench/results/net.json
 */
import net, { type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startTcpProxy, type TcpProxyDegradation } from '../src/net/tcp-proxy.js';

const LOOPBACK = '127.0.0.1';
const READ_TIMEOUT_MS = 10_000;

async function listen(server: Server): Promise<number> {
  server.listen(0, LOOPBACK);
  await once(server, 'listening');
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

async function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((done) => server.close(() => done()));
}

function trackedServer(onSocket: (socket: Socket) => void): { server: Server; sockets: Set<Socket> } {
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  return { server, sockets };
}

async function connect(port: number): Promise<Socket> {
  const socket = net.connect({ host: LOOPBACK, port });
  socket.setNoDelay(true);
  await once(socket, 'connect');
  return socket;
}

function waitForBytes(socket: Socket, bytes: number): Promise<void> {
  return new Promise((done, fail) => {
    let received = 0;
    const timer = setTimeout(() => fail(new Error(`timeout after ${received}/${bytes} bytes`)), READ_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received >= bytes) {
        clearTimeout(timer);
        socket.off('data', onData);
        done();
      }
    };
    socket.on('data', onData);
  });
}

interface RoundTripSummary {
  samples: number;
  medianMs: number;
  p99Ms: number;
  minMs: number;
  maxMs: number;
  stdevMs: number;
}

async function roundTrips(port: number, samples: number): Promise<RoundTripSummary> {
  const socket = await connect(port);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    const reply = waitForBytes(socket, 1);
    socket.write(Buffer.from([1]));
    await reply;
    times.push(performance.now() - started);
  }
  socket.destroy();
  times.sort((a, b) => a - b);
  const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  return {
    samples,
    medianMs: round(at(0.5)),
    p99Ms: round(at(0.99)),
    minMs: round(times[0] ?? NaN),
    maxMs: round(times[times.length - 1] ?? NaN),
    stdevMs: round(Math.sqrt(times.reduce((sum, t) => sum + (t - mean) ** 2, 0) / times.length)),
  };
}

/** Pushes `totalBytes` one way to a sink; returns bytes per second as seen by the sink. */
async function uploadRate(port: number, totalBytes: number, sinkDone: () => Promise<number>): Promise<number> {
  const socket = await connect(port);
  const chunk = Buffer.alloc(256 * 1024, 3);
  const started = performance.now();
  const finished = sinkDone();
  // Bounded loop; respects backpressure so the client's own buffer stays small.
  for (let sent = 0; sent < totalBytes; sent += chunk.length) {
    if (!socket.write(chunk)) await once(socket, 'drain');
  }
  const endMs = await finished;
  socket.destroy();
  return totalBytes / ((endMs - started) / 1000);
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export async function runNetBench(): Promise<Record<string, unknown>> {
  const echo = trackedServer((socket) => socket.pipe(socket));
  const echoPort = await listen(echo.server);
  let sinkTarget = 0;
  let sinkReceived = 0;
  let sinkResolve: (ms: number) => void = () => undefined;
  const sink = trackedServer((socket) =>
    socket.on('data', (chunk: Buffer) => {
      sinkReceived += chunk.length;
      if (sinkReceived >= sinkTarget) sinkResolve(performance.now());
    }),
  );
  const sinkPort = await listen(sink.server);
  const sinkDone = (totalBytes: number) => (): Promise<number> => {
    sinkTarget = totalBytes;
    sinkReceived = 0;
    return new Promise<number>((done) => {
      sinkResolve = done;
    });
  };

  const withProxy = async <T>(targetPort: number, degradation: TcpProxyDegradation, body: (port: number) => Promise<T>): Promise<T> => {
    const proxy = await startTcpProxy({ listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort, seed: 1, ...degradation });
    try {
      return await body(proxy.port);
    } finally {
      await proxy.close();
    }
  };

  try {
    const direct = await roundTrips(echoPort, 500);
    const proxied = await withProxy(echoPort, {}, (port) => roundTrips(port, 500));
    const throughputBytes = 256 * 1024 * 1024;
    const directRate = await uploadRate(sinkPort, throughputBytes, sinkDone(throughputBytes));
    const proxiedRate = await withProxy(sinkPort, {}, (port) => uploadRate(port, throughputBytes, sinkDone(throughputBytes)));

    const latency: Record<string, unknown>[] = [];
    for (const [latencyMs, samples] of [[10, 30], [50, 20], [200, 8]] as const) {
      const summary = await withProxy(echoPort, { latencyMs }, (port) => roundTrips(port, samples));
      const requestedRoundTripMs = 2 * latencyMs;
      latency.push({
        latencyMs,
        direction: 'both',
        requestedRoundTripMs,
        measured: summary,
        addedMedianMs: round(summary.medianMs - direct.medianMs),
        errorMedianMs: round(summary.medianMs - direct.medianMs - requestedRoundTripMs),
      });
    }
    const jitter = await withProxy(echoPort, { latencyMs: 50, jitterMs: 20 }, (port) => roundTrips(port, 40));

    const bandwidth: Record<string, unknown>[] = [];
    for (const [rateBytesPerSec, totalBytes] of [[1024 * 1024, 2 * 1024 * 1024], [10 * 1024 * 1024, 20 * 1024 * 1024]] as const) {
      const measured = await withProxy(sinkPort, { bandwidthBytesPerSec: rateBytesPerSec }, (port) =>
        uploadRate(port, totalBytes, sinkDone(totalBytes)),
      );
      bandwidth.push({
        requestedBytesPerSec: rateBytesPerSec,
        transferBytes: totalBytes,
        measuredBytesPerSec: Math.round(measured),
        ratio: round(measured / rateBytesPerSec, 3),
      });
    }

    return {
      node: process.version,
      overhead: {
        directRoundTrip: direct,
        proxiedRoundTrip: proxied,
        addedMedianMs: round(proxied.medianMs - direct.medianMs, 3),
      },
      throughput: {
        transferBytes: throughputBytes,
        directMiBPerSec: round(directRate / 1024 / 1024, 1),
        proxiedMiBPerSec: round(proxiedRate / 1024 / 1024, 1),
      },
      latencyAccuracy: latency,
      jitter: { latencyMs: 50, jitterMs: 20, expectedRoundTripRangeMs: [60, 140], measured: jitter },
      bandwidthAccuracy: bandwidth,
    };
  } finally {
    await closeServer(echo.server, echo.sockets);
    await closeServer(sink.server, sink.sockets);
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const results = await runNetBench();
  // dist/bench/net.js → <repo>/bench/results/net.json
  const out = resolve(dirname(fileURLToPath(import.meta.url)), '../../bench/results/net.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  console.log(JSON.stringify(results, null, 2));
}

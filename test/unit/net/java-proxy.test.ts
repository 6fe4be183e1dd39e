import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import net, { type Socket } from 'node:net';
import {
  JAVA_PROXY_CLASS_DIR,
  JAVA_PROXY_MAIN_CLASS,
  javaProxyArgs,
  javaProxyClassFiles,
} from '../../../src/net/java-proxy.js';
import { startTcpProxy, type TcpProxyOptions } from '../../../src/net/tcp-proxy.js';
import { UsageError } from '../../../src/errors.js';
import { SeededRandom } from '../../../src/util/seeded-random.js';
import {
  LOOPBACK,
  SLACK_MS,
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

// The same behaviour is asserted on the Node proxy (in process) and the Java proxy (a `java` child), so the Java
// twin is held to the Node proxy's contract; Java-only checks (its command line, exit codes, signals) follow.

/** A JVM starts in ~0.25 s here; under load (a Kafka cluster next door) much slower. */
const JAVA_READY_TIMEOUT_MS = 20_000;
const JAVA_EXIT_TIMEOUT_MS = 5_000;

/** `promise`, or `fallback` after timeoutMs; the timer is cleared either way (no timer outlives a test). */
async function within<T, F>(promise: Promise<T>, timeoutMs: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface RunningProxy {
  port: number;
  close(): Promise<void>;
}

interface JavaProxyProcess extends RunningProxy {
  pid: number;
  /** Resolves with the exit code (null when ended by a signal) and the signal. */
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  signal(name: NodeJS.Signals): void;
}

/** Starts the compiled Java proxy (with at most `fdLimit` open files when given) and waits for its ready line. */
async function startJavaProxy(options: TcpProxyOptions, fdLimit?: number): Promise<JavaProxyProcess> {
  const args = javaProxyArgs(options, { tag: 'unit-test' });
  const [command, argv] = fdLimit === undefined ? ['java', args] : ['bash', ['-c', `ulimit -n ${fdLimit} && exec java "$@"`, 'java', ...args]];
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdout.setEncoding('utf8');
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within ${JAVA_READY_TIMEOUT_MS} ms`)), JAVA_READY_TIMEOUT_MS);
    child.stdout.on('data', (text: string) => {
      stdout += text;
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      resolve(stdout.slice(0, newline));
    });
    void exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`java exited ${code}: ${stdout} ${stderr}`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  const ready = JSON.parse(line) as { ready: boolean; port: number; pid: number };
  assert.equal(ready.ready, true, line);
  assert.equal(ready.pid, child.pid, 'the pid in the ready line is the process started (bash execs java)');
  const signal = (name: NodeJS.Signals): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
  };
  return {
    port: ready.port,
    pid: ready.pid,
    exited,
    signal,
    close: async () => {
      signal('SIGTERM');
      if ((await within(exited, JAVA_EXIT_TIMEOUT_MS, 'timeout')) === 'timeout') signal('SIGKILL');
    },
  };
}

const KINDS: { name: string; start: (options: TcpProxyOptions) => Promise<RunningProxy> }[] = [
  { name: 'node', start: startTcpProxy },
  { name: 'java', start: (options) => startJavaProxy(options) },
];

type Degradation = Omit<TcpProxyOptions, 'listenHost' | 'listenPort' | 'targetHost' | 'targetPort'>;

/** Runs `body` with a proxy of `kind` in front of `targetPort`, closing the proxy afterwards. */
async function withProxy(
  kind: (typeof KINDS)[number],
  targetPort: number,
  degradation: Degradation,
  body: (port: number) => Promise<void>,
): Promise<void> {
  const proxy = await kind.start({ listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort, ...degradation });
  try {
    await body(proxy.port);
  } finally {
    await proxy.close();
  }
}

/** Same, in front of an echo server. */
async function withEchoProxy(
  kind: (typeof KINDS)[number],
  degradation: Degradation,
  body: (port: number) => Promise<void>,
): Promise<void> {
  const echo = await startEchoServer();
  try {
    await withProxy(kind, echo.port, degradation, body);
  } finally {
    await echo.close();
  }
}

/** Resolves with how the socket ended ('close' or an error code), or 'still open' after waitMs. */
function endedWithin(socket: Socket, waitMs: number): Promise<string> {
  const ended = new Promise<string>((resolve) => {
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    socket.on('close', () => resolve('close'));
  });
  return within(ended, waitMs, 'still open');
}

/** Opens a connection and reports how it ended within waitMs (before or after the handshake). */
async function connectionEnd(port: number, waitMs: number): Promise<string> {
  const socket = net.connect({ host: LOOPBACK, port });
  try {
    return await endedWithin(socket, waitMs);
  } finally {
    socket.destroy();
  }
}

for (const kind of KINDS) {
  test(`${kind.name}: latency 50 ms both ways adds ~100 ms to a round trip`, () =>
    withEchoProxy(kind, { latencyMs: 50 }, async (port) => {
      const socket = await connect(port);
      const rttMs = await medianRoundTripMs(socket, 5);
      assert.ok(rttMs >= 99 && rttMs <= 100 + SLACK_MS, `round trip ${rttMs.toFixed(1)} ms should be ~100 ms`);
      socket.destroy();
    }));

  test(`${kind.name}: direction 'upstream' adds latency one way only`, () =>
    // 100 ms, so that both ways (200 ms) would be above the slack.
    withEchoProxy(kind, { latencyMs: 100, direction: 'upstream' }, async (port) => {
      const socket = await connect(port);
      const rttMs = await medianRoundTripMs(socket, 5);
      assert.ok(rttMs >= 99 && rttMs <= 100 + SLACK_MS, `round trip ${rttMs.toFixed(1)} ms should be ~100 ms`);
      socket.destroy();
    }));

  test(`${kind.name}: jitter never reorders the bytes of a stream`, () =>
    withEchoProxy(kind, { latencyMs: 10, jitterMs: 10, seed: 42 }, async (port) => {
      const socket = await connect(port);
      await assertEchoInOrder(socket, 400);
      socket.destroy();
    }));

  test(`${kind.name}: 256 KiB at 512 KiB/s take ~0.5 s`, async () => {
    const totalBytes = 256 * 1024;
    const rateBytesPerSec = 512 * 1024;
    let received = 0;
    let finishedMs = NaN;
    const sink = await startServer((socket) =>
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= totalBytes) finishedMs = performance.now();
      }),
    );
    try {
      await withProxy(kind, sink.port, { bandwidthBytesPerSec: rateBytesPerSec }, async (port) => {
        const socket = await connect(port);
        const startedMs = performance.now();
        socket.write(Buffer.alloc(totalBytes, 1));
        for (let waitedMs = 0; Number.isNaN(finishedMs) && waitedMs < 5_000; waitedMs += 10) await sleep(10);
        const elapsedMs = finishedMs - startedMs;
        // The first 20 ms of rate are a free burst: at least (N - burst) / rate.
        const minimumMs = ((totalBytes - rateBytesPerSec * 0.02) / rateBytesPerSec) * 1000;
        assert.ok(elapsedMs >= minimumMs - 5 && elapsedMs <= 1_500, `256 KiB took ${elapsedMs.toFixed(0)} ms (>= ${minimumMs.toFixed(0)})`);
        socket.destroy();
      });
    } finally {
      await sink.close();
    }
  });

  test(`${kind.name}: flaky resets open and new connections in the down window, works again in the up window`, () =>
    withEchoProxy(kind, { flaky: { upMs: 600, downMs: 600 } }, async (port) => {
      // The schedule starts when the proxy listens, a few ms before we see the ready line: up [0, 600).
      const startedMs = performance.now();
      const sleepUntil = (atMs: number): Promise<void> => sleep(Math.max(0, startedMs + atMs - performance.now()));
      const survivor = await connect(port);
      const survivorEnd = endedWithin(survivor, 1_000);
      assert.equal(await tryConnect(port, 100), 'open');
      await sleepUntil(750); // down [600, 1200)
      assert.equal(await survivorEnd, 'ECONNRESET', 'the open connection is reset when the link goes down');
      assert.equal(await connectionEnd(port, 200), 'ECONNRESET', 'a new connection is reset');
      await sleepUntil(1_350); // up again [1200, 1800)
      const fresh = await connect(port);
      assert.ok((await medianRoundTripMs(fresh, 1)) < 200, 'a new connection forwards again');
      fresh.destroy();
    }));

  test(`${kind.name}: 40 concurrent connections with latency, jitter, a shared limit and small queues stay intact`, () =>
    withEchoProxy(kind, { latencyMs: 5, jitterMs: 5, bandwidthBytesPerSec: 16 * 1024 * 1024, maxQueuedBytes: 16 * 1024 }, (port) =>
      assertConcurrentEchoesIntact(port, 40, 96 * 1024),
    ));

  test(`${kind.name}: half-close is forwarded after the data queued behind latency`, () =>
    withEchoProxy(kind, { latencyMs: 30 }, async (port) => {
      await assertHalfCloseAfterData(await connect(port));
    }));

  test(`${kind.name}: a target that refuses resets the client`, async () => {
    const gone = await startEchoServer();
    await gone.close(); // its port is now refused
    await withProxy(kind, gone.port, {}, async (port) => {
      assert.equal(await connectionEnd(port, 1_000), 'ECONNRESET');
    });
  });
}

test('java: the build produced the class files, javaProxyArgs puts every option on the command line', () => {
  const files = javaProxyClassFiles();
  assert.ok(files.includes(join(JAVA_PROXY_CLASS_DIR, `${JAVA_PROXY_MAIN_CLASS}.class`)), files.join(', '));
  assert.ok(files.every((file) => existsSync(file)));
  const args = javaProxyArgs(
    { listenHost: '0.0.0.0', listenPort: 19092, targetHost: '10.77.0.2', targetPort: 9092, latencyMs: 2.5, flaky: { upMs: 100, downMs: 50 } },
    { classDir: '/opt/faultline/java', tag: 'fault-7' },
  );
  assert.deepEqual(args.slice(args.indexOf('-cp')), [
    '-cp', '/opt/faultline/java', 'FaultlineTcpProxy',
    'listenHost=0.0.0.0', 'listenPort=19092', 'targetHost=10.77.0.2', 'targetPort=9092', 'latencyMs=2.5', 'jitterMs=0',
    'flakyUpMs=100', 'flakyDownMs=50', 'direction=both', 'seed=1', 'maxQueuedBytes=1048576', 'maxConnections=1024', 'tag=fault-7',
  ]);
  assert.throws(() => javaProxyArgs({ listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: 70_000 }), /targetPort/);
  assert.throws(() => javaProxyArgs({ listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: 9 }, { tag: 'a\nb' }), UsageError);
});

test('java: ready line carries the port and the pid; SIGHUP is ignored; SIGTERM with open connections exits 0', async () => {
  const echo = await startEchoServer();
  const proxy = await startJavaProxy({ listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: echo.port, latencyMs: 1_000 });
  try {
    assert.ok(proxy.port > 0);
    proxy.signal('SIGHUP');
    const socket = await connect(proxy.port);
    socket.on('error', () => undefined);
    assert.ok((await medianRoundTripMs(socket, 1)) >= 1_999, 'alive and forwarding after SIGHUP');
    socket.write('queued behind a 1 s delay');
    await sleep(50);
    const socketEnd = endedWithin(socket, JAVA_EXIT_TIMEOUT_MS);
    const stoppedMs = performance.now();
    proxy.signal('SIGTERM');
    assert.deepEqual(await within(proxy.exited, JAVA_EXIT_TIMEOUT_MS, 'no exit'), [0, null]);
    assert.ok(performance.now() - stoppedMs < 2_000, 'closes without waiting for queued data');
    assert.notEqual(await socketEnd, 'still open', 'the client connection is closed');
  } finally {
    await proxy.close();
    await echo.close();
  }
});

/** CPU time (user + system) of a process so far, in clock ticks (/proc/PID/stat fields 14 and 15). */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}

test('java: out of file descriptors it neither dies nor spins, and accepts again once some are free', async () => {
  const echo = await startEchoServer();
  const proxy = await startJavaProxy({ listenHost: LOOPBACK, listenPort: 0, targetHost: LOOPBACK, targetPort: echo.port }, 60);
  const sockets: Socket[] = [];
  try {
    // Each connection costs the proxy 2 descriptors: 60 connections exhaust a limit of 60.
    for (let i = 0; i < 60; i++) sockets.push(net.connect({ host: LOOPBACK, port: proxy.port }).on('error', () => undefined));
    await sleep(300);
    const before = cpuTicks(proxy.pid);
    await sleep(1_000);
    const spentTicks = cpuTicks(proxy.pid) - before;
    assert.ok(spentTicks < 30, `${spentTicks} clock ticks of CPU in 1 s while accept() fails: the loop spins`);
    for (const socket of sockets) socket.destroy();
    await sleep(500);
    const socket = await connect(proxy.port);
    assert.ok((await medianRoundTripMs(socket, 1)) < 1_000, 'forwards again');
    socket.destroy();
    assert.equal(await within(proxy.exited, 0, 'running'), 'running');
  } finally {
    for (const socket of sockets) socket.destroy();
    await proxy.close();
    await echo.close();
  }
});

/** Runs the Java proxy with raw arguments until it exits (it does at once on bad input). */
function runJava(args: string[]): { status: number | null; line: { ready: boolean; error?: string } } {
  const result = spawnSync('java', ['-cp', JAVA_PROXY_CLASS_DIR, JAVA_PROXY_MAIN_CLASS, ...args], { encoding: 'utf8', timeout: JAVA_READY_TIMEOUT_MS });
  return { status: result.status, line: JSON.parse(result.stdout.split('\n')[0] ?? '') as { ready: boolean; error?: string } };
}

test('java: bad arguments exit 2 naming the field; a port in use exits 3', async () => {
  const base = ['listenHost=127.0.0.1', 'listenPort=0', 'targetHost=127.0.0.1'];
  const cases: [string[], RegExp][] = [
    [[...base, 'targetPort=9', 'latencyMs=-5'], /^latencyMs: -5 is out of range/],
    [[...base, 'targetPort=9', 'jitterMs=NaN'], /^jitterMs: expected a number/],
    [[...base, 'targetPort=9', 'direction=sideways'], /^direction: /],
    [[...base, 'targetPort=9', 'flakyUpMs=100'], /^flakyDownMs: required/],
    [[...base, 'targetPort=9', 'latency=5'], /^latency: unknown option/],
    [base, /^targetPort: required/],
  ];
  for (const [args, expected] of cases) {
    const { status, line } = runJava(args);
    assert.equal(status, 2, args.join(' '));
    assert.equal(line.ready, false);
    assert.match(line.error ?? '', expected);
  }
  const taken = await startEchoServer();
  try {
    const { status, line } = runJava(['listenHost=127.0.0.1', `listenPort=${taken.port}`, 'targetHost=127.0.0.1', 'targetPort=9']);
    assert.equal(status, 3);
    assert.match(line.error ?? '', /cannot listen/);
  } finally {
    await taken.close();
  }
});

test('java: jitter samples come from the same seeded generator as Node (mulberry32), so a seed fixes them', () => {
  // A probe class next to the proxy's (same package) prints its generator's first samples for a few seeds.
  const dir = mkdtempSync(join(tmpdir(), 'prng-probe-'));
  const seeds = [1, 42, -5, 4_294_967_295];
  writeFileSync(
    join(dir, 'PrngProbe.java'),
    `public class PrngProbe { public static void main(String[] a) { for (long seed : new long[] {${seeds.map((s) => `${s}L`).join(', ')}}) {` +
      ` FaultlineTcpProxy.SeededRandom r = new FaultlineTcpProxy.SeededRandom(seed);` +
      ` System.out.println(r.next() + " " + r.next() + " " + r.next()); } } }`,
  );
  const classPath = `${JAVA_PROXY_CLASS_DIR}:${dir}`;
  const compiled = spawnSync('javac', ['-cp', classPath, '-d', dir, join(dir, 'PrngProbe.java')], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(compiled.status, 0, compiled.stderr);
  const probe = spawnSync('java', ['-cp', classPath, 'PrngProbe'], { encoding: 'utf8', timeout: JAVA_READY_TIMEOUT_MS });
  const javaSamples = probe.stdout.trim().split('\n').map((line) => line.split(' ').map(Number));
  const nodeSamples = seeds.map((seed) => {
    const random = new SeededRandom(seed);
    return [random.next(), random.next(), random.next()];
  });
  assert.deepEqual(javaSamples, nodeSamples);
});

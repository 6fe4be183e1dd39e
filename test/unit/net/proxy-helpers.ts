import assert from 'node:assert/strict';
import net, { type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';

export const LOOPBACK = '127.0.0.1';

export interface TestServer {
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** A server on loopback that tracks its sockets so close() really closes everything. */
export async function startServer(onSocket: (socket: Socket) => void): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  server.listen(0, LOOPBACK);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    server,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function startEchoServer(): Promise<TestServer> {
  return startServer((socket) => socket.pipe(socket));
}

export async function connect(port: number): Promise<Socket> {
  const socket = net.connect({ host: LOOPBACK, port });
  socket.setNoDelay(true);
  await once(socket, 'connect');
  return socket;
}

/** Reads exactly `bytes` bytes, or rejects after timeoutMs / on close. */
function readExactly(socket: Socket, bytes: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let received = 0;
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      parts.push(chunk);
      received += chunk.length;
      if (received >= bytes) {
        cleanup();
        resolve(Buffer.concat(parts));
      }
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error(`socket closed after ${received}/${bytes} bytes`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${received}/${bytes} bytes`));
    }, timeoutMs);
    socket.on('data', onData);
    socket.on('close', onClose);
  });
}

/** Round trip of one byte through an echo path, in ms. */
async function roundTripMs(socket: Socket, timeoutMs = 5_000): Promise<number> {
  const started = performance.now();
  const reply = readExactly(socket, 1, timeoutMs);
  socket.write(Buffer.from([7]));
  await reply;
  return performance.now() - started;
}

/** Median of `samples` sequential round trips. */
export async function medianRoundTripMs(socket: Socket, samples: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) times.push(await roundTripMs(socket));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

/** Resolves to 'connected' (and closes), or 'reset'/'closed' when the peer reset or closed without data. */
export async function tryConnect(port: number, settleMs = 150): Promise<'open' | 'reset' | 'refused'> {
  const socket = net.connect({ host: LOOPBACK, port });
  return new Promise((resolve) => {
    let outcome: 'open' | 'reset' | 'refused' | undefined;
    const done = (value: 'open' | 'reset' | 'refused'): void => {
      if (outcome !== undefined) return;
      outcome = value;
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    // Connected and not reset within settleMs: the proxy kept it.
    const timer = setTimeout(() => done('open'), settleMs);
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED' ? 'refused' : 'reset'));
    socket.on('close', () => done('reset'));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Counts of handle types keeping the event loop alive (timers, sockets, servers). */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

/** Timer scheduling on a loaded 2-core machine: how far above a requested delay a measured one may be. */
export const SLACK_MS = 80;

/**
 * Writes `count` 4-byte sequence numbers through an echo path, in separate event-loop turns so a proxy sees many
 * chunks (each with its own jitter sample), and asserts they all come back in order.
 */
export async function assertEchoInOrder(socket: Socket, count: number): Promise<void> {
  const reply = readExactly(socket, count * 4, 10_000);
  for (let i = 0; i < count; i++) {
    const word = Buffer.alloc(4);
    word.writeUInt32BE(i);
    socket.write(word);
    if (i % 4 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  const received = await reply;
  for (let i = 0; i < count; i++) assert.equal(received.readUInt32BE(i * 4), i, `word ${i} out of order`);
}

/** Sends a message and half-closes; asserts the echo path returns the whole message, then its FIN. */
export async function assertHalfCloseAfterData(socket: Socket): Promise<void> {
  const parts: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => parts.push(chunk));
  const ended = new Promise<string>((resolve) => socket.on('end', () => resolve('ended')));
  socket.end('hello, world');
  assert.equal(await Promise.race([ended, sleep(3_000).then(() => 'no FIN within 3 s')]), 'ended');
  assert.equal(Buffer.concat(parts).toString(), 'hello, world');
}

/** Echoes a distinct payload over each of `connections` concurrent connections; asserts every one comes back intact. */
export async function assertConcurrentEchoesIntact(port: number, connections: number, bytesEach: number): Promise<void> {
  await Promise.all(
    Array.from({ length: connections }, async (_, index) => {
      const socket = await connect(port);
      const payload = Buffer.alloc(bytesEach);
      for (let i = 0; i < bytesEach; i++) payload[i] = (i * 31 + index) & 0xff;
      const reply = readExactly(socket, bytesEach, 15_000);
      socket.write(payload);
      assert.ok((await reply).equals(payload), `connection ${index} corrupted`);
      socket.destroy();
    }),
  );
}

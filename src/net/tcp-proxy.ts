import net, { type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { FaultlineError } from '../errors.js';
import { DelayedPipe } from './delayed-pipe.js';
import { SeededRandom } from '../util/seeded-random.js';
import { TokenBucket } from './token-bucket.js';
import {
  checkDegradationKeys,
  mergeDegradation,
  resolveTcpProxyOptions,
  type ResolvedDegradation,
  type ResolvedTcpProxyOptions,
  type TcpProxyDegradation,
  type TcpProxyOptions,
} from './tcp-proxy-options.js';

export type { TcpProxyOptions, TcpProxyDegradation, FlakySchedule, ProxyDirection } from './tcp-proxy-options.js';

export interface TcpProxyStats {
  /** Connections accepted and forwarded since start. */
  connectionsAccepted: number;
  /** Connections open now. */
  connectionsActive: number;
  /** Connections reset on accept: flaky down window or maxConnections reached. */
  connectionsRejected: number;
  /** Open connections destroyed when a flaky down window began. */
  connectionsDropped: number;
  /** Bytes delivered client → target. */
  bytesUpstream: number;
  /** Bytes delivered target → client. */
  bytesDownstream: number;
  /** Bytes accepted from sockets but not yet delivered, both directions, all connections. */
  bytesQueued: number;
  /** False during a flaky down window. */
  linkUp: boolean;
}

export interface TcpProxy {
  /** The port actually listened on (the ephemeral one when listenPort was 0). */
  readonly port: number;
  stats(): TcpProxyStats;
  /** The degradation in force now, defaults filled in. */
  degradation(): ResolvedDegradation;
  /** Changes the degradation live: new chunks get the new latency; queued chunks keep their due time. */
  update(partial: TcpProxyDegradation): void;
  /** Closes the listener and every socket; resolves when all are closed. Idempotent. */
  close(): Promise<void>;
}

interface Connection {
  client: Socket;
  upstream: Socket;
  pipes: DelayedPipe[];
  closed: Promise<void>;
}

/**
 * Starts a TCP proxy that forwards listenHost:listenPort → targetHost:targetPort with added latency, jitter,
 * a bandwidth limit and flaky up/down windows. Rejects with FaultlineError when the port cannot be bound,
 * UsageError for bad options.
 */
export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const resolved = resolveTcpProxyOptions(options);
  const proxy = new TcpProxyImpl(resolved);
  await proxy.listen();
  return proxy;
}

class TcpProxyImpl implements TcpProxy {
  private current: ResolvedDegradation;
  private readonly random: SeededRandom;
  private readonly server: Server;
  private readonly connections = new Set<Connection>();
  private upstreamBucket: TokenBucket | undefined;
  private downstreamBucket: TokenBucket | undefined;
  private flakyTimer: NodeJS.Timeout | undefined;
  private linkUp = true;
  private closing: Promise<void> | undefined;
  private listeningPort = 0;
  private readonly counters = {
    connectionsAccepted: 0,
    connectionsRejected: 0,
    connectionsDropped: 0,
    bytesUpstream: 0,
    bytesDownstream: 0,
  };

  constructor(private readonly options: ResolvedTcpProxyOptions) {
    this.current = {
      latencyMs: options.latencyMs,
      jitterMs: options.jitterMs,
      bandwidthBytesPerSec: options.bandwidthBytesPerSec,
      flaky: options.flaky,
      direction: options.direction,
    };
    this.random = new SeededRandom(options.seed);
    // allowHalfOpen: a client's FIN is forwarded to the target after queued data, not turned into a full close.
    this.server = net.createServer({ allowHalfOpen: true, pauseOnConnect: false }, (client) => this.accept(client));
    this.applyBandwidth();
  }

  get port(): number {
    return this.listeningPort;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => {
        reject(
          new FaultlineError(
            `tcp proxy: cannot listen on ${this.options.listenHost}:${this.options.listenPort}: ${error.message}`,
          ),
        );
      };
      this.server.once('error', onError);
      this.server.listen({ host: this.options.listenHost, port: this.options.listenPort }, () => {
        this.server.off('error', onError);
        // Later listener errors (rare: EMFILE on accept) must not crash the process.
        this.server.on('error', () => undefined);
        const address = this.server.address();
        this.listeningPort = typeof address === 'object' && address !== null ? address.port : 0;
        this.startFlaky();
        resolve();
      });
    });
  }

  stats(): TcpProxyStats {
    let bytesQueued = 0;
    for (const connection of this.connections) for (const pipe of connection.pipes) bytesQueued += pipe.queued;
    return { ...this.counters, connectionsActive: this.connections.size, bytesQueued, linkUp: this.linkUp };
  }

  degradation(): ResolvedDegradation {
    return { ...this.current, flaky: this.current.flaky === undefined ? undefined : { ...this.current.flaky } };
  }

  update(partial: TcpProxyDegradation): void {
    checkDegradationKeys(partial);
    const before = this.current;
    this.current = mergeDegradation(this.current, partial);
    this.applyBandwidth();
    if ('flaky' in partial && this.closing === undefined) {
      // A new schedule restarts from an up window; removing it brings the link up now.
      if (this.flakyTimer !== undefined) clearTimeout(this.flakyTimer);
      this.flakyTimer = undefined;
      this.linkUp = true;
      this.startFlaky();
    }
    if (before.bandwidthBytesPerSec !== this.current.bandwidthBytesPerSec || before.direction !== this.current.direction) {
      for (const connection of this.connections) for (const pipe of connection.pipes) pipe.poke();
    }
  }

  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    if (this.flakyTimer !== undefined) clearTimeout(this.flakyTimer);
    this.flakyTimer = undefined;
    const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const connections = [...this.connections];
    for (const connection of connections) this.destroyConnection(connection, false);
    this.closing = Promise.all([serverClosed, ...connections.map((c) => c.closed)]).then(() => undefined);
    return this.closing;
  }

  private accept(client: Socket): void {
    client.on('error', () => undefined);
    if (this.closing !== undefined || !this.linkUp || this.connections.size >= this.options.maxConnections) {
      this.counters.connectionsRejected++;
      client.resetAndDestroy();
      return;
    }
    this.counters.connectionsAccepted++;
    client.setNoDelay(true);
    const upstream = net.connect({ host: this.options.targetHost, port: this.options.targetPort, allowHalfOpen: true });
    upstream.setNoDelay(true);
    let clientClosed = false;
    let upstreamClosed = false;
    let markClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => {
      markClosed = resolve;
    });
    const connection: Connection = { client, upstream, pipes: [], closed };
    connection.pipes.push(
      new DelayedPipe(client, upstream, {
        sampleDelayMs: () => this.sampleDelayMs('upstream'),
        bucket: () => this.upstreamBucket,
        delivered: (bytes) => {
          this.counters.bytesUpstream += bytes;
        },
        maxQueuedBytes: this.options.maxQueuedBytes,
      }),
      new DelayedPipe(upstream, client, {
        sampleDelayMs: () => this.sampleDelayMs('downstream'),
        bucket: () => this.downstreamBucket,
        delivered: (bytes) => {
          this.counters.bytesDownstream += bytes;
        },
        maxQueuedBytes: this.options.maxQueuedBytes,
      }),
    );
    this.connections.add(connection);
    // An error on either side (target refused, reset) ends the whole connection, like a broken link would.
    client.on('error', () => this.destroyConnection(connection, false));
    upstream.on('error', () => this.destroyConnection(connection, true));
    const onClose = (): void => {
      if (!clientClosed || !upstreamClosed) return;
      for (const pipe of connection.pipes) pipe.dispose();
      this.connections.delete(connection);
      markClosed();
    };
    client.on('close', (hadError) => {
      clientClosed = true;
      if (hadError) this.destroyConnection(connection, false);
      onClose();
    });
    upstream.on('close', (hadError) => {
      upstreamClosed = true;
      if (hadError) this.destroyConnection(connection, true);
      onClose();
    });
  }

  /** resetClient: send RST to the client (the target broke), so it sees a reset rather than a clean EOF. */
  private destroyConnection(connection: Connection, resetClient: boolean): void {
    for (const pipe of connection.pipes) pipe.dispose();
    if (!connection.client.destroyed) {
      if (resetClient) connection.client.resetAndDestroy();
      else connection.client.destroy();
    }
    if (!connection.upstream.destroyed) connection.upstream.destroy();
  }

  private sampleDelayMs(direction: 'upstream' | 'downstream'): number {
    const { latencyMs, jitterMs, direction: degraded } = this.current;
    if (degraded !== 'both' && degraded !== direction) return 0;
    if (jitterMs === 0) return latencyMs;
    return Math.max(0, latencyMs + this.random.symmetric(jitterMs));
  }

  private applyBandwidth(): void {
    const { bandwidthBytesPerSec: rate, direction } = this.current;
    const nowMs = performance.now();
    const bucketFor = (existing: TokenBucket | undefined, applies: boolean): TokenBucket | undefined => {
      if (rate === undefined || !applies) return undefined;
      if (existing === undefined) return new TokenBucket(rate, nowMs);
      if (existing.rate !== rate) existing.setRate(rate, nowMs);
      return existing;
    };
    this.upstreamBucket = bucketFor(this.upstreamBucket, direction !== 'downstream');
    this.downstreamBucket = bucketFor(this.downstreamBucket, direction !== 'upstream');
  }

  private startFlaky(): void {
    const flaky = this.current.flaky;
    if (flaky === undefined || this.closing !== undefined) return;
    this.flakyTimer = setTimeout(() => this.toggleLink(), this.linkUp ? flaky.upMs : flaky.downMs);
  }

  private toggleLink(): void {
    this.flakyTimer = undefined;
    this.linkUp = !this.linkUp;
    if (!this.linkUp) {
      // A broken link kills live connections too; clients see a reset, as after a real link failure + retransmit timeout.
      for (const connection of [...this.connections]) {
        this.counters.connectionsDropped++;
        this.destroyConnection(connection, true);
      }
    }
    this.startFlaky();
  }
}

import { createServer, type Server, type Socket } from 'node:net';

/** What the client sent, decoded from a Metadata request. */
export interface SeenRequest {
  readonly size: number;
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string;
  readonly topics: string[] | null;
  readonly allowAutoTopicCreation: number;
}

function decodeMetadataRequest(frame: Buffer): SeenRequest {
  let o = 0;
  const size = frame.readInt32BE(o); o += 4;
  const apiKey = frame.readInt16BE(o); o += 2;
  const apiVersion = frame.readInt16BE(o); o += 2;
  const correlationId = frame.readInt32BE(o); o += 4;
  const clientLength = frame.readInt16BE(o); o += 2;
  const clientId = frame.toString('utf8', o, o + clientLength); o += clientLength;
  const count = frame.readInt32BE(o); o += 4;
  let topics: string[] | null = null;
  if (count >= 0) {
    topics = [];
    for (let i = 0; i < count; i++) {
      const l = frame.readInt16BE(o); o += 2;
      topics.push(frame.toString('utf8', o, o + l)); o += l;
    }
  }
  const allowAutoTopicCreation = frame.readInt8(o); o += 1;
  if (o !== frame.length) throw new Error(`request has ${frame.length - o} trailing bytes`);
  return { size, apiKey, apiVersion, correlationId, clientId, topics, allowAutoTopicCreation };
}

export interface FakePartition {
  errorCode?: number;
  partition: number;
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offline?: number[];
}

export interface FakeMetadata {
  brokers: { id: number; host: string; port: number; rack?: string | null }[];
  clusterId?: string | null;
  controllerId: number;
  topics: { errorCode?: number; name: string; internal?: boolean; partitions: FakePartition[] }[];
}

class Writer {
  private readonly parts: Buffer[] = [];
  int8(v: number): this { const b = Buffer.alloc(1); b.writeInt8(v); this.parts.push(b); return this; }
  int16(v: number): this { const b = Buffer.alloc(2); b.writeInt16BE(v); this.parts.push(b); return this; }
  int32(v: number): this { const b = Buffer.alloc(4); b.writeInt32BE(v); this.parts.push(b); return this; }
  string(v: string | null): this {
    if (v === null) return this.int16(-1);
    const s = Buffer.from(v);
    this.int16(s.length);
    this.parts.push(s);
    return this;
  }
  ints(vs: number[]): this { this.int32(vs.length); for (const v of vs) this.int32(v); return this; }
  buffer(): Buffer { return Buffer.concat(this.parts); }
}

/** A Metadata v7 response body (after the size), hand-encoded field by field. */
export function encodeMetadataV7(correlationId: number, m: FakeMetadata): Buffer {
  const w = new Writer().int32(correlationId).int32(0 /* throttle */);
  w.int32(m.brokers.length);
  for (const b of m.brokers) w.int32(b.id).string(b.host).int32(b.port).string(b.rack ?? null);
  w.string(m.clusterId === undefined ? 'cluster-x' : m.clusterId);
  w.int32(m.controllerId);
  w.int32(m.topics.length);
  for (const t of m.topics) {
    w.int16(t.errorCode ?? 0).string(t.name).int8(t.internal ? 1 : 0);
    w.int32(t.partitions.length);
    for (const p of t.partitions) {
      w.int16(p.errorCode ?? 0).int32(p.partition).int32(p.leader).int32(p.leaderEpoch).ints(p.replicas).ints(p.isr).ints(p.offline ?? []);
    }
  }
  const body = w.buffer();
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

export type Responder = (request: SeenRequest, socket: Socket) => void;

export interface FakeBroker {
  readonly port: number;
  readonly requests: SeenRequest[];
  connections: number;
  close(): Promise<void>;
}

/** A TCP server on 127.0.0.1 that decodes each framed request and hands it to `respond`. */
export async function startFakeBroker(respond: Responder): Promise<FakeBroker> {
  const sockets = new Set<Socket>();
  const requests: SeenRequest[] = [];
  const broker = { port: 0, requests, connections: 0, close: () => Promise.resolve() } as FakeBroker;
  const server: Server = createServer((socket) => {
    broker.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(0, 4 + pending.readInt32BE(0));
        pending = pending.subarray(frame.length);
        const request = decodeMetadataRequest(frame);
        requests.push(request);
        respond(request, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return Object.assign(broker, {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}

/** Answers every request with this metadata. */
export function answering(m: FakeMetadata): Responder {
  return (request, socket) => socket.write(encodeMetadataV7(request.correlationId, m));
}

export const silent: Responder = () => undefined;

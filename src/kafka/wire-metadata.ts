import { Socket } from 'node:net';
import { FaultlineError } from '../errors.js';

/**
 * A minimal Kafka Metadata (v7) request over one TCP connection to one broker: what *that* broker
 * believes. The client libraries route a request to whichever broker they like, so an isolated old
 * leader can answer with a stale view; asking each broker and keeping the highest leader epoch
 * gives the cluster's current view. v7 is the oldest version that carries leader epochs and is served
 * by every Kafka from 2.1 to 4.x.
 */
export interface WirePartition {
  readonly partition: number;
  readonly errorCode: number;
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly replicas: number[];
  readonly isr: number[];
  readonly offline: number[];
}

export interface WireTopic {
  readonly name: string;
  readonly errorCode: number;
  readonly partitions: WirePartition[];
}

export interface WireMetadata {
  readonly brokers: { id: number; host: string; port: number }[];
  readonly controllerId: number;
  readonly topics: WireTopic[];
}

const METADATA_API_KEY = 3;
const METADATA_VERSION = 7;

function encodeRequest(correlationId: number, topics: readonly string[] | null): Buffer {
  const clientId = Buffer.from('faultline');
  const parts: Buffer[] = [];
  const header = Buffer.alloc(2 + 2 + 4 + 2);
  header.writeInt16BE(METADATA_API_KEY, 0);
  header.writeInt16BE(METADATA_VERSION, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(clientId.length, 8);
  parts.push(header, clientId);
  const count = Buffer.alloc(4);
  count.writeInt32BE(topics === null ? -1 : topics.length, 0);
  parts.push(count);
  for (const topic of topics ?? []) {
    const name = Buffer.from(topic);
    const length = Buffer.alloc(2);
    length.writeInt16BE(name.length, 0);
    parts.push(length, name);
  }
  parts.push(Buffer.from([0])); // allow_auto_topic_creation = false
  const body = Buffer.concat(parts);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

class Reader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}
  int8(): number {
    const v = this.buffer.readInt8(this.offset);
    this.offset += 1;
    return v;
  }
  int16(): number {
    const v = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  int32(): number {
    const v = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  string(): string {
    const length = this.int16();
    if (length < 0) return '';
    const v = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return v;
  }
  array<T>(item: () => T): T[] {
    const count = this.int32();
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(item());
    return out;
  }
}

function decodeResponse(payload: Buffer): WireMetadata {
  const r = new Reader(payload);
  r.int32(); // correlation id
  r.int32(); // throttle_time_ms
  const brokers = r.array(() => {
    const id = r.int32();
    const host = r.string();
    const port = r.int32();
    r.string(); // rack
    return { id, host, port };
  });
  r.string(); // cluster id
  const controllerId = r.int32();
  const topics = r.array(() => {
    const errorCode = r.int16();
    const name = r.string();
    r.int8(); // is_internal
    const partitions = r.array(() => ({
      errorCode: r.int16(),
      partition: r.int32(),
      leader: r.int32(),
      leaderEpoch: r.int32(),
      replicas: r.array(() => r.int32()),
      isr: r.array(() => r.int32()),
      offline: r.array(() => r.int32()),
    }));
    return { name, errorCode, partitions };
  });
  return { brokers, controllerId, topics };
}

/** Asks one broker for its metadata; rejects after timeoutMs (a paused or cut-off broker never answers). */
export function fetchWireMetadata(host: string, port: number, topics: readonly string[] | null, timeoutMs = 1000): Promise<WireMetadata> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const chunks: Buffer[] = [];
    let received = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new FaultlineError(`broker ${host}:${port} did not answer a metadata request within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new FaultlineError(`cannot reach broker ${host}:${port}: ${error.message}`));
    });
    // A broker that closes the connection before a whole answer fails now, not at the timeout.
    socket.once('close', () => {
      clearTimeout(timer);
      reject(new FaultlineError(`broker ${host}:${port} closed the connection before answering`));
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received < 4) return;
      const all = Buffer.concat(chunks);
      const size = all.readInt32BE(0);
      if (size < 0 || size > 64 * 1024 * 1024) {
        clearTimeout(timer);
        socket.destroy();
        reject(new FaultlineError(`broker ${host}:${port} sent a malformed response (size ${size})`));
        return;
      }
      if (all.length < 4 + size) return;
      clearTimeout(timer);
      socket.destroy();
      try {
        resolve(decodeResponse(all.subarray(4, 4 + size)));
      } catch (error) {
        reject(new FaultlineError(`cannot decode metadata from ${host}:${port}: ${(error as Error).message}`));
      }
    });
    socket.connect(port, host, () => socket.write(encodeRequest(1, topics)));
  });
}

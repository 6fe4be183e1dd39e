import { rdkafka, settle, type RdKafkaTypes } from '../kafka/rdkafka.js';
import { withAdmin, type PartitionOffsets } from '../kafka/admin.js';
import type { ReadBackPartition } from '../history/operation.js';
import { connectOrDisconnect, disconnectBounded } from './client-connect.js';
import type { IsolationMode } from './read-back.js';

/** One consume call waits at most this long; the loop checks its stop flag between calls. */
const CONSUME_WAIT_MS = 500;
const OFFSETS_TIMEOUT_MS = 15_000;

/** A record a pipeline wrote, as the reader received it. */
export interface OutputRead {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers?: Readonly<Record<string, string>>;
}

/** How far the reader got on one topic when it ended. */
export interface OutputEnd {
  readonly topic: string;
  readonly isolation: IsolationMode;
  readonly partitions: ReadBackPartition[];
}

export interface OutputReaderOptions {
  readonly bootstrap: string;
  readonly topics: readonly string[];
  readonly isolation: IsolationMode;
  readonly onRecord: (record: OutputRead) => void;
}

interface Position {
  readonly topic: string;
  readonly partition: number;
  readonly startOffset: number;
  position: number;
  read: number;
}

function text(buffer: Buffer | string | null | undefined): string | null {
  if (buffer === null || buffer === undefined) return null;
  return typeof buffer === 'string' ? buffer : buffer.toString('utf8');
}

function headersOf(message: RdKafkaTypes.Message): Record<string, string> | undefined {
  if (message.headers === undefined || message.headers.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const header of message.headers) for (const [key, value] of Object.entries(header)) out[key] = text(value) ?? '';
  return out;
}

/**
 * Reads a pipeline's output and dead-letter topics from the log start while the run goes on (each record is
 * reported as it arrives: the receipt time is when the output was visible), then, on `finish`, to the end
 * offsets taken at that moment: the evidence that every record written was read.
 */
export class OutputReader {
  private stopping = false;
  private closed = false;
  private loop: Promise<void> = Promise.resolve();

  private constructor(private readonly options: OutputReaderOptions, private readonly consumer: RdKafkaTypes.KafkaConsumer, private readonly positions: Position[]) {}

  static async start(options: OutputReaderOptions): Promise<OutputReader> {
    const positions: Position[] = [];
    for (const topic of options.topics) {
      const offsets = await withAdmin(options.bootstrap, (admin) => admin.offsets(topic), OFFSETS_TIMEOUT_MS);
      for (const p of offsets) positions.push({ topic, partition: p.partition, startOffset: Math.max(0, p.logStartOffset), position: Math.max(0, p.logStartOffset), read: 0 });
    }
    const { KafkaConsumer } = rdkafka();
    const consumer = new KafkaConsumer(
      { 'bootstrap.servers': options.bootstrap, 'group.id': `faultline-output-${process.pid}-${Date.now()}`, 'enable.auto.commit': false, 'isolation.level': options.isolation, 'fetch.wait.max.ms': 100, log_level: 0 },
      { 'auto.offset.reset': 'earliest' },
    );
    await connectOrDisconnect(consumer, 'output reader', options.bootstrap);
    consumer.assign(positions.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.startOffset })));
    const reader = new OutputReader(options, consumer, positions);
    reader.loop = reader.run();
    return reader;
  }

  /** Records read so far. */
  get count(): number {
    return this.positions.reduce((sum, p) => sum + p.read, 0);
  }

  private async run(): Promise<void> {
    while (!this.stopping) await this.consumeOnce();
  }

  private async consumeOnce(): Promise<void> {
    let messages: RdKafkaTypes.Message[] = [];
    try {
      messages = await new Promise<RdKafkaTypes.Message[]>((resolve, reject) => this.consumer.consume(CONSUME_WAIT_MS, settle(resolve, reject)));
    } catch {
      // A broker down or cut off: the client retries; the finish deadline bounds the whole read.
      return;
    }
    for (const message of messages) {
      const entry = this.positions.find((p) => p.topic === message.topic && p.partition === message.partition);
      if (entry === undefined || message.offset < entry.position) continue;
      const headers = headersOf(message);
      this.options.onRecord({ topic: message.topic, partition: message.partition, offset: message.offset, key: text(message.key), value: text(message.value), ...(headers ? { headers } : {}) });
      entry.position = message.offset + 1;
      entry.read++;
    }
    this.notePositions();
  }

  /** Positions past control records (transaction markers) and aborted data that no record shows. */
  private notePositions(): void {
    try {
      for (const p of this.consumer.position()) {
        const entry = this.positions.find((e) => e.topic === p.topic && e.partition === p.partition);
        if (entry !== undefined && p.offset >= 0 && p.offset > entry.position) entry.position = p.offset;
      }
    } catch {
      // no position before the first fetch
    }
  }

  /**
   * Reads on until every partition reached its end offset (the high watermark now: with read_committed a position
   * passes it only once every transaction below it ended), or timeoutMs; then closes. One OutputEnd per topic.
   */
  async finish(timeoutMs: number): Promise<OutputEnd[]> {
    const ends = await this.offsetsNow((p) => p.highWatermark);
    const endOf = (p: Position): number => ends.get(`${p.topic}/${p.partition}`) ?? Number.POSITIVE_INFINITY;
    const deadline = performance.now() + timeoutMs;
    while (this.positions.some((p) => p.position < endOf(p)) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await this.close();
    // The last stable offsets when the read ended: below the end, a transaction was still open (a hanging one).
    const stable = await this.offsetsNow((p) => p.lastStableOffset);
    return this.options.topics.map((topic) => ({
      topic,
      isolation: this.options.isolation,
      partitions: this.positions.filter((p) => p.topic === topic).map((p) => {
        const end = ends.get(`${topic}/${p.partition}`);
        const lso = stable.get(`${topic}/${p.partition}`);
        return { partition: p.partition, startOffset: p.startOffset, endOffset: end ?? -1, read: p.read, reachedEnd: end !== undefined && p.position >= end, ...(lso !== undefined && lso >= 0 ? { lastStableOffset: lso } : {}) };
      }),
    }));
  }

  /** One offset per `topic/partition` of the reader's topics; those that cannot be read are absent. */
  private async offsetsNow(pick: (p: PartitionOffsets) => number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const topic of this.options.topics) {
      try {
        for (const p of await withAdmin(this.options.bootstrap, (admin) => admin.offsets(topic), OFFSETS_TIMEOUT_MS)) out.set(`${topic}/${p.partition}`, pick(p));
      } catch {
        // unknown: those partitions cannot be called complete
      }
    }
    return out;
  }

  /** Stops reading and disconnects (without the final read when called alone: an aborted run). Idempotent. */
  async close(): Promise<void> {
    this.stopping = true;
    await this.loop;
    if (this.closed) return;
    this.closed = true;
    await disconnectBounded(this.consumer);
  }
}

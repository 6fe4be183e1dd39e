import { rdkafka, settle, type RdKafkaTypes } from '../kafka/rdkafka.js';
import { connectOrDisconnect, disconnectBounded } from './client-connect.js';
import { withAdmin } from '../kafka/admin.js';
import type { OpSink } from './op-sink.js';
import { decodePayloadValue } from './payload.js';

export type IsolationMode = 'read_committed' | 'read_uncommitted';
export const ISOLATION_MODES: readonly IsolationMode[] = ['read_uncommitted', 'read_committed'];

export interface ReadBackOptions {
  readonly bootstrap: string;
  readonly topic: string;
  readonly isolation?: IsolationMode;
  /** Stop when nothing new arrived for this long (a backstop: normally it stops at the end offsets). */
  readonly untilIdleMs?: number;
  /** Hard bound on the whole read. */
  readonly timeoutMs?: number;
  readonly sink: OpSink;
  readonly process?: string;
  /** Maps a record's payload to its history value (default: our payload format). */
  readonly decodeValue?: (payload: Buffer | null | undefined) => string | null;
  readonly onProgress?: (readCount: number) => void;
}

export interface ReadBackSummary {
  readonly records: number;
  /** Per partition: where reading started and the end offset it aimed for, and whether it got there. */
  readonly partitions: { partition: number; startOffset: number; endOffset: number; reachedEnd: boolean; read: number }[];
  readonly complete: boolean;
  readonly durationMs: number;
}

/**
 * Reads a topic from the beginning to the end offsets (high watermark, or last stable offset for
 * read_committed) taken when the read starts, recording one read `ok` per record.
 */
export async function readBack(options: ReadBackOptions): Promise<ReadBackSummary> {
  const started = performance.now();
  const isolation = options.isolation ?? 'read_uncommitted';
  const processName = options.process ?? 'r0';
  const sink = options.sink;
  const offsets = await withAdmin(options.bootstrap, (admin) => admin.offsets(options.topic), 15_000);
  const ends = new Map(offsets.map((p) => [p.partition, isolation === 'read_committed' ? p.lastStableOffset : p.highWatermark]));
  const state = offsets.map((p) => ({ partition: p.partition, startOffset: p.logStartOffset, endOffset: ends.get(p.partition) ?? 0, position: p.logStartOffset, read: 0 }));
  sink.append({ kind: 'op', type: 'invoke', f: 'read', process: processName, value: '', timeMs: sink.elapsedMs() });

  const { KafkaConsumer } = rdkafka();
  const consumer = new KafkaConsumer(
    {
      'bootstrap.servers': options.bootstrap,
      'group.id': `faultline-reader-${process.pid}-${Date.now()}`,
      'enable.auto.commit': false,
      'isolation.level': isolation,
      'fetch.wait.max.ms': 100,
      log_level: 0,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await connectOrDisconnect(consumer, 'reader', options.bootstrap);
  const decodeValue = options.decodeValue ?? ((payload) => decodePayloadValue(payload));
  const idleMs = options.untilIdleMs ?? 10_000;
  const deadline = performance.now() + (options.timeoutMs ?? 300_000);
  let lastProgress = performance.now();
  let total = 0;
  const unfinished = () => state.filter((p) => p.position < p.endOffset);
  try {
    const todo = unfinished();
    if (todo.length > 0) consumer.assign(todo.map((p) => ({ topic: options.topic, partition: p.partition, offset: p.startOffset })));
    while (unfinished().length > 0 && performance.now() < deadline && performance.now() - lastProgress < idleMs) {
      const messages = await new Promise<RdKafkaTypes.Message[]>((resolve, reject) => consumer.consume(2000, settle(resolve, reject)));
      for (const message of messages) {
        const entry = state.find((p) => p.partition === message.partition);
        if (!entry || message.offset >= entry.endOffset) continue;
        const value = decodeValue(message.value);
        if (value === null) continue;
        sink.append({ kind: 'op', type: 'ok', f: 'read', process: processName, value, timeMs: sink.elapsedMs(), partition: message.partition, offset: message.offset });
        entry.position = message.offset + 1;
        entry.read++;
        total++;
        lastProgress = performance.now();
      }
      options.onProgress?.(total);
    }
  } finally {
    await disconnectBounded(consumer);
  }
  const partitions = state.map((p) => ({ partition: p.partition, startOffset: p.startOffset, endOffset: p.endOffset, reachedEnd: p.position >= p.endOffset, read: p.read }));
  const complete = partitions.every((p) => p.reachedEnd);
  if (!complete) {
    const missing = partitions.filter((p) => !p.reachedEnd).map((p) => p.partition);
    sink.append({ kind: 'op', type: 'info', f: 'read', process: processName, value: '', timeMs: sink.elapsedMs(), error: { code: 'INCOMPLETE', message: `read-back stopped before the end of partitions ${missing.join(', ')}` } });
  }
  // The checker's evidence: how far each partition was read (it calls nothing lost without this).
  sink.append({ kind: 'read-back', timeMs: sink.elapsedMs(), process: processName, topic: options.topic, isolation, partitions: partitions.map((p) => ({ ...p })) });
  return { records: total, partitions, complete, durationMs: performance.now() - started };
}

import type { RdKafkaTypes } from '../kafka/rdkafka.js';
import { sendValue } from '../history/operation.js';
import { sleep } from '../util/time.js';
import type { AcksMode } from '../scenario/scenario.js';
import type { OpSink } from './op-sink.js';
import { classifyDeliveryError, retriesConfigured } from './send-outcome.js';
import { closeProducer, openProducer } from './client-connect.js';
import { encodePayload } from './payload.js';
import { clientSettingsOf, DEFAULT_DELIVERY_TIMEOUT_MS } from './producer-config.js';
import { DEFAULT_VALUE_SIZE_BYTES, validateProduceOptions } from './produce-limits.js';

export interface ProduceOptions {
  readonly bootstrap: string;
  readonly topic: string;
  /** Messages per producer. */
  readonly countPerProducer: number;
  /** Send rate per producer (a cap); Infinity = as fast as the client takes them. */
  readonly rateMsgsPerSec: number;
  readonly acks: AcksMode;
  /** Concurrent producers, 1..MAX_PRODUCERS (each its own client instance and id p0, p1, ...). */
  readonly producers: number;
  readonly idempotent?: boolean;
  readonly retries?: number;
  readonly timeoutMs?: number;
  readonly valueSizeBytes?: number;
  /** Producer ids start at this index (several workloads in one run). */
  readonly firstProducerIndex?: number;
  readonly sink: OpSink;
  /** Called about every 100 ms and at the end with the running totals. */
  readonly onProgress?: (progress: ProduceProgress) => void;
  /** Stops sending early (already-sent messages are still awaited). */
  readonly signal?: AbortSignal;
  /** Messages a producer may have awaiting delivery before it waits (bounds memory). */
  readonly maxInFlight?: number;
  readonly extraConfig?: Readonly<Record<string, string | number | boolean>>;
  /** What each message is; default: unique values `<producer>-<seq>` padded to valueSizeBytes, no key. */
  readonly records?: RecordShape;
}

/** The values, keys and bytes a producer sends (a pipeline's input generator has its own). */
export interface RecordShape {
  /** The journalled value of message `seq` of producer `producerIndex`; unique per run. */
  value(producerIndex: number, seq: number): string;
  key(value: string): string | null;
  payload(value: string): Buffer;
  /** The process name of producer `producerIndex` in the journal; default `p<index>`. */
  process?(producerIndex: number): string;
  /** The record's timestamp (its event time, ms since the epoch); default: librdkafka's (the send time). */
  timestampMs?(value: string): number;
}

export interface ProduceProgress {
  /** Sends invoked so far (all producers). */
  readonly sent: number;
  readonly delivered: number;
  readonly failed: number;
  readonly unknown: number;
  readonly total: number;
}

export interface ProduceSummary extends ProduceProgress {
  /** Sends whose delivery report never came (counted in unknown). */
  readonly unreported: number;
  readonly durationMs: number;
  readonly deliveredPerSec: number;
}

interface Counters {
  sent: number;
  delivered: number;
  failed: number;
  unknown: number;
}

/**
 * Runs K producers at a capped rate, each message a unique value `<producer>-<seq>`, recording one
 * invoke and one completion (ok with partition and offset, fail, or info) per message.
 */
export async function runProduceWorkload(options: ProduceOptions): Promise<ProduceSummary> {
  validateProduceOptions(options);
  const started = performance.now();
  const counters: Counters = { sent: 0, delivered: 0, failed: 0, unknown: 0 };
  const total = options.countPerProducer * options.producers;
  const report = () => options.onProgress?.({ ...counters, total });
  const ticker = setInterval(report, 100);
  let unreported = 0;
  // One producer failing stops the others: they must not keep writing into a run that is ending.
  const stopAll = new AbortController();
  const onOuterAbort = () => stopAll.abort();
  options.signal?.addEventListener('abort', onOuterAbort);
  try {
    const first = options.firstProducerIndex ?? 0;
    const results = await Promise.allSettled(
      Array.from({ length: options.producers }, (_, i) =>
        runOneProducer(first + i, { ...options, signal: stopAll.signal }, counters).catch((error: unknown) => {
          stopAll.abort();
          throw error;
        }),
      ),
    );
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    unreported = results.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value : 0), 0);
  } finally {
    clearInterval(ticker);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
  report();
  const durationMs = performance.now() - started;
  return { ...counters, total, unreported, durationMs, deliveredPerSec: counters.delivered / (durationMs / 1000) };
}

/** One producer: returns how many sends never got a delivery report. */
async function runOneProducer(producerIndex: number, options: ProduceOptions, counters: Counters): Promise<number> {
  const producerId = options.records?.process?.(producerIndex) ?? `p${producerIndex}`;
  const sink = options.sink;
  const mayRetry = retriesConfigured(options.retries, options.extraConfig);
  const producer = await openProducer(clientSettingsOf(options, producerId, options.extraConfig), `producer ${producerId}`);
  const pending = new Set<number>();
  const values: string[] = [];
  producer.on('delivery-report', (err: RdKafkaTypes.LibrdKafkaError | null, report: RdKafkaTypes.DeliveryReport) => {
    const seq = report.opaque as number;
    if (!pending.delete(seq)) return;
    const value = values[seq] as string;
    const timeMs = sink.elapsedMs();
    if (!err) {
      counters.delivered++;
      const offset = report.offset;
      // acks=0: the client never hears an offset back.
      sink.append(offset >= 0 && options.acks !== '0'
        ? { kind: 'op', type: 'ok', f: 'send', process: producerId, value, timeMs, partition: report.partition, offset }
        : { kind: 'op', type: 'ok', f: 'send', process: producerId, value, timeMs, partition: report.partition });
      return;
    }
    const outcome = classifyDeliveryError(err.code, mayRetry);
    if (outcome.type === 'fail') counters.failed++;
    else counters.unknown++;
    sink.append({ kind: 'op', type: outcome.type, f: 'send', process: producerId, value, timeMs, error: { code: err.code, message: `${outcome.codeName}: ${err.message}` } });
  });

  const maxInFlight = options.maxInFlight ?? 50_000;
  const intervalMs = Number.isFinite(options.rateMsgsPerSec) ? 1000 / options.rateMsgsPerSec : 0;
  const sizeBytes = options.valueSizeBytes ?? DEFAULT_VALUE_SIZE_BYTES;
  const shape: RecordShape = options.records ?? { value: (_, n) => sendValue(producerId, n), key: () => null, payload: (v) => encodePayload(v, sizeBytes) };
  const startedAt = performance.now();
  let seq = 0;
  try {
    while (seq < options.countPerProducer && !options.signal?.aborted) {
      const elapsed = performance.now() - startedAt;
      const due = intervalMs === 0 ? options.countPerProducer : Math.min(options.countPerProducer, Math.floor(elapsed / intervalMs) + 1);
      // At most 1000 per turn so delivery reports and timers get their share of the event loop.
      const batchEnd = Math.min(due, seq + 1000, seq + Math.max(0, maxInFlight - pending.size));
      for (; seq < batchEnd; seq++) {
        const value = shape.value(producerIndex, seq);
        values[seq] = value;
        sink.append({ kind: 'op', type: 'invoke', f: 'send', process: producerId, value, timeMs: sink.elapsedMs() });
        counters.sent++;
        try {
          producer.produce(options.topic, null, shape.payload(value), shape.key(value), shape.timestampMs?.(value) ?? null, seq);
          pending.add(seq);
        } catch (error) {
          const code = (error as { code?: number }).code ?? -184;
          const outcome = classifyDeliveryError(code, false);
          counters.failed++;
          sink.append({ kind: 'op', type: 'fail', f: 'send', process: producerId, value, timeMs: sink.elapsedMs(), error: { code, message: `${outcome.codeName}: ${(error as Error).message}` } });
        }
      }
      if (seq < options.countPerProducer) {
        const nextDueMs = intervalMs === 0 ? 1 : startedAt + seq * intervalMs - performance.now();
        await sleep(Math.max(1, Math.min(nextDueMs, 50)));
      }
    }
    // Every sent message gets a report within the delivery timeout; wait that long and a margin, no longer.
    const deadline = performance.now() + (options.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS) + 15_000;
    while (pending.size > 0 && performance.now() < deadline) await sleep(20);
    return pending.size;
  } finally {
    await closeProducer(producer);
    counters.unknown += pending.size;
  }
}

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

export interface SlowProduceOptions {
  readonly bootstrap: string;
  readonly topic: string;
  readonly count: number;
  readonly rateMsgsPerSec: number;
  readonly acks: AcksMode;
  readonly retries?: number;
  readonly timeoutMs?: number;
  readonly valueSizeBytes?: number;
  readonly idempotent?: boolean;
  readonly producerId?: string;
  readonly sink: OpSink;
  /** One line per message (`Value: 12 Offset: 11`), per error, and per detected fail-over gap. */
  readonly onLine?: (line: string) => void;
  readonly onProgress?: (sent: number) => void;
  readonly signal?: AbortSignal;
}

/** A fail-over seen by the slow producer: acknowledged offsets went back, so acknowledged messages were truncated. */
export interface FailoverGap {
  readonly partition: number;
  /** Highest offset acknowledged before the fail-over. */
  readonly lastAckedOffset: number;
  /** First offset acknowledged after it (<= lastAckedOffset). */
  readonly resumedAtOffset: number;
  /** Acknowledged messages the gap implies were lost: lastAckedOffset - resumedAtOffset + 1. */
  readonly impliedLost: number;
  readonly value: string;
}

export interface SlowProduceSummary {
  readonly sent: number;
  readonly delivered: number;
  readonly failed: number;
  readonly unknown: number;
  readonly gaps: FailoverGap[];
  readonly impliedLost: number;
}

/**
 * The seed's slow producer: one message at a time, each awaited, printing value and offset. When an
 * acknowledged offset repeats or goes backwards after a leader change, the acknowledged messages at
 * those offsets were truncated away: it reports how many (`Partition fail-over, messages lost: N`).
 */
export async function runSlowProducer(options: SlowProduceOptions): Promise<SlowProduceSummary> {
  validateProduceOptions({ ...options, countPerProducer: options.count, producers: 1 }, { countPerProducer: 'count' });
  const producerId = options.producerId ?? 's0';
  const mayRetry = retriesConfigured(options.retries);
  const producer = await openProducer(clientSettingsOf(options, producerId, { 'linger.ms': 0 }), 'slow producer');
  const say = options.onLine ?? ((): void => {
    // No one listens for progress lines.
  });
  const lastAcked = new Map<number, number>();
  const gaps: FailoverGap[] = [];
  const totals = { sent: 0, delivered: 0, failed: 0, unknown: 0 };
  const waitMs = (options.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS) + 10_000;
  const intervalMs = 1000 / options.rateMsgsPerSec;
  const startedAt = performance.now();
  try {
    for (let seq = 0; seq < options.count && !options.signal?.aborted; seq++) {
      const value = sendValue(producerId, seq);
      options.sink.append({ kind: 'op', type: 'invoke', f: 'send', process: producerId, value, timeMs: options.sink.elapsedMs() });
      totals.sent++;
      options.onProgress?.(totals.sent);
      const report = await new Promise<{ err: RdKafkaTypes.LibrdKafkaError | null; partition: number; offset: number } | undefined>((resolve) => {
        const timer = setTimeout(() => {
          producer.removeListener('delivery-report', listener);
          resolve(undefined);
        }, waitMs);
        const listener = (err: RdKafkaTypes.LibrdKafkaError | null, dr: RdKafkaTypes.DeliveryReport) => {
          if (dr.opaque !== seq) return;
          clearTimeout(timer);
          producer.removeListener('delivery-report', listener);
          resolve({ err, partition: dr.partition, offset: dr.offset });
        };
        producer.on('delivery-report', listener);
        try {
          producer.produce(options.topic, null, encodePayload(value, options.valueSizeBytes ?? DEFAULT_VALUE_SIZE_BYTES), null, null, seq);
        } catch (error) {
          clearTimeout(timer);
          producer.removeListener('delivery-report', listener);
          resolve({ err: error as RdKafkaTypes.LibrdKafkaError, partition: -1, offset: -1 });
        }
      });
      const timeMs = options.sink.elapsedMs();
      if (!report) {
        totals.unknown++;
        options.sink.append({ kind: 'op', type: 'info', f: 'send', process: producerId, value, timeMs, error: { code: 'NO_REPORT', message: `no delivery report within ${waitMs} ms` } });
        say(`ERROR! Value: ${seq} Offset: none Error: no delivery report`);
      } else if (report.err) {
        const outcome = classifyDeliveryError(report.err.code, mayRetry);
        if (outcome.type === 'fail') totals.failed++;
        else totals.unknown++;
        options.sink.append({ kind: 'op', type: outcome.type, f: 'send', process: producerId, value, timeMs, error: { code: report.err.code, message: `${outcome.codeName}: ${report.err.message}` } });
        say(`ERROR! Value: ${seq} Offset: none Error: ${report.err.message}`);
      } else {
        totals.delivered++;
        const hasOffset = report.offset >= 0 && options.acks !== '0';
        options.sink.append(hasOffset
          ? { kind: 'op', type: 'ok', f: 'send', process: producerId, value, timeMs, partition: report.partition, offset: report.offset }
          : { kind: 'op', type: 'ok', f: 'send', process: producerId, value, timeMs, partition: report.partition });
        if (hasOffset) {
          const previous = lastAcked.get(report.partition);
          if (previous !== undefined && report.offset <= previous) {
            const gap: FailoverGap = { partition: report.partition, lastAckedOffset: previous, resumedAtOffset: report.offset, impliedLost: previous - report.offset + 1, value };
            gaps.push(gap);
            say(`Partition fail-over, messages lost: ${gap.impliedLost}`);
          }
          lastAcked.set(report.partition, report.offset);
        }
        say(`Value: ${seq} Offset: ${hasOffset ? report.offset : 'none'}`);
      }
      const nextDue = startedAt + (seq + 1) * intervalMs;
      const delay = nextDue - performance.now();
      if (delay > 0 && seq + 1 < options.count) await sleep(delay);
    }
  } finally {
    await closeProducer(producer);
  }
  return { ...totals, gaps, impliedLost: gaps.reduce((sum, g) => sum + g.impliedLost, 0) };
}

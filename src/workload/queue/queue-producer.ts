import { trackedDisconnect } from '../client-connect.js';
import type { OpError } from '../../history/operation.js';
import { rdkafka, type RdKafkaTypes } from '../../kafka/rdkafka.js';
import { connectOrDisconnect } from '../client-connect.js';
import { producerConfig } from '../producer-config.js';

/** How long a transaction may stay open before the coordinator aborts it (a crashed client's, say). */
const TRANSACTION_TIMEOUT_MS = 20_000;
/** Bound on a disconnect after its flush. */
const CLOSE_GRACE_MS = 5000;

/** One send's outcome: the offset once acknowledged, or the client's error. */
export interface SentValue {
  readonly partition: number;
  readonly value: number;
  readonly offset?: number;
  readonly error?: OpError;
}

/** A transaction step that failed: `abortable` when the client says the transaction can (must) be aborted. */
export class TxnStepError extends Error {
  constructor(
    readonly step: string,
    readonly code: number,
    message: string,
    readonly abortable: boolean,
    readonly fatal: boolean,
  ) {
    super(`${step}: ${message}`);
  }
}

function stepError(step: string, err: RdKafkaTypes.LibrdKafkaError | Error): TxnStepError {
  const e = err as Partial<RdKafkaTypes.LibrdKafkaError> & Error;
  return new TxnStepError(step, typeof e.code === 'number' ? e.code : -1, e.message, e.isTxnRequiresAbort === true, e.isFatal === true);
}

/** Calls a callback-style client method, bounded: a call that never calls back rejects after timeoutMs. */
function call(step: string, timeoutMs: number, start: (cb: (err: RdKafkaTypes.LibrdKafkaError | null | undefined) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new TxnStepError(step, -185, `no answer within ${timeoutMs} ms`, false, false)), timeoutMs + 1000);
    try {
      start((err) => {
        clearTimeout(timer);
        if (err) reject(stepError(step, err));
        else resolve();
      });
    } catch (error) {
      clearTimeout(timer);
      reject(stepError(step, error as Error));
    }
  });
}

/**
 * One queue process's producer: idempotent, acks=all, transactional when given a transactional id. Every
 * produce carries an opaque, so each value gets its own delivery report.
 */
export class QueueProducer {
  /** Per opaque: who waits for that value's delivery report (given the report's error or offset). */
  private readonly waiting = new Map<number, (outcome: { offset?: number; error?: OpError }) => void>();
  private nextOpaque = 0;

  private constructor(
    private readonly producer: RdKafkaTypes.Producer,
    readonly transactional: boolean,
  ) {
    producer.on('delivery-report', (err, report) => this.delivered(err, report));
  }

  static async open(bootstrap: string, clientId: string, transactionalId: string | null, timeoutMs: number): Promise<QueueProducer> {
    const extra: Record<string, string | number | boolean> = { 'linger.ms': 1 };
    if (transactionalId !== null) Object.assign(extra, { 'transactional.id': transactionalId, 'transaction.timeout.ms': TRANSACTION_TIMEOUT_MS });
    const { Producer } = rdkafka();
    const producer = new Producer(producerConfig({ bootstrap, acks: 'all', idempotent: true, timeoutMs, clientId, extra }));
    await connectOrDisconnect(producer, `queue producer ${clientId}`, bootstrap);
    producer.setPollInterval(5);
    const opened = new QueueProducer(producer, transactionalId !== null);
    if (transactionalId !== null) {
      try {
        await call('initTransactions', timeoutMs, (cb) => producer.initTransactions(timeoutMs, (err) => cb(err)));
      } catch (error) {
        await opened.close(0);
        throw error;
      }
    }
    return opened;
  }

  private delivered(err: RdKafkaTypes.LibrdKafkaError | null, report: RdKafkaTypes.DeliveryReport): void {
    const opaque = report.opaque as number;
    const resolve = this.waiting.get(opaque);
    if (resolve === undefined) return;
    this.waiting.delete(opaque);
    resolve(err ? { error: { code: err.code, message: err.message } } : { offset: report.offset });
  }

  /** Produces each value to its partition; resolves with every outcome (a missing report after timeoutMs is an error). */
  async send(topic: string, items: readonly { partition: number; value: number }[], timeoutMs: number): Promise<SentValue[]> {
    return Promise.all(items.map((item) => this.sendOne(topic, item, timeoutMs)));
  }

  private sendOne(topic: string, item: { partition: number; value: number }, timeoutMs: number): Promise<SentValue> {
    const opaque = this.nextOpaque++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(opaque);
        resolve({ ...item, error: { code: 'NO_REPORT', message: `no delivery report within ${timeoutMs} ms` } });
      }, timeoutMs + 1000);
      this.waiting.set(opaque, (outcome) => {
        clearTimeout(timer);
        resolve({ ...item, ...outcome });
      });
      try {
        this.producer.produce(topic, item.partition, Buffer.from(String(item.value)), null, null, opaque);
      } catch (error) {
        clearTimeout(timer);
        this.waiting.delete(opaque);
        const e = error as { code?: number; message?: string };
        resolve({ ...item, error: { code: e.code ?? -1, message: e.message ?? String(error) } });
      }
    });
  }

  begin(): Promise<void> {
    return call('beginTransaction', 0, (cb) => {
      this.producer.beginTransaction((err) => cb(err));
    });
  }

  sendOffsets(offsets: RdKafkaTypes.TopicPartitionOffset[], consumer: RdKafkaTypes.KafkaConsumer, timeoutMs: number): Promise<void> {
    return call('sendOffsetsToTransaction', timeoutMs, (cb) => this.producer.sendOffsetsToTransaction(offsets, consumer, timeoutMs, (err) => cb(err)));
  }

  commit(timeoutMs: number): Promise<void> {
    return call('commitTransaction', timeoutMs, (cb) => this.producer.commitTransaction(timeoutMs, (err) => cb(err)));
  }

  abort(timeoutMs: number): Promise<void> {
    return call('abortTransaction', timeoutMs, (cb) => this.producer.abortTransaction(timeoutMs, (err) => cb(err)));
  }

  /** Closes; `flushMs` 0 tears it down without waiting for queued messages (a crash). */
  async close(flushMs = 5000): Promise<void> {
    this.producer.setPollInterval(0);
    for (const resolve of this.waiting.values()) resolve({ error: { code: 'CLOSED', message: 'producer closed' } });
    this.waiting.clear();
    await trackedDisconnect((done) => this.producer.disconnect(flushMs, () => done()), flushMs + CLOSE_GRACE_MS);
  }
}

import type { OpError, OpType } from '../../history/operation.js';
import { QUEUE_TXN_STEPS, type QueueMicroOp, type QueueOffset, type QueueOpFunction, type QueueOpRecord, type QueuePolledPartition, type QueueSendMop, type QueueTxnStep } from '../../history/queue-op.js';
import { SeededRandom } from '../../util/seeded-random.js';
import { sleep } from '../../util/time.js';
import { classifyDeliveryError } from '../send-outcome.js';
import { QueueConsumer } from './queue-consumer.js';
import { DEFAULT_QUEUE_CALL_TIMEOUT_MS, type QueueWorkloadOptions } from './queue-options.js';
import { QueueProducer, TxnStepError, type SentValue } from './queue-producer.js';

/** Pause before retrying to open clients that could not connect (the op is counted, so the loop stays bounded). */
const REOPEN_BACKOFF_MS = 500;
/** Chance that a txn starts with a poll (consume-transform-produce); the rest only send. */
const TXN_POLL_CHANCE = 0.5;

/** What one process counted. */
export interface QueueProcessCounts {
  ok: number;
  fail: number;
  info: number;
  crashes: number;
  openFailures: number;
  /** Why the clients last failed to open, when they did. */
  lastOpenError?: string;
}

/** What all processes share: the options, one value counter (values are unique in the run), the progress count. */
export interface QueueShared {
  readonly options: QueueWorkloadOptions;
  nextValue(): number;
  /** One operation completed (counted whatever its outcome, also when the clients would not open). */
  opDone(): void;
}

/** Next offsets to consume (last offset read + 1) per partition, and the first offset read (where an abort rewinds to). */
function offsetsOf(polled: readonly QueuePolledPartition[]): { next: QueueOffset[]; first: QueueOffset[] } {
  const withRecords = polled.filter((p) => p.records.length > 0);
  return {
    next: withRecords.map((p) => ({ partition: p.partition, offset: Math.max(...p.records.map(([o]) => o)) + 1 })),
    first: withRecords.map((p) => ({ partition: p.partition, offset: Math.min(...p.records.map(([o]) => o)) })),
  };
}

function sendMops(sent: readonly SentValue[]): QueueSendMop[] {
  return sent.map((s) => (s.offset !== undefined ? { f: 'send', partition: s.partition, value: s.value, offset: s.offset } : { f: 'send', partition: s.partition, value: s.value }));
}

/**
 * One client process of the queue workload: a producer (transactional or idempotent) and a consumer, and a
 * bounded loop of operations drawn from the mix, each journalled as invoke then ok / fail / info.
 */
export class QueueProcess {
  readonly counts: QueueProcessCounts = { ok: 0, fail: 0, info: 0, crashes: 0, openFailures: 0 };
  private producer: QueueProducer | null = null;
  private consumer: QueueConsumer | null = null;
  private readonly random: SeededRandom;
  private readonly timeoutMs: number;
  /** The consumer group: shared when subscribed, the process's own when assigned. */
  private readonly group: string;
  /** The producer's transactional id (one per process, kept by every producer it opens), null when not transactional. */
  private readonly transactionalId: string | null;
  /** Producers opened so far: the current one's incarnation (a newer one fences the older ones' transactions). */
  private incarnation = 0;

  constructor(
    readonly name: string,
    index: number,
    private readonly shared: QueueShared,
  ) {
    this.random = new SeededRandom(shared.options.seed * 31 + index);
    this.timeoutMs = shared.options.callTimeoutMs ?? DEFAULT_QUEUE_CALL_TIMEOUT_MS;
    this.group = shared.options.consumerMode === 'subscribe' ? shared.options.group : `${shared.options.group}-${name}`;
    this.transactionalId = shared.options.transactional ? `faultline-${shared.options.group}-${name}` : null;
  }

  private record(type: OpType, f: QueueOpFunction, extra: Partial<QueueOpRecord> = {}): void {
    const sink = this.shared.options.sink;
    const rebalances = this.consumer?.takeRebalances() ?? [];
    const record: QueueOpRecord = { kind: 'queue', type, f, process: this.name, timeMs: sink.elapsedMs(), ...extra };
    if (rebalances.length > 0) record.rebalances = rebalances;
    sink.append(record);
    if (type !== 'invoke') this.counts[type]++;
  }

  /** Opens whichever client is missing; false (and a short pause) when the cluster would not have it. */
  private async ensureOpen(): Promise<boolean> {
    const o = this.shared.options;
    try {
      if (this.producer === null) {
        this.producer = await QueueProducer.open(o.bootstrap, `faultline-${this.name}`, this.transactionalId, this.timeoutMs);
        this.incarnation++;
      }
      this.consumer ??= await this.openConsumer();
      return true;
    } catch (error) {
      this.counts.openFailures++;
      this.counts.lastOpenError = (error as Error).message;
      await sleep(REOPEN_BACKOFF_MS);
      return false;
    }
  }

  /** A new consumer is an assign or subscribe op (the checker starts the consumer's positions afresh there). */
  private async openConsumer(): Promise<QueueConsumer> {
    const o = this.shared.options;
    const f = o.consumerMode === 'subscribe' ? 'subscribe' : 'assign';
    const partitions = Array.from({ length: o.partitions }, (_, i) => i);
    this.record('invoke', f, { topic: o.topic, partitions });
    try {
      const consumer = await QueueConsumer.open({ bootstrap: o.bootstrap, topic: o.topic, partitions: o.partitions, group: this.group, mode: o.consumerMode, isolation: o.isolation, clientId: `faultline-${this.name}-c`, timeoutMs: this.timeoutMs, nowMs: () => o.sink.elapsedMs() });
      this.consumer = consumer;
      this.record('ok', f, { topic: o.topic, partitions });
      return consumer;
    } catch (error) {
      this.record('fail', f, { topic: o.topic, partitions, error: { code: -1, message: (error as Error).message } });
      throw error;
    }
  }

  /** Runs at most opsPerProcess operations while `keepGoing()`, paced at rateOpsPerSec. */
  async run(keepGoing: () => boolean): Promise<void> {
    const o = this.shared.options;
    const periodMs = o.rateOpsPerSec === Infinity ? 0 : 1000 / o.rateOpsPerSec;
    const startedMs = performance.now();
    for (let op = 0; op < o.opsPerProcess && keepGoing(); op++) {
      if (o.crashProbability > 0 && this.random.next() < o.crashProbability) await this.crash();
      if (await this.ensureOpen()) await this.step();
      this.shared.opDone();
      const waitMs = startedMs + (op + 1) * periodMs - performance.now();
      if (waitMs > 0) await sleep(waitMs);
    }
  }

  private async step(): Promise<void> {
    const { send, poll, txn } = this.shared.options.mix;
    const draw = this.random.next() * (send + poll + txn);
    if (draw < txn) await this.txnOp(this.random.next() < TXN_POLL_CHANCE);
    else if (draw < txn + send) await (this.shared.options.transactional ? this.txnOp(false) : this.sendOp());
    else await this.pollOp();
  }

  private planSends(): { partition: number; value: number }[] {
    const o = this.shared.options;
    const count = 1 + this.random.int(o.maxSendsPerOp);
    return Array.from({ length: count }, () => ({ partition: this.random.int(o.partitions), value: this.shared.nextValue() }));
  }

  /** Sends outside a transaction: ok when every value was acknowledged; fail only when none can have been written. */
  private async sendOp(): Promise<void> {
    const items = this.planSends();
    this.record('invoke', 'send', { mops: items.map((i) => ({ f: 'send', ...i })) });
    const sent = await (this.producer as QueueProducer).send(this.shared.options.topic, items, this.timeoutMs);
    const errors = sent.filter((s) => s.error !== undefined);
    if (errors.length === 0) {
      this.record('ok', 'send', { mops: sendMops(sent) });
      return;
    }
    const definite = errors.length === sent.length && errors.every((s) => typeof s.error?.code === 'number' && classifyDeliveryError(s.error.code, true).type === 'fail');
    this.record(definite ? 'fail' : 'info', 'send', { mops: sendMops(sent), error: errors[0]?.error as OpError });
  }

  /** A poll outside a transaction, then a commit of what it read (a commit op of its own). */
  private async pollOp(): Promise<void> {
    const consumer = this.consumer as QueueConsumer;
    this.record('invoke', 'poll', { mops: [{ f: 'poll', partitions: [] }] });
    let polled: QueuePolledPartition[];
    try {
      polled = await consumer.poll();
    } catch (error) {
      this.record('fail', 'poll', { mops: [{ f: 'poll', partitions: [] }], error: { code: (error as { code?: number }).code ?? -1, message: (error as Error).message } });
      return;
    }
    this.record('ok', 'poll', { mops: [{ f: 'poll', partitions: polled }] });
    const { next } = offsetsOf(polled);
    if (next.length === 0) return;
    this.record('invoke', 'commit', { offsets: next });
    const error = await consumer.commit(next);
    if (error === null) this.record('ok', 'commit', { offsets: next });
    else this.record('info', 'commit', { offsets: next, error });
  }

  /** Drops both clients without closing the transaction or committing, then counts the crash; new clients open on the next op. */
  private async crash(): Promise<void> {
    const [producer, consumer] = [this.producer, this.consumer];
    this.producer = null;
    this.consumer = null;
    await Promise.all([producer?.close(0), consumer?.close()]);
    this.counts.crashes++;
    this.record('info', 'crash');
  }

  /**
   * One transaction: maybe a poll, then sends, the polled offsets sent to the transaction, and a commit (or an
   * abort on purpose at abortProbability). `ok` committed, `fail` aborted (the consumer rewinds to what the
   * transaction read first), `info` when the commit's outcome is unknown.
   */
  private async txnOp(withPoll: boolean): Promise<void> {
    const o = this.shared.options;
    const producer = this.producer as QueueProducer;
    const consumer = this.consumer as QueueConsumer;
    const items = this.planSends();
    const planned: QueueMicroOp[] = [...(withPoll ? [{ f: 'poll' as const, partitions: [] }] : []), ...items.map((i) => ({ f: 'send' as const, ...i }))];
    this.record('invoke', 'txn', { mops: planned, ...(this.transactionalId === null ? {} : { transactionalId: this.transactionalId, incarnation: this.incarnation }) });
    let polled: QueuePolledPartition[] = [];
    let sent: SentValue[] = [];
    const done = (): QueueMicroOp[] => [...(withPoll ? [{ f: 'poll' as const, partitions: polled }] : []), ...sendMops(sent), ...offsetsMop(polled, this.group)];
    try {
      await producer.begin();
      if (withPoll) polled = await consumer.poll().catch((error: unknown) => Promise.reject(asStepError('poll', error)));
      sent = await producer.send(o.topic, items, this.timeoutMs);
      const failed = sent.find((s) => s.error !== undefined);
      if (failed) throw new TxnStepError('send', typeof failed.error?.code === 'number' ? failed.error.code : -1, failed.error?.message ?? '', true, false);
      const { next } = offsetsOf(polled);
      if (next.length > 0) await producer.sendOffsets(next.map((n) => ({ topic: o.topic, ...n })), consumer.client, this.timeoutMs);
      if (o.abortProbability > 0 && this.random.next() < o.abortProbability) throw new TxnStepError('workload', 0, 'aborted on purpose (abortProbability)', true, false);
      await producer.commit(this.timeoutMs);
      this.record('ok', 'txn', { mops: done() });
    } catch (error) {
      await this.txnFailed(error, done(), polled);
    }
  }

  /** After a failed step: abort and rewind (`fail`), or, when the client cannot say what happened, `info` and new clients. */
  private async txnFailed(error: unknown, mops: QueueMicroOp[], polled: readonly QueuePolledPartition[]): Promise<void> {
    const step = error instanceof TxnStepError ? error : new TxnStepError('txn', -1, (error as Error).message, false, false);
    const opError: OpError = { code: step.code, message: step.message };
    const failedStep = (QUEUE_TXN_STEPS as readonly string[]).includes(step.step) ? { failedStep: step.step as QueueTxnStep } : {};
    const aborted = step.abortable && !step.fatal && (await (this.producer as QueueProducer).abort(this.timeoutMs).then(() => true, () => false));
    if (!aborted) {
      this.record('info', 'txn', { mops, error: opError, ...failedStep });
      await this.replaceClients();
      return;
    }
    this.record('fail', 'txn', { mops, error: opError, ...failedStep });
    const consumer = this.consumer as QueueConsumer;
    if (this.shared.options.rewindOnAbort === false) return;
    for (const { partition, offset } of offsetsOf(polled).first) await consumer.seek(partition, offset).catch(() => undefined);
  }

  private async replaceClients(): Promise<void> {
    const [producer, consumer] = [this.producer, this.consumer];
    this.producer = null;
    this.consumer = null;
    await Promise.all([producer?.close(0), consumer?.close()]);
  }

  async close(): Promise<void> {
    await this.replaceClients();
  }
}

/** A client error inside a transaction before its commit: the transaction can be aborted. */
function asStepError(step: string, error: unknown): TxnStepError {
  const code = (error as { code?: unknown }).code;
  return new TxnStepError(step, typeof code === 'number' ? code : -1, (error as Error).message, true, false);
}

/** The send-offsets micro-op of a txn that read something: the offsets committed with it. */
function offsetsMop(polled: readonly QueuePolledPartition[], group: string): QueueMicroOp[] {
  const { next } = offsetsOf(polled);
  return next.length > 0 ? [{ f: 'send-offsets', group, offsets: next }] : [];
}

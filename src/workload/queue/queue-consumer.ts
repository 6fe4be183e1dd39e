import type { OpError } from '../../history/operation.js';
import type { QueueOffset, QueuePolledPartition, QueueRebalance } from '../../history/queue-op.js';
import { rdkafka, settle, type RdKafkaTypes } from '../../kafka/rdkafka.js';
import { withinMs } from '../../util/time.js';
import { connectOrDisconnect, disconnectBounded } from '../client-connect.js';
import { ASSIGN_PARTITIONS } from '../consumer-member.js';
import type { IsolationMode } from '../read-back.js';
import type { ConsumerMode } from './queue-options.js';
import { QUEUE_POLL_RECORDS } from './queue-options.js';

/** Session timeout of subscribed processes: a crashed one leaves its group after this long. */
const SESSION_TIMEOUT_MS = 10_000;
/** Beyond a call's own timeout, how long before a call that never called back counts as stuck. */
const STUCK_GRACE_MS = 5000;
/** Rebalance callbacks kept between two operations (a bound: they are drained by every operation). */
const MAX_PENDING_REBALANCES = 1000;

export interface QueueConsumerSettings {
  readonly bootstrap: string;
  readonly topic: string;
  readonly partitions: number;
  readonly group: string;
  readonly mode: ConsumerMode;
  readonly isolation: IsolationMode;
  readonly clientId: string;
  readonly timeoutMs: number;
  /** assign mode: where to start per partition (default: the group's committed offset, else the log start). */
  readonly startOffsets?: ReadonlyMap<number, number>;
  /** The clock rebalance callbacks are stamped with (the run's). */
  readonly nowMs: () => number;
}

function startAt(offsets: ReadonlyMap<number, number> | undefined, partition: number): { offset?: number } {
  const offset = offsets?.get(partition);
  return offset === undefined ? {} : { offset };
}

/** The client's async commit, present at run time but missing from its typings. */
interface CommitCallbackClient {
  commitCb(toppars: RdKafkaTypes.TopicPartitionOffset[] | null, cb: (err: RdKafkaTypes.LibrdKafkaError | null | undefined) => void): unknown;
}

/** One queue process's consumer: assigned every partition by hand, or subscribed with the others; never auto-commits. */
export class QueueConsumer {
  private pending: QueueRebalance[] = [];

  private constructor(
    readonly client: RdKafkaTypes.KafkaConsumer,
    private readonly settings: QueueConsumerSettings,
  ) {}

  static async open(settings: QueueConsumerSettings): Promise<QueueConsumer> {
    const { KafkaConsumer } = rdkafka();
    const client = new KafkaConsumer(
      {
        'bootstrap.servers': settings.bootstrap,
        'group.id': settings.group,
        'client.id': settings.clientId,
        'enable.auto.commit': false,
        'isolation.level': settings.isolation,
        'session.timeout.ms': SESSION_TIMEOUT_MS,
        'heartbeat.interval.ms': 3000,
        'fetch.wait.max.ms': 50,
        log_level: 0,
        ...(settings.mode === 'subscribe' ? { rebalance_cb: true } : {}),
      },
      { 'auto.offset.reset': 'earliest' },
    );
    const consumer = new QueueConsumer(client, settings);
    client.on('rebalance', (err, assignments) => consumer.rebalanced(err.code, assignments));
    await connectOrDisconnect(client, `queue consumer ${settings.clientId}`, settings.bootstrap, settings.timeoutMs);
    client.setDefaultConsumeTimeout(Math.min(settings.timeoutMs, 250));
    (client as unknown as { setDefaultIsTimeoutOnlyForFirstMessage(v: boolean): void }).setDefaultIsTimeoutOnlyForFirstMessage(true);
    if (settings.mode === 'subscribe') client.subscribe([settings.topic]);
    else client.assign(consumer.allPartitions().map((partition) => ({ topic: settings.topic, partition, ...startAt(settings.startOffsets, partition) })));
    return consumer;
  }

  /** Every partition of the topic, in order. */
  allPartitions(): number[] {
    return Array.from({ length: this.settings.partitions }, (_, i) => i);
  }

  private rebalanced(code: number, assignments: readonly RdKafkaTypes.TopicPartition[]): void {
    const partitions = assignments.filter((a) => a.topic === this.settings.topic).map((a) => a.partition).sort((a, b) => a - b);
    const assigned = code === ASSIGN_PARTITIONS;
    if (this.pending.length < MAX_PENDING_REBALANCES) this.pending.push({ timeMs: this.settings.nowMs(), assigned: assigned ? partitions : [], revoked: assigned ? [] : partitions });
  }

  /** Rebalance callbacks since the last call (recorded with the operation that saw them). */
  takeRebalances(): QueueRebalance[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  /** One poll: what it returned, per partition, in order. Values that are not integers (foreign records) are left out. */
  async poll(): Promise<QueuePolledPartition[]> {
    // Bounded: a consume whose callback never comes (a client stuck in a rebalance) must not hang the process.
    const consumed = new Promise<RdKafkaTypes.Message[]>((resolve, reject) => this.client.consume(QUEUE_POLL_RECORDS, settle(resolve, reject)));
    const messages = await withinMs(consumed, this.settings.timeoutMs + STUCK_GRACE_MS, 'poll');
    const byPartition = new Map<number, [number, number][]>();
    for (const message of messages) {
      if (message.topic !== this.settings.topic) continue;
      const value = Number(message.value?.toString() ?? '');
      if (!Number.isSafeInteger(value)) continue;
      const records = byPartition.get(message.partition) ?? [];
      records.push([message.offset, value]);
      byPartition.set(message.partition, records);
    }
    return [...byPartition].sort(([a], [b]) => a - b).map(([partition, records]) => ({ partition, records }));
  }

  /** Commits offsets (outside a transaction) and waits for the answer, at most timeoutMs; null when it worked. */
  commit(offsets: readonly QueueOffset[]): Promise<OpError | null> {
    const toppars = offsets.map((o) => ({ topic: this.settings.topic, partition: o.partition, offset: o.offset }));
    const client = this.client as unknown as CommitCallbackClient;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ code: 'TIMEOUT', message: `commit did not complete within ${this.settings.timeoutMs} ms` }), this.settings.timeoutMs);
      try {
        client.commitCb(toppars, (err) => {
          clearTimeout(timer);
          resolve(err ? { code: err.code, message: err.message } : null);
        });
      } catch (error) {
        clearTimeout(timer);
        resolve({ code: -1, message: (error as Error).message });
      }
    });
  }

  /** Moves the consumer back to `offset` on `partition` (after an abort: the first offset the transaction read). */
  seek(partition: number, offset: number): Promise<void> {
    const seeking = new Promise<void>((resolve, reject) => {
      this.client.seek({ topic: this.settings.topic, partition, offset }, this.settings.timeoutMs, (err: RdKafkaTypes.LibrdKafkaError | null | undefined) => (err ? reject(new Error(err.message)) : resolve()));
    });
    return withinMs(seeking, this.settings.timeoutMs + STUCK_GRACE_MS, `seek ${partition}@${offset}`);
  }

  /** Closes without committing anything (this consumer never auto-commits): a crash loses its position, as a close does. */
  async close(): Promise<void> {
    await disconnectBounded(this.client);
  }
}

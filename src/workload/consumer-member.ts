import { rdkafka, settle, type RdKafkaTypes } from '../kafka/rdkafka.js';
import { REBALANCE_EVENT, type RebalanceDetail } from '../history/operation.js';
import { sleep } from '../util/time.js';
import { connectOrDisconnect, disconnectBounded } from './client-connect.js';
import type { CommitMode } from './consumer-limits.js';
import type { OpSink } from './op-sink.js';

/** librdkafka's rebalance codes (ERR__ASSIGN_PARTITIONS, ERR__REVOKE_PARTITIONS). */
export const ASSIGN_PARTITIONS = -175;
const REVOKE_PARTITIONS = -174;
/** How long one poll waits for records. */
export const POLL_TIMEOUT_MS = 250;
/** A poll that has not returned after this long (the client's own bound is POLL_TIMEOUT_MS) ends the member. */
const POLL_STUCK_MS = 60_000;
/** Pause after a poll error before the next poll. */
const POLL_ERROR_BACKOFF_MS = 200;
/** Bound on the leave-group at close. */
const CLOSE_TIMEOUT_MS = 10_000;
/** Auto-commit period in `auto` mode. */
const AUTO_COMMIT_INTERVAL_MS = 1000;

/** What a member needs from its group: where to record, and whom to tell. */
export interface MemberContext {
  readonly bootstrap: string;
  readonly topic: string;
  readonly group: string;
  readonly commit: CommitMode;
  readonly commitTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  readonly pollRecords: number;
  readonly sink: OpSink;
  readonly decodeValue: (payload: Buffer | null | undefined) => string | null;
  readonly extraConfig: Readonly<Record<string, string | number | boolean>>;
  /** A record was received (already journalled). */
  received(member: string, value: string, timeMs: number): void;
  /** The member's consumer is at `position` on `partition` (next offset to deliver). */
  reached(partition: number, position: number): void;
  /** Something failed: the group records it (bounded). */
  error(member: string, during: string, error: { code?: unknown; message?: unknown }): void;
}

/** The client's async commit, present at run time but missing from its typings. */
interface CommitCallbackClient {
  commitCb(toppars: RdKafkaTypes.TopicPartitionOffset[] | null, cb: (err: RdKafkaTypes.LibrdKafkaError | null | undefined) => void): unknown;
}

/** One member of the group: its own KafkaConsumer, poll loop, commits and rebalance events. */
export class ConsumerMember {
  readonly name: string;
  received = 0;
  lastReceiveMs: number | null = null;
  commits = 0;
  commitFailures = 0;
  rebalances = 0;
  readonly assignment = new Set<number>();
  private consumer: RdKafkaTypes.KafkaConsumer | null = null;
  private readonly ctx: MemberContext;

  constructor(name: string, ctx: MemberContext) {
    this.name = name;
    this.ctx = ctx;
  }

  /** Connects and subscribes; throws FaultlineError when the client cannot connect. */
  async open(): Promise<void> {
    const c = this.ctx;
    const { KafkaConsumer } = rdkafka();
    const consumer = new KafkaConsumer(
      {
        'bootstrap.servers': c.bootstrap,
        'group.id': c.group,
        'client.id': `faultline-${c.group}-${this.name}`,
        'enable.auto.commit': c.commit === 'auto',
        'auto.commit.interval.ms': AUTO_COMMIT_INTERVAL_MS,
        'session.timeout.ms': c.sessionTimeoutMs,
        'heartbeat.interval.ms': Math.max(1000, Math.floor(c.sessionTimeoutMs / 3)),
        'fetch.wait.max.ms': 100,
        rebalance_cb: true,
        log_level: 0,
        ...c.extraConfig,
      },
      { 'auto.offset.reset': 'earliest' },
    );
    consumer.on('rebalance', (err, assignments) => this.rebalanced(err.code, assignments));
    consumer.on('event.error', (err) => c.error(this.name, 'client', err));
    await connectOrDisconnect(consumer, `consumer ${this.name}`, c.bootstrap);
    consumer.setDefaultConsumeTimeout(POLL_TIMEOUT_MS);
    // A poll returns what is ready once the first record came: otherwise it waits POLL_TIMEOUT_MS per record
    // until pollRecords arrive, and a steady stream is delivered in batches seconds late.
    (consumer as unknown as { setDefaultIsTimeoutOnlyForFirstMessage(v: boolean): void }).setDefaultIsTimeoutOnlyForFirstMessage(true);
    consumer.subscribe([c.topic]);
    this.consumer = consumer;
  }

  private rebalanced(code: number, assignments: readonly RdKafkaTypes.TopicPartition[]): void {
    if (code !== ASSIGN_PARTITIONS && code !== REVOKE_PARTITIONS) {
      this.ctx.error(this.name, 'rebalance', { code, message: 'rebalance callback with an error' });
      return;
    }
    const partitions = assignments.filter((a) => a.topic === this.ctx.topic).map((a) => a.partition).sort((a, b) => a - b);
    if (code === ASSIGN_PARTITIONS) for (const p of partitions) this.assignment.add(p);
    else for (const p of partitions) this.assignment.delete(p);
    this.rebalances++;
    const detail: RebalanceDetail = { member: this.name, group: this.ctx.group, topic: this.ctx.topic, assigned: code === ASSIGN_PARTITIONS ? partitions : [], revoked: code === REVOKE_PARTITIONS ? partitions : [] };
    this.ctx.sink.append({ kind: 'event', timeMs: this.ctx.sink.elapsedMs(), event: REBALANCE_EVENT, detail: { ...detail } });
  }

  /** Polls until `keepGoing()` says stop; every iteration is bounded (poll, then at most one commit). */
  async run(keepGoing: () => boolean): Promise<void> {
    const consumer = this.consumer;
    if (consumer === null) return;
    while (keepGoing()) {
      let batch: RdKafkaTypes.Message[];
      try {
        batch = await this.poll(consumer);
      } catch (error) {
        if ((error as { stuck?: boolean }).stuck === true) return;
        this.ctx.error(this.name, 'poll', error as Error);
        await sleep(POLL_ERROR_BACKOFF_MS);
        continue;
      }
      const next = this.record(batch);
      if (this.ctx.commit === 'sync' && next.length > 0) await this.commit(consumer, next);
      this.notePositions(consumer);
    }
  }

  private poll(consumer: RdKafkaTypes.KafkaConsumer): Promise<RdKafkaTypes.Message[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.ctx.error(this.name, 'poll', { message: `a poll did not return within ${POLL_STUCK_MS} ms; the member stops` });
        reject(Object.assign(new Error('poll stuck'), { stuck: true }));
      }, POLL_STUCK_MS);
      const finish = settle<RdKafkaTypes.Message[]>(resolve, reject);
      consumer.consume(this.ctx.pollRecords, (err, messages) => {
        clearTimeout(timer);
        finish(err, messages);
      });
    });
  }

  /** Journals each record; returns the offsets to commit (last offset + 1 per partition). */
  private record(batch: readonly RdKafkaTypes.Message[]): RdKafkaTypes.TopicPartitionOffset[] {
    const next = new Map<number, number>();
    const sink = this.ctx.sink;
    for (const message of batch) {
      next.set(message.partition, Math.max(next.get(message.partition) ?? 0, message.offset + 1));
      this.ctx.reached(message.partition, message.offset + 1);
      const value = this.ctx.decodeValue(message.value);
      if (value === null) continue;
      const timeMs = sink.elapsedMs();
      sink.append({ kind: 'op', type: 'ok', f: 'consume', process: this.name, value, timeMs, partition: message.partition, offset: message.offset });
      this.received++;
      this.lastReceiveMs = timeMs;
      this.ctx.received(this.name, value, timeMs);
    }
    return [...next].map(([partition, offset]) => ({ topic: this.ctx.topic, partition, offset }));
  }

  /** Commits and waits for the answer, at most commitTimeoutMs; a failure is recorded, and the member goes on. */
  private async commit(consumer: RdKafkaTypes.KafkaConsumer, offsets: RdKafkaTypes.TopicPartitionOffset[]): Promise<void> {
    const client = consumer as unknown as CommitCallbackClient;
    const outcome = await new Promise<Error | null>((resolve) => {
      const timer = setTimeout(() => resolve(new Error(`commit did not complete within ${this.ctx.commitTimeoutMs} ms`)), this.ctx.commitTimeoutMs);
      try {
        client.commitCb(offsets, (err) => {
          clearTimeout(timer);
          resolve(err ? Object.assign(new Error(err.message), { code: err.code }) : null);
        });
      } catch (error) {
        clearTimeout(timer);
        resolve(error as Error);
      }
    });
    this.commits++;
    if (outcome === null) return;
    this.commitFailures++;
    this.ctx.error(this.name, 'commit', outcome);
  }

  private notePositions(consumer: RdKafkaTypes.KafkaConsumer): void {
    try {
      for (const p of consumer.position()) if (p.topic === this.ctx.topic && p.offset >= 0) this.ctx.reached(p.partition, p.offset);
    } catch {
      // No position while the member is between assignments.
    }
  }

  /** Closes the consumer: it leaves the group (auto mode commits what it stored first), at most CLOSE_TIMEOUT_MS. */
  async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    if (consumer !== null) await disconnectBounded(consumer, CLOSE_TIMEOUT_MS);
  }
}

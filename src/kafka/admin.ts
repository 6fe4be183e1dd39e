import { rdkafka, settle, type RdKafkaTypes } from './rdkafka.js';
import { FaultlineError, UsageError } from '../errors.js';
import { assertTopicName } from './topic-name.js';
import { sleep } from '../util/time.js';

export interface PartitionDescription {
  readonly partition: number;
  /** Broker id of the leader, or -1 when the partition has none. */
  readonly leader: number;
  readonly replicas: number[];
  readonly isr: number[];
}

export interface PartitionOffsets {
  readonly partition: number;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly logStartOffset: number;
}

export interface BrokerInfo {
  readonly id: number;
  readonly host: string;
  readonly port: number;
}

export interface NewTopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly config?: Readonly<Record<string, string>>;
}

/** The client leaves `coordinator` out when librdkafka reports none, although its typings always declare one. */
type GroupDescription = Omit<RdKafkaTypes.GroupDescription, 'coordinator'> & { readonly coordinator?: RdKafkaTypes.Node };

/** Kafka's names of librdkafka's ConsumerGroupStates, by value. */
const GROUP_STATE_NAMES: readonly string[] = ['Unknown', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty'];

function describeError(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) return String(error.message);
  return String(error);
}

function errorCode(error: unknown): unknown {
  return error && typeof error === 'object' && 'code' in error ? error.code : undefined;
}

/** Offsets reads retried while a partition's leader moves: this many attempts, this far apart. */
/** After a create, the new topic is described until the metadata shows it (brokers learn of it a moment apart). */
const CREATED_VISIBLE_ATTEMPTS = 50;
const CREATED_VISIBLE_RETRY_MS = 100;
const OFFSETS_ATTEMPTS = 10;
const OFFSETS_RETRY_MS = 300;

/** A partition whose leader is moving: not the leader, no leader yet, or a leader epoch the broker has not caught up to. */
function isLeaderMoving(error: unknown): boolean {
  return /not leader|leader not available|leader epoch|NOT_LEADER|LEADER_NOT_AVAILABLE|LEADER_EPOCH/i.test(describeError(error));
}

function isUnknownTopic(error: unknown): boolean {
  return errorCode(error) === 3 || /unknown topic|UNKNOWN_TOPIC/i.test(describeError(error));
}

/** Kafka's INVALID_TOPIC_EXCEPTION (error code 17): the broker refused the topic name. */
function isInvalidTopic(error: unknown): boolean {
  return errorCode(error) === 17 || /INVALID_TOPIC|TOPIC_EXCEPTION|invalid topic|topic name .* is illegal|collides with existing topic/i.test(describeError(error));
}

/** What a refused CreateTopics means: bad input (exit 2) for what the user asked, else the environment (exit 3). */
export function createTopicError(name: string, error: unknown): FaultlineError {
  const text = describeError(error);
  if (/already exists/i.test(text)) return new UsageError(`topic ${name} already exists`);
  if (isInvalidTopic(error)) return new UsageError(`name: Kafka refused the topic name '${name}': ${text}`);
  if (/replication factor|INVALID_REPLICATION_FACTOR/i.test(text)) return new UsageError(`cannot create topic ${name}: ${text}`);
  if (/config|INVALID_CONFIG/i.test(text)) return new UsageError(`cannot create topic ${name}: ${text}`);
  return new FaultlineError(`cannot create topic ${name}: ${text}`);
}

/** A small admin facade over librdkafka: every call bounded by timeoutMs. */
export class KafkaAdmin {
  private readonly client: RdKafkaTypes.IAdminClient;

  private constructor(readonly bootstrap: string, client: RdKafkaTypes.IAdminClient, readonly timeoutMs: number) {
    this.client = client;
  }

  static create(bootstrap: string, timeoutMs = 10_000): KafkaAdmin {
    const client = rdkafka().AdminClient.create({
      'bootstrap.servers': bootstrap,
      'client.id': 'faultline-admin',
      'socket.connection.setup.timeout.ms': Math.min(timeoutMs, 5000),
      'reconnect.backoff.max.ms': 500,
      log_level: 0,
    });
    return new KafkaAdmin(bootstrap, client, timeoutMs);
  }

  close(): void {
    this.client.disconnect();
  }

  /** Brokers the cluster's metadata lists right now (via a short-lived producer handle: the admin API has no cluster description). */
  async brokers(): Promise<BrokerInfo[]> {
    const { Producer } = rdkafka();
    const producer = new Producer({ 'bootstrap.servers': this.bootstrap, log_level: 0, 'socket.connection.setup.timeout.ms': 3000 });
    try {
      await new Promise<void>((resolve, reject) => {
        producer.connect({ timeout: this.timeoutMs }, settle(() => resolve(), reject));
      });
      const metadata = await new Promise<RdKafkaTypes.Metadata>((resolve, reject) => {
        producer.getMetadata({ timeout: this.timeoutMs }, settle(resolve, reject));
      });
      return metadata.brokers.map((b) => ({ id: b.id, host: b.host, port: b.port })).sort((a, b) => a.id - b.id);
    } catch (error) {
      throw new FaultlineError(`cannot read cluster metadata from ${this.bootstrap}: ${describeError(error)}`);
    } finally {
      await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
    }
  }

  /** Creates a topic; a name Kafka would refuse is a UsageError before any request is sent. */
  async createTopic(spec: NewTopicSpec): Promise<void> {
    assertTopicName(spec.name, 'name');
    await new Promise<void>((resolve, reject) => {
      this.client.createTopic(
        { topic: spec.name, num_partitions: spec.partitions, replication_factor: spec.replicationFactor, config: { ...(spec.config ?? {}) } },
        this.timeoutMs,
        settle(resolve, reject),
      );
    }).catch((error: unknown) => {
      throw createTopicError(spec.name, error);
    });
    await this.waitUntilDescribed(spec.name, spec.partitions);
  }

  /** Resolves once a describe of the topic lists its partitions (bounded; a topic still unseen then is left to the caller). */
  private async waitUntilDescribed(name: string, partitions: number): Promise<void> {
    for (let attempt = 0; attempt < CREATED_VISIBLE_ATTEMPTS; attempt++) {
      const seen = await this.describeTopic(name).then((p) => p.length >= partitions, () => false);
      if (seen) return;
      await sleep(CREATED_VISIBLE_RETRY_MS);
    }
  }

  async deleteTopic(name: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.client.deleteTopic(name, this.timeoutMs, settle(resolve, reject));
    }).catch((error: unknown) => {
      if (isUnknownTopic(error)) throw new UsageError(`unknown topic ${name}`);
      throw new FaultlineError(`cannot delete topic ${name}: ${describeError(error)}`);
    });
  }

  async listTopics(): Promise<string[]> {
    return new Promise<string[]>((resolve, reject) => {
      this.client.listTopics({ timeout: this.timeoutMs }, settle(resolve, (err) => reject(new FaultlineError(`cannot list topics: ${describeError(err)}`))));
    });
  }

  async describeTopic(name: string): Promise<PartitionDescription[]> {
    const descriptions = await new Promise<RdKafkaTypes.TopicDescription[]>((resolve, reject) => {
      this.client.describeTopics([name], { timeout: this.timeoutMs }, settle(resolve, reject));
    }).catch((error: unknown) => {
      if (isUnknownTopic(error)) throw new UsageError(`unknown topic ${name}`);
      throw new FaultlineError(`cannot describe topic ${name}: ${describeError(error)}`);
    });
    const topic = descriptions[0];
    if (!topic) throw new UsageError(`unknown topic ${name}`);
    if (topic.error) {
      if (isUnknownTopic(topic.error)) throw new UsageError(`unknown topic ${name}`);
      throw new FaultlineError(`cannot describe topic ${name}: ${describeError(topic.error)}`);
    }
    return topic.partitions
      .map((p) => ({
        partition: p.partition,
        leader: p.leader ? p.leader.id : -1,
        replicas: p.replicas.map((r) => r.id),
        isr: p.isr.map((r) => r.id),
      }))
      .sort((a, b) => a.partition - b.partition);
  }

  /** Broker id of a consumer group's coordinator (the group must exist). */
  async groupCoordinator(group: string): Promise<number> {
    const result = await new Promise<RdKafkaTypes.GroupDescriptions>((resolve, reject) => {
      this.client.describeGroups([group], { timeout: this.timeoutMs }, settle(resolve, reject));
    }).catch((error: unknown) => {
      throw new FaultlineError(`cannot describe group ${group}: ${describeError(error)}`);
    });
    const description: GroupDescription | undefined = result.groups[0];
    if (!description || description.error) throw new UsageError(`unknown consumer group ${group}${description?.error ? `: ${describeError(description.error)}` : ''}`);
    if (!description.coordinator || description.coordinator.id < 0) throw new FaultlineError(`group ${group} has no coordinator right now`);
    return description.coordinator.id;
  }

  /** A consumer group's state (Kafka's name: Stable, Empty, PreparingRebalance, ...) and member count. */
  async groupState(group: string): Promise<{ state: string; members: number }> {
    const result = await new Promise<RdKafkaTypes.GroupDescriptions>((resolve, reject) => {
      this.client.describeGroups([group], { timeout: this.timeoutMs }, settle(resolve, reject));
    }).catch((error: unknown) => {
      throw new FaultlineError(`cannot describe group ${group}: ${describeError(error)}`);
    });
    const description: GroupDescription | undefined = result.groups[0];
    if (!description) throw new FaultlineError(`cannot describe group ${group}: no answer`);
    if (description.error) throw new FaultlineError(`cannot describe group ${group}: ${describeError(description.error)}`);
    return { state: GROUP_STATE_NAMES[description.state] ?? 'Unknown', members: description.members.length };
  }

  /** The offsets a consumer group committed, per topic partition (only partitions it committed). */
  async committedOffsets(group: string): Promise<{ topic: string; partition: number; offset: number }[]> {
    const result = await new Promise<RdKafkaTypes.GroupResults[]>((resolve, reject) => {
      this.client.listConsumerGroupOffsets([{ groupId: group }], { timeout: this.timeoutMs }, settle(resolve, reject));
    }).catch((error: unknown) => {
      throw new FaultlineError(`cannot read the offsets of group ${group}: ${describeError(error)}`);
    });
    const entry = result[0];
    if (entry?.error) throw new FaultlineError(`cannot read the offsets of group ${group}: ${describeError(entry.error)}`);
    return (entry?.partitions ?? []).map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset }));
  }

  private async listOffsets(name: string, partitions: readonly number[], spec: RdKafkaTypes.OffsetSpec, isolation: RdKafkaTypes.IsolationLevel): Promise<Map<number, number>> {
    const result = await new Promise<RdKafkaTypes.ListOffsetsResult[]>((resolve, reject) => {
      this.client.listOffsets(
        partitions.map((partition) => ({ topic: name, partition, offset: spec })),
        { timeout: this.timeoutMs, isolationLevel: isolation },
        settle(resolve, reject),
      );
    }).catch((error: unknown) => {
      if (isUnknownTopic(error)) throw new UsageError(`unknown topic ${name}`);
      throw new FaultlineError(`cannot read offsets of ${name}: ${describeError(error)}`);
    });
    const byPartition = new Map<number, number>();
    for (const entry of result) {
      if (entry.error) throw new FaultlineError(`cannot read offsets of ${name}/${entry.partition}: ${describeError(entry.error)}`);
      byPartition.set(entry.partition, entry.offset);
    }
    return byPartition;
  }

  /**
   * High watermark (read_uncommitted latest), last stable offset (read_committed latest) and log start, per partition.
   * A leader still moving (a topic just created, a broker just restarted) is retried a bounded number of times.
   */
  async offsets(name: string): Promise<PartitionOffsets[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.offsetsOnce(name);
      } catch (error) {
        if (attempt >= OFFSETS_ATTEMPTS || !isLeaderMoving(error)) throw error;
        await sleep(OFFSETS_RETRY_MS);
      }
    }
  }

  private async offsetsOnce(name: string): Promise<PartitionOffsets[]> {
    const partitions = (await this.describeTopic(name)).map((p) => p.partition);
    const { OffsetSpec, IsolationLevel } = rdkafka();
    const high = await this.listOffsets(name, partitions, OffsetSpec.LATEST, IsolationLevel.READ_UNCOMMITTED);
    const stable = await this.listOffsets(name, partitions, OffsetSpec.LATEST, IsolationLevel.READ_COMMITTED);
    const start = await this.listOffsets(name, partitions, OffsetSpec.EARLIEST, IsolationLevel.READ_UNCOMMITTED);
    return partitions.map((partition) => ({
      partition,
      highWatermark: high.get(partition) ?? -1,
      lastStableOffset: stable.get(partition) ?? -1,
      logStartOffset: start.get(partition) ?? -1,
    }));
  }
}

/** Opens an admin client for the duration of `use`, always closing it. */
export async function withAdmin<T>(bootstrap: string, use: (admin: KafkaAdmin) => Promise<T>, timeoutMs?: number): Promise<T> {
  const admin = KafkaAdmin.create(bootstrap, timeoutMs);
  try {
    return await use(admin);
  } finally {
    admin.close();
  }
}

import { readAcks } from '../scenario/read-scenario.js';
import type { YamlField, YamlMapReader } from '../scenario/yaml-field.js';
import { consumerGroupOptionProblems } from '../workload/consumer-limits.js';
import { MAX_COUNT_PER_PRODUCER, produceOptionProblems } from '../workload/produce-limits.js';
import { BACKGROUND_WORKLOAD_KINDS, COMMIT_MODES, type BackgroundWorkload, type ConsumerGroupWorkloadSpec, type ProducerWorkloadSpec } from './experiment.js';

const PRODUCER_KEYS = ['kind', 'topic', 'acks', 'producers', 'rateMsgsPerSec', 'count', 'idempotent', 'retries', 'timeoutMs', 'valueSizeBytes'];
const CONSUMER_GROUP_KEYS = ['kind', 'topic', 'group', 'members', 'commit', 'sessionTimeoutMs'];
const WORKLOAD_NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** A workload's topic: one of the experiment's, the only one by default. */
function readWorkloadTopic(map: YamlMapReader, topics: readonly string[]): string {
  const field = map.optional('topic');
  if (field === undefined) {
    if (topics.length === 1) return topics[0] as string;
    return map.required('topic').string();
  }
  const topic = field.string();
  if (!topics.includes(topic)) field.fail(`unknown topic '${topic}'; the experiment declares ${topics.join(', ')}`);
  return topic;
}

/** Fails at the field a workload validator named (`countPerProducer` is written `count`). */
function failAt(map: YamlMapReader, field: string, message: string): never {
  const key = field === 'countPerProducer' ? 'count' : field;
  return (map.has(key) ? map.field(key) : map.owner).fail(message);
}

function readProducer(name: string, map: YamlMapReader, topics: readonly string[]): ProducerWorkloadSpec {
  map.only(PRODUCER_KEYS);
  const topic = readWorkloadTopic(map, topics);
  const acks = readAcks(map.required('acks'));
  const producers = map.optional('producers')?.integer({ min: 1 }) ?? 1;
  const rateMsgsPerSec = map.required('rateMsgsPerSec').positiveNumber();
  const countPerProducer = map.optional('count')?.integer({ min: 1 });
  const idempotent = map.optional('idempotent')?.boolean() ?? false;
  const retries = map.optional('retries')?.integer({ min: 0 });
  const timeoutMs = map.optional('timeoutMs')?.integer({ min: 1 });
  const valueSizeBytes = map.optional('valueSizeBytes')?.integer({ min: 1 });
  const optional = { retries, timeoutMs, valueSizeBytes };
  // The produce workload's own validator: what it would refuse is refused here, positioned.
  const [problem] = produceOptionProblems({ topic, producers, rateMsgsPerSec, idempotent, ...optional, countPerProducer: countPerProducer ?? MAX_COUNT_PER_PRODUCER });
  if (problem) failAt(map, problem.field, problem.message);
  const defined = Object.fromEntries(Object.entries({ countPerProducer, ...optional }).filter(([, v]) => v !== undefined));
  return { kind: 'producer', name, topic, acks, producers, rateMsgsPerSec, idempotent, ...defined };
}

function readConsumerGroup(name: string, map: YamlMapReader, topics: readonly string[]): ConsumerGroupWorkloadSpec {
  map.only(CONSUMER_GROUP_KEYS);
  const topic = readWorkloadTopic(map, topics);
  const groupId = map.optional('group')?.nonEmptyString() ?? name;
  const members = map.optional('members')?.integer({ min: 1 }) ?? 1;
  const commit = map.optional('commit')?.oneOf(COMMIT_MODES, 'commit mode') ?? 'sync';
  const sessionTimeoutMs = map.optional('sessionTimeoutMs')?.integer({ min: 1 });
  // The consumer group workload's own validator.
  const [problem] = consumerGroupOptionProblems({ topic, group: groupId, members, commit, ...(sessionTimeoutMs !== undefined ? { sessionTimeoutMs } : {}) });
  if (problem) failAt(map, problem.field, problem.message);
  return { kind: 'consumer-group', name, topic, groupId, members, commit, ...(sessionTimeoutMs !== undefined ? { sessionTimeoutMs } : {}) };
}

/** `workloads:` a mapping of workload name -> producer or consumer-group options, in file order. */
export function readWorkloads(field: YamlField | undefined, topics: readonly string[]): BackgroundWorkload[] {
  if (field === undefined) return [];
  const workloads = field.map();
  return workloads.keys().map((name) => {
    const entry = workloads.field(name);
    if (!WORKLOAD_NAME_PATTERN.test(name)) entry.fail(`'${name}' is not a valid workload name (lowercase letters, digits and '-')`);
    const map = entry.map();
    const kind = map.required('kind').oneOf(BACKGROUND_WORKLOAD_KINDS, 'workload kind');
    return kind === 'producer' ? readProducer(name, map, topics) : readConsumerGroup(name, map, topics);
  });
}

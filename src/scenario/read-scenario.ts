import { readExpectation } from './read-expectation.js';
import { readFault } from './read-fault.js';
import { readQueueWorkload, type QueueWorkloadContext } from './read-queue-workload.js';
import { readPipelineWorkload } from './read-pipeline-workload.js';
import { isJobFaultKind, isJobFaultRequest, jobFaultIsDoneWhenFired } from '../job/job-fault.js';
import type { JobParamValue } from '../job/job-spec.js';
import { JobFaultReader } from './read-job-fault.js';
import type { FaultContext } from '../nemesis/fault-validate.js';
import {
  ACKS_MODES,
  WORKLOAD_KINDS,
  type AcksMode,
  type FaultTrigger,
  type ProduceScenarioWorkload,
  type Scenario,
  type ScenarioCluster,
  type ScenarioTopic,
  type ScenarioWorkload,
  type ScheduledFault,
} from './scenario.js';
import type { YamlField, YamlMapReader } from './yaml-field.js';
import { MAX_BROKERS, METADATA_MODES } from '../cluster/topology.js';
import { DEFAULT_BROKERS } from '../cluster/cluster-options.js';
import { topicNameProblem } from '../kafka/topic-name.js';
import { checkWorkloadLimits } from './workload-limits.js';

export const SCENARIO_KEYS = ['apiVersion', 'name', 'title', 'seed', 'description', 'cluster', 'topic', 'workload', 'faults', 'expect'] as const;
const CLUSTER_KEYS = ['metadata', 'brokers', 'kafkaVersion', 'settings'];
const TOPIC_KEYS = ['name', 'partitions', 'replicationFactor', 'config'];
const WORKLOAD_KEYS = [
  'kind', 'acks', 'producers', 'count', 'fullCount', 'rateMsgsPerSec', 'fullRateMsgsPerSec',
  'idempotent', 'retries', 'timeoutMs', 'valueSizeBytes',
];
const SCHEDULED_FAULT_KEYS = ['at', 'fault', 'healAfterMs'];
/** The trigger keys (`at`) of any scenario, and of a pipeline scenario. */
const TRIGGER_KEYS = ['sentFraction', 'afterMs'] as const;
export const PIPELINE_TRIGGER_KEYS = [...TRIGGER_KEYS, 'outputCount'] as const;

const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const KAFKA_VERSION_PATTERN = /^\d+\.\d+(\.\d+)?$/;
/** The largest seed a file may give (seeds are 32-bit). */
export const MAX_SEED = 2 ** 32 - 1;

export function readCluster(field: YamlField): ScenarioCluster {
  const map = field.map().only(CLUSTER_KEYS);
  const metadata = map.optional('metadata')?.oneOf(METADATA_MODES, 'metadata mode') ?? 'kraft';
  const brokers = map.optional('brokers')?.integer({ min: 1, max: MAX_BROKERS }) ?? DEFAULT_BROKERS;
  const versionField = map.optional('kafkaVersion');
  const kafkaVersion = versionField?.settingText();
  if (versionField && kafkaVersion !== undefined && !KAFKA_VERSION_PATTERN.test(kafkaVersion)) versionField.fail(`expected a version like 3.9.2, got '${kafkaVersion}'`);
  const settings = map.optional('settings')?.stringMap() ?? {};
  return { metadata, brokers, ...(kafkaVersion !== undefined ? { kafkaVersion } : {}), settings };
}

export function readTopic(field: YamlField, brokers: number): ScenarioTopic {
  const map = field.map().only(TOPIC_KEYS);
  const nameField = map.required('name');
  const name = nameField.string();
  const problem = topicNameProblem(name);
  if (problem !== undefined) nameField.fail(problem);
  const partitions = map.optional('partitions')?.integer({ min: 1 }) ?? 1;
  const rfField = map.optional('replicationFactor');
  const replicationFactor = rfField?.integer({ min: 1 }) ?? Math.min(3, brokers);
  if (rfField && replicationFactor > brokers) rfField.fail(`replication factor ${replicationFactor} needs at least ${replicationFactor} brokers; cluster.brokers is ${brokers}`);
  const configField = map.optional('config');
  const config = configField?.stringMap() ?? {};
  const minIsr = config['min.insync.replicas'];
  if (configField && minIsr !== undefined) {
    const minIsrField = configField.map().field('min.insync.replicas');
    if (!/^\d+$/.test(minIsr) || Number(minIsr) < 1) minIsrField.fail(`expected a whole number >= 1, got '${minIsr}'`);
    if (Number(minIsr) > replicationFactor) minIsrField.fail(`${minIsr} is more than the replication factor ${replicationFactor}: no write could ever succeed with acks=all`);
  }
  return { name, partitions, replicationFactor, config };
}

export function readAcks(field: YamlField): AcksMode {
  // `acks: 1` is a number in YAML; `acks: all` is text; -1 is Kafka's other spelling of all.
  const text = field.settingText();
  if (text === '-1') return 'all';
  if (!(ACKS_MODES as readonly string[]).includes(text)) field.fail(`unknown acks '${text}'; expected one of ${ACKS_MODES.join(', ')}`);
  return text as AcksMode;
}

/** A workload section by its kind: the queue workload (read-queue-workload.ts) or a producer workload. */
function readWorkload(field: YamlField, context: QueueWorkloadContext): ScenarioWorkload {
  const map = field.map();
  const kind = map.required('kind').oneOf(WORKLOAD_KINDS, 'workload kind');
  if (kind === 'queue') return readQueueWorkload(map, context);
  if (kind === 'pipeline') return readPipelineWorkload(field, map, context.topic);
  return readProduceWorkload(map.only(WORKLOAD_KEYS), kind);
}

function readProduceWorkload(map: YamlMapReader, kind: ProduceScenarioWorkload['kind']): ProduceScenarioWorkload {
  const acks = readAcks(map.required('acks'));
  const producers = map.optional('producers')?.integer({ min: 1 }) ?? 1;
  const count = map.required('count').integer({ min: 1 });
  const fullCount = map.optional('fullCount')?.integer({ min: 1 }) ?? count;
  const rateMsgsPerSec = map.required('rateMsgsPerSec').positiveNumber();
  const fullRateMsgsPerSec = map.optional('fullRateMsgsPerSec')?.positiveNumber() ?? rateMsgsPerSec;
  const idempotent = map.optional('idempotent')?.boolean() ?? false;
  const retriesField = map.optional('retries');
  const retries = retriesField?.integer({ min: 0 });
  if (retriesField && idempotent && retries === 0) retriesField.fail('an idempotent producer needs retries > 0 (Kafka rejects idempotence with retries 0)');
  const timeoutMs = map.optional('timeoutMs')?.integer({ min: 1 });
  const valueSizeBytes = map.optional('valueSizeBytes')?.integer({ min: 1 });
  const workload: ProduceScenarioWorkload = {
    kind,
    acks,
    producers,
    count,
    fullCount,
    rateMsgsPerSec,
    fullRateMsgsPerSec,
    idempotent,
    ...(retries !== undefined ? { retries } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(valueSizeBytes !== undefined ? { valueSizeBytes } : {}),
  };
  checkWorkloadLimits(map, workload);
  return workload;
}

function readTrigger(field: YamlField, pipeline: boolean): FaultTrigger {
  const keys: readonly string[] = pipeline ? PIPELINE_TRIGGER_KEYS : TRIGGER_KEYS;
  const map = field.map().only(keys);
  const given = keys.filter((k) => map.has(k));
  if (given.length > 1) map.field(given[1] as string).fail(`give one of ${keys.join(', ')}, not several`);
  const fraction = map.optional('sentFraction');
  const after = map.optional('afterMs');
  const output = map.optional('outputCount');
  if (fraction) return { sentFraction: fraction.fraction() };
  if (after) return { afterMs: after.integer({ min: 0 }) };
  if (output) return { outputCount: output.integer({ min: 1 }) };
  return field.fail(pipeline ? 'expected { sentFraction: 0..1 }, { afterMs: N } or { outputCount: N }' : 'expected { sentFraction: 0..1 } or { afterMs: N }');
}

/** A broker fault, or (in a pipeline scenario: with a job fault reader) a job fault. */
function readAnyFault(field: YamlField, context: FaultContext, jobFaults: JobFaultReader | undefined): ScheduledFault['fault'] {
  const kind = field.readPlain((v) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)['kind'] : undefined));
  if (!isJobFaultKind(kind)) return readFault(field, context);
  if (!jobFaults) return field.descend(['kind']).fail(`${kind} acts on a pipeline's job: it needs workload kind pipeline`);
  return jobFaults.read(field);
}

function readHealAfterMs(map: YamlMapReader, fault: ScheduledFault['fault']): number | undefined {
  const field = map.optional('healAfterMs');
  const healAfterMs = field?.integer({ min: 0 });
  if (field && isJobFaultRequest(fault) && jobFaultIsDoneWhenFired(fault.kind)) field.fail(`${fault.kind} is done when it fires: it has nothing to heal`);
  return healAfterMs;
}

function triggerValue(at: FaultTrigger): { unit: string; value: number } {
  if ('sentFraction' in at) return { unit: 'sentFraction', value: at.sentFraction };
  if ('outputCount' in at) return { unit: 'outputCount', value: at.outputCount };
  return { unit: 'afterMs', value: at.afterMs };
}

/** The scenario's faults in order; `jobParams` (a pipeline's job parameters) admits job faults and outputCount triggers. */
function readFaults(field: YamlField, context: FaultContext, jobParams: Readonly<Record<string, JobParamValue>> | undefined): ScheduledFault[] {
  const pipeline = jobParams !== undefined;
  const jobFaults = pipeline ? new JobFaultReader(jobParams, context) : undefined;
  const faults: ScheduledFault[] = [];
  let previous: { unit: string; value: number } | undefined;
  for (const item of field.list()) {
    const map = item.map().only(SCHEDULED_FAULT_KEYS);
    const atField = map.required('at');
    const at = readTrigger(atField, pipeline);
    // Faults fire in order, so a trigger earlier than the one before it could never fire when written.
    const current = triggerValue(at);
    if (previous?.unit === current.unit && current.value < previous.value) {
      atField.fail(`fires before the fault above it (${current.unit} ${current.value} < ${previous.value}); faults fire in order`);
    }
    previous = current;
    const fault = readAnyFault(map.required('fault'), context, jobFaults);
    const healAfterMs = readHealAfterMs(map, fault);
    faults.push({ at, fault, ...(healAfterMs !== undefined ? { healAfterMs } : {}) });
  }
  return faults;
}

/** The keys every file starts with: name, title, seed (default 1), description (default ''). */
export function readHeader(map: YamlMapReader): { name: string; title: string; seed: number; description: string } {
  const nameField = map.required('name');
  const name = nameField.string();
  if (!NAME_PATTERN.test(name)) nameField.fail(`'${name}' is not a valid name (lowercase letters, digits and '-', starting with a letter or digit)`);
  const title = map.required('title').nonEmptyString();
  const seed = map.optional('seed')?.integer({ min: 0, max: MAX_SEED }) ?? 1;
  const description = map.optional('description')?.string() ?? '';
  return { name, title, seed, description };
}

/** Validates a parsed scenario document; the first problem fails with its position. */
export function readScenario(root: YamlField, sourceFile?: string): Scenario {
  const map = root.map().only(SCENARIO_KEYS);
  const { name, title, seed, description } = readHeader(map);
  const cluster = readCluster(map.required('cluster'));
  const topic = readTopic(map.required('topic'), cluster.brokers);
  const workload = readWorkload(map.required('workload'), { topic: topic.name, partitions: topic.partitions, seed });
  // A pipeline's faults may aim at the leaders of its output and dead-letter topics too.
  const faultContext: FaultContext = workload.kind === 'pipeline' ? { metadata: cluster.metadata, topics: [topic.name, workload.outputTopic, workload.dlqTopic], topicsOf: 'pipeline' } : { metadata: cluster.metadata, topic: topic.name };
  const faults = map.has('faults') ? readFaults(map.field('faults'), faultContext, workload.kind === 'pipeline' ? workload.job.params : undefined) : [];
  const expect = readExpectation(map.optional('expect'), workload.kind);
  return { name, title, seed, description, cluster, topic, workload, faults, expect, ...(sourceFile !== undefined ? { sourceFile } : {}) };
}

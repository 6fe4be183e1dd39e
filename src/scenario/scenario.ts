import type { FaultRequest } from '../nemesis/fault-request.js';
import type { JobFaultRequest } from '../job/job-fault.js';
import type { Guarantee, JobEngine, JobParamValue } from '../job/job-spec.js';
import type { MetadataMode } from '../cluster/topology.js';
import type { QueueAnomalyName } from '../checker/queue-verdict.js';
import type { ConsumerMode, QueueMix } from '../workload/queue/queue-options.js';
import type { IsolationMode } from '../workload/read-back.js';

/**
 * A scenario: one named, runnable experiment reproducing a seed case. Plain data, already validated
 * (see load-scenario.ts); every default is filled in except the client settings that are left to the
 * Kafka client when absent (retries, timeoutMs, valueSizeBytes).
 */
export interface Scenario {
  /** Unique within a suite: lowercase letters, digits and dashes. */
  readonly name: string;
  readonly title: string;
  /** Seed for workload values and target choice; default 1. */
  readonly seed: number;
  /** What the seed saw and what we expect; free text, '' when absent. */
  readonly description: string;
  readonly cluster: ScenarioCluster;
  readonly topic: ScenarioTopic;
  readonly workload: ScenarioWorkload;
  /** Fired in order; empty for a fault-free baseline. */
  readonly faults: readonly ScheduledFault[];
  readonly expect: ScenarioExpectation;
  /** The file this scenario was loaded from (absent when built in code). */
  readonly sourceFile?: string;
}

/** The cluster provider's metadata modes (src/cluster/topology.ts). */
export type ScenarioMetadataMode = MetadataMode;

export interface ScenarioCluster {
  /** Default 'kraft'. 'zookeeper' for the seed's "isolated from ZooKeeper" cases. */
  readonly metadata: ScenarioMetadataMode;
  /** 1..9; default 3. */
  readonly brokers: number;
  /** Kafka version to run; absent = the provider's default for the metadata mode. */
  readonly kafkaVersion?: string;
  /** Broker settings (Kafka key -> value) on top of faultline's defaults; default {}. */
  readonly settings: Readonly<Record<string, string>>;
}

export interface ScenarioTopic {
  readonly name: string;
  /** Default 1. */
  readonly partitions: number;
  /** Default 3; at most cluster.brokers. */
  readonly replicationFactor: number;
  /** Topic-level config (Kafka key -> value); default {}. */
  readonly config: Readonly<Record<string, string>>;
}

export const WORKLOAD_KINDS = ['produce', 'slow-produce', 'queue', 'pipeline'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** A producer workload (produce or slow-produce), the queue workload or a pipeline (a job under test). */
export type ScenarioWorkload = ProduceScenarioWorkload | QueueScenarioWorkload | PipelineScenarioWorkload;

export const ACKS_MODES = ['0', '1', 'all'] as const;
export type AcksMode = (typeof ACKS_MODES)[number];

export interface ProduceScenarioWorkload {
  /** produce: a steady stream; slow-produce: a few messages per second, each acknowledgement logged with its offset. */
  readonly kind: 'produce' | 'slow-produce';
  readonly acks: AcksMode;
  /** Concurrent producers, 1..64; default 1. */
  readonly producers: number;
  /** Messages per producer in the default (scaled-down) run. */
  readonly count: number;
  /** Messages per producer with --full (the seed's size); default = count. */
  readonly fullCount: number;
  /** Send rate per producer in the scaled run (a cap, messages per second, may be fractional). */
  readonly rateMsgsPerSec: number;
  /** Send rate per producer with --full; default = rateMsgsPerSec. */
  readonly fullRateMsgsPerSec: number;
  /** enable.idempotence; default false (the seed's producers were not idempotent). */
  readonly idempotent: boolean;
  /** Producer retries; absent = the client's default. The seed used 0. */
  readonly retries?: number;
  /** Delivery (message) timeout; absent = the client's default. */
  readonly timeoutMs?: number;
  /** Message value size; absent = the workload's default. */
  readonly valueSizeBytes?: number;
}

/**
 * The queue workload (src/workload/queue): processes with a producer and a consumer each, a mix of sends, polls
 * and transactions, a final drain of its own. Fields map onto QueueWorkloadOptions.
 */
export interface QueueScenarioWorkload {
  readonly kind: 'queue';
  /** Client processes; default 3. */
  readonly processes: number;
  /** Operations per process in the scaled run. */
  readonly opsPerProcess: number;
  /** Operations per process with --full; default = opsPerProcess. */
  readonly fullOpsPerProcess: number;
  /** Operations per second per process (a cap). */
  readonly rateOpsPerSec: number;
  /** Operation weights; default send 1, poll 1, txn 0. */
  readonly mix: QueueMix;
  /** Default false. */
  readonly transactional: boolean;
  /** Default read_committed when transactional, else read_uncommitted. */
  readonly isolation: IsolationMode;
  /** Default assign. */
  readonly consumerMode: ConsumerMode;
  /** Default 3. */
  readonly maxSendsPerOp: number;
  /** Default 0. */
  readonly abortProbability: number;
  /** Default 0. */
  readonly crashProbability: number;
  /** Absent = the workload's default. */
  readonly callTimeoutMs?: number;
  /** Absent = the workload's default. */
  readonly drainTimeoutMs?: number;
}

/** The job of a pipeline scenario (docs/pipelines.md); the topics come from the scenario. */
export interface PipelineJobSettings {
  readonly engine: JobEngine;
  /** A `command` job's command line. */
  readonly command?: readonly string[];
  /** Default at-least-once. */
  readonly guarantee: Guarantee;
  readonly params: Readonly<Record<string, JobParamValue>>;
  /** Default 'v1'. */
  readonly version: string;
  /** The state line that says the job is up (kafka-streams: RUNNING); absent: up once alive for settleMs. */
  readonly readyState?: string;
  /** The size of the job's state tmpfs (what state-fill fills); absent: DEFAULT_JOB_STATE_SIZE_MB. */
  readonly stateSizeMb?: number;
}

/**
 * A pipeline: an input generator writes keyed ids (some poison) to the scenario's topic while a job reads it
 * and writes the output and dead-letter topics; faults hit the job and the brokers.
 */
export interface PipelineScenarioWorkload {
  readonly kind: 'pipeline';
  /** Input records per producer in the scaled run; fullCount with --full. */
  readonly count: number;
  readonly fullCount: number;
  readonly rateMsgsPerSec: number;
  readonly fullRateMsgsPerSec: number;
  /** Default 1. */
  readonly producers: number;
  /** Distinct keys; default 10. */
  readonly keys: number;
  /** Every poisonEvery-th id is poison (to the DLQ); default 0: none. */
  readonly poisonEvery: number;
  readonly job: PipelineJobSettings;
  /** Default <topic>-out and <topic>-dlq, with the input topic's partitions, replication and config. */
  readonly outputTopic: string;
  readonly dlqTopic: string;
  /** The run ends once the input ended, every fault healed and no output arrived for this long; default 10 s. */
  readonly quietMs: number;
  /** ... or this long after the input ended, whichever comes first; default 120 s. */
  readonly maxWaitMs: number;
  /** Event-time windows the job computes (the spark engine), checked against the input; absent: none. */
  readonly windows?: PipelineWindows;
}

/**
 * A pipeline's event-time windows (docs/pipelines.md, "Windows and watermarks"). Input id n carries the event time
 * startMs + floor(n x 1000 / total rate), less lateByMs for every lateEvery-th id (a late event); the job counts
 * good records per key and tumbling window of sizeMs with a watermark latenessMs behind the highest event time.
 */
export interface PipelineWindows {
  readonly topic: string;
  readonly sizeMs: number;
  readonly latenessMs: number;
  /** Every lateEvery-th id (id mod lateEvery == lateEvery - 1) is late by lateByMs; 0: none. */
  readonly lateEvery: number;
  readonly lateByMs: number;
}

/**
 * When a fault fires: after a fraction of all messages (count x producers) was sent (for a queue workload: of
 * all operations, processes x opsPerProcess, completed), or a time after the workload started.
 */
export type FaultTrigger = { readonly sentFraction: number } | { readonly afterMs: number } | { readonly outputCount: number };

export interface ScheduledFault {
  readonly at: FaultTrigger;
  /** A broker fault; a job fault only in a pipeline scenario. */
  readonly fault: FaultRequest | JobFaultRequest;
  /** Heal this long after the fault fired; absent = heal when the workload ends. */
  readonly healAfterMs?: number;
}

/** none = zero lost acknowledged values expected; some = loss expected (the seed saw it); any = no expectation. */
export const LOSS_EXPECTATIONS = ['none', 'some', 'any'] as const;
export type LossExpectation = (typeof LOSS_EXPECTATIONS)[number];

/** some: at least one value duplicated (pipelines: the seed's cancel + recreate counts values twice). */
export const DUPLICATE_EXPECTATIONS = ['none', 'some', 'any'] as const;
export type DuplicateExpectation = (typeof DUPLICATE_EXPECTATIONS)[number];

/**
 * Pipelines: the output's per-key counts (`<id>:<keyCount>`). consistent = every key's counts are 1..n, each once
 * (state and output exactly once); inconsistent = some key's are not (the state was reset, as with a deleted
 * checkpoint or a recreated job); any = no expectation.
 */
export const KEY_COUNT_EXPECTATIONS = ['consistent', 'inconsistent', 'any'] as const;
export type KeyCountExpectation = (typeof KEY_COUNT_EXPECTATIONS)[number];

/** Per queue anomaly: none = zero cases; some = at least one; any = no expectation. */
export type AnomalyExpectation = LossExpectation;

export interface ScenarioExpectation {
  /** Default 'any' (produce workloads). */
  readonly lost: LossExpectation;
  /** Default 'any' (produce workloads). */
  readonly duplicates: DuplicateExpectation;
  /** Pipelines with windows: events dropped as late in final windows; absent = any. */
  readonly lateDrops?: LossExpectation;
  /** Pipelines: the per-key counts; absent = consistent under exactly-once, any under at-least-once (keyCountExpectation). */
  readonly keyCounts?: KeyCountExpectation;
  /** Queue workloads: expectations by anomaly name (the loader fills in {} for a queue workload; absent for producer workloads). */
  readonly anomalies?: Readonly<Partial<Record<QueueAnomalyName, AnomalyExpectation>>>;
}

/** A scenario's per-key count expectation: the one it gives, else consistent for an exactly-once job and any otherwise. */
export function keyCountExpectation(scenario: Scenario): KeyCountExpectation {
  if (scenario.expect.keyCounts !== undefined) return scenario.expect.keyCounts;
  return scenario.workload.kind === 'pipeline' && scenario.workload.job.guarantee === 'exactly-once' ? 'consistent' : 'any';
}

export function isSentFractionTrigger(at: FaultTrigger): at is { readonly sentFraction: number } {
  return 'sentFraction' in at;
}

/** A pipeline trigger: once the output and dead-letter topics together hold this many records (as read live). */
export function isOutputCountTrigger(at: FaultTrigger): at is { readonly outputCount: number } {
  return 'outputCount' in at;
}

/** The scenario at the seed's size: count and rate (queue: opsPerProcess) replaced by their full values. */
export function applyFullSize(scenario: Scenario): Scenario {
  const { workload } = scenario;
  if (workload.kind === 'queue') return { ...scenario, workload: { ...workload, opsPerProcess: workload.fullOpsPerProcess } };
  if (workload.kind === 'pipeline') return { ...scenario, workload: { ...workload, count: workload.fullCount, rateMsgsPerSec: workload.fullRateMsgsPerSec } };
  return {
    ...scenario,
    workload: { ...workload, count: workload.fullCount, rateMsgsPerSec: workload.fullRateMsgsPerSec },
  };
}

/** Total messages the workload sends: count per producer times producers. */
export function totalMessages(workload: ProduceScenarioWorkload | PipelineScenarioWorkload): number {
  return workload.count * workload.producers;
}

/** The workload options a queue scenario sets (QueueWorkloadOptions without the connection, topic, group and seed). */
export type QueueScenarioSettings = Omit<QueueScenarioWorkload, 'kind' | 'fullOpsPerProcess'>;

/** The queue workload's options from the scenario's workload section. */
export function queueSettings(workload: QueueScenarioWorkload): QueueScenarioSettings {
  const { processes, opsPerProcess, rateOpsPerSec, mix, transactional, isolation, consumerMode, maxSendsPerOp, abortProbability, crashProbability, callTimeoutMs, drainTimeoutMs } = workload;
  return {
    processes, opsPerProcess, rateOpsPerSec, mix, transactional, isolation, consumerMode, maxSendsPerOp, abortProbability, crashProbability,
    ...(callTimeoutMs !== undefined ? { callTimeoutMs } : {}),
    ...(drainTimeoutMs !== undefined ? { drainTimeoutMs } : {}),
  };
}

/** What a sentFraction trigger is a fraction of: messages (count x producers), or queue operations (processes x opsPerProcess). */
export function totalTriggerUnits(workload: ScenarioWorkload): number {
  return workload.kind === 'queue' ? workload.processes * workload.opsPerProcess : totalMessages(workload);
}

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clusterDown, clusterUp } from '../src/cluster/local-cluster.js';
import { resolveKafkaDistribution, DEFAULT_KAFKA_VERSION } from '../src/cluster/kafka-distribution.js';
import { withAdmin } from '../src/kafka/admin.js';
import { JOB_START_EVENT, JOB_STATE_EVENT } from '../src/history/job-event.js';
import { Job, JOB_STOP_GRACE_MS } from '../src/job/job.js';
import type { JobSpec } from '../src/job/job-spec.js';
import { kafkaStreamsJobCommand } from '../src/job/engines/kafka-streams.js';
import { sparkJobCommand } from '../src/job/engines/spark.js';
import { waitForSettled } from '../src/runner/scenario-cluster.js';

/** Starts per engine: each from spawn to its first `FAULTLINE-STATE RUNNING`, a fresh app id each time. */
const JOB_STARTS = 5;
/** One start may take this long (a JVM and a Streams rebalance on 2 cores take 5-15 s). */
const JOB_READY_TIMEOUT_MS = 120_000;
const READY_STATE = 'RUNNING';
const TOPIC_PARTITIONS = 3;
const TOPIC_TIMEOUT_MS = 30_000;
const TOPICS = { inputTopic: 'bench-in', outputTopic: 'bench-in-out', dlqTopic: 'bench-in-dlq' } as const;
/** The black-box peer, relative to the repository root (docs/pipelines.md, "The worked example"). */
const KCAT_JOB_SCRIPT = 'jobs/kcat-pipe/job.sh';
/** A job name (its namespace fl-<name>); one job at a time, created and closed per start. */
const JOB_NAME = 'jb1';

/** One engine under test: its spec's engine and command line. */
interface Engine {
  readonly label: 'kafkaStreams' | 'kcatPipe' | 'spark';
  readonly spec: Pick<JobSpec, 'engine' | 'command'>;
  readonly argv: readonly string[];
}

/** One engine's starts: ms from spawn to RUNNING, ms of the graceful stop after it, the exit codes of those stops. */
export interface EngineStarts {
  readonly startMs: number[];
  readonly medianMs: number | null;
  readonly minMs: number | null;
  readonly maxMs: number | null;
  readonly stopMs: number[];
  readonly stopExitCodes: (number | null)[];
  /** Why the engine's starts ended early (its remaining starts skipped); null when all ran. */
  readonly error: string | null;
}

export interface JobStartResult {
  readonly starts: number;
  readonly topology: string;
  readonly guarantee: string;
  readonly measured: string;
  readonly kafkaStreams: EngineStarts;
  readonly kcatPipe: EngineStarts;
  /** The Spark reference job: RUNNING once its queries started (before their first micro-batch). */
  readonly spark: EngineStarts;
  /** median kafkaStreams / median kcatPipe, 2 decimals; null when either has no start. */
  readonly ratioOfMedians: number | null;
  /** median spark / median kafkaStreams, 2 decimals; null when either has no start. */
  readonly sparkToStreamsRatio: number | null;
}

function median(values: readonly number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : Math.round(((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2);
}

function engines(repoRoot: string): Engine[] {
  const { command, args } = kafkaStreamsJobCommand(); // throws when the jar is not built: before any cluster starts
  const spark = sparkJobCommand();
  const script = join(repoRoot, KCAT_JOB_SCRIPT);
  if (!existsSync(script)) throw new Error(`the kcat job is missing: ${script}`);
  return [
    { label: 'kafkaStreams', spec: { engine: 'kafka-streams' }, argv: [command, ...args] },
    { label: 'kcatPipe', spec: { engine: 'command', command: ['bash', script] }, argv: ['bash', script] },
    { label: 'spark', spec: { engine: 'spark' }, argv: [spark.command, ...spark.args] },
  ];
}

/** One start of a fresh job (new app id, so the first rebalance is included), then its graceful stop; always closed. */
async function timeOneStart(engine: Engine, bootstrap: string, dir: string, round: number): Promise<{ startMs: number; stopMs: number; exitCode: number | null }> {
  let spawnedAt: number | undefined;
  let runningAt: number | undefined;
  const spec: JobSpec = {
    name: JOB_NAME, ...engine.spec, params: {}, guarantee: 'at-least-once', appId: `bench-${engine.label}-${round}-${Date.now()}`, version: 'v1', ...TOPICS,
  };
  const job = await Job.create({
    spec, slot: 1, bootstrap, dir: join(dir, `${engine.label}-${round}`), argv: () => engine.argv,
    events: (event, detail) => {
      if (event === JOB_START_EVENT) spawnedAt ??= performance.now();
      if (event === JOB_STATE_EVENT && detail['state'] === READY_STATE) runningAt ??= performance.now();
    },
  });
  try {
    await job.startAndWait({ readyState: READY_STATE, settleMs: 0, timeoutMs: JOB_READY_TIMEOUT_MS });
    const stopStarted = performance.now();
    const exit = await job.terminate(JOB_STOP_GRACE_MS);
    const stopMs = Math.round(performance.now() - stopStarted);
    if (spawnedAt === undefined || runningAt === undefined) throw new Error(`job ${engine.label}: no job-start or ${READY_STATE} event seen`);
    return { startMs: Math.round(runningAt - spawnedAt), stopMs, exitCode: exit?.code ?? null };
  } finally {
    await job.close(JOB_STOP_GRACE_MS);
  }
}

function engineStarts(runs: { startMs: number; stopMs: number; exitCode: number | null }[], error: string | null): EngineStarts {
  const startMs = runs.map((r) => r.startMs);
  return {
    startMs, medianMs: median(startMs), minMs: startMs.length > 0 ? Math.min(...startMs) : null, maxMs: startMs.length > 0 ? Math.max(...startMs) : null,
    stopMs: runs.map((r) => r.stopMs), stopExitCodes: runs.map((r) => r.exitCode), error,
  };
}

/** The engines' starts alternate (Streams, kcat, Spark, Streams, ...) so drift on the shared machine hits both alike. */
async function timeStarts(list: readonly Engine[], bootstrap: string, dir: string, log: (line: string) => void): Promise<Map<string, EngineStarts>> {
  const runs = new Map(list.map((e) => [e.label, [] as { startMs: number; stopMs: number; exitCode: number | null }[]]));
  const errors = new Map<string, string>();
  for (let round = 0; round < JOB_STARTS; round++) {
    for (const engine of list) {
      if (errors.has(engine.label)) continue;
      try {
        const one = await timeOneStart(engine, bootstrap, dir, round);
        runs.get(engine.label)?.push(one);
        log(`${engine.label} start ${round + 1}/${JOB_STARTS}: RUNNING after ${one.startMs} ms, stopped in ${one.stopMs} ms (exit ${one.exitCode ?? '?'})`);
      } catch (error) {
        errors.set(engine.label, error instanceof Error ? error.message : String(error));
        log(`${engine.label} start ${round + 1}/${JOB_STARTS} failed, its remaining starts skipped: ${errors.get(engine.label) ?? ''}`);
      }
    }
  }
  return new Map(list.map((e) => [e.label, engineStarts(runs.get(e.label) ?? [], errors.get(e.label) ?? null)]));
}

async function createTopics(bootstrap: string): Promise<void> {
  await withAdmin(bootstrap, async (admin) => {
    for (const name of Object.values(TOPICS)) await admin.createTopic({ name, partitions: TOPIC_PARTITIONS, replicationFactor: 1 });
  }, TOPIC_TIMEOUT_MS);
  for (const name of Object.values(TOPICS)) {
    if (!(await waitForSettled(name, 1, TOPIC_TIMEOUT_MS))) throw new Error(`topic ${name} got no leader within ${TOPIC_TIMEOUT_MS} ms`);
  }
}

/**
 * Job start time (issues 11, 12): a fresh 1-broker KRaft cluster with the input, output and DLQ topics; the Kafka
 * Streams and Spark reference jobs and the bash+kcat black-box job started JOB_STARTS times each. The cluster is always torn down.
 */
export async function runJobStartBench(repoRoot: string, log: (line: string) => void): Promise<JobStartResult> {
  const list = engines(repoRoot);
  await resolveKafkaDistribution(DEFAULT_KAFKA_VERSION);
  await clusterDown();
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-jobs-'));
  let starts: Map<string, EngineStarts>;
  try {
    const cluster = await clusterUp({ brokers: 1, metadata: 'kraft' });
    await createTopics(cluster.bootstrap);
    starts = await timeStarts(list, cluster.bootstrap, dir, log);
  } finally {
    await clusterDown();
    rmSync(dir, { recursive: true, force: true });
  }
  const none = engineStarts([], 'not run');
  const kafkaStreams = starts.get('kafkaStreams') ?? none;
  const kcatPipe = starts.get('kcatPipe') ?? none;
  const spark = starts.get('spark') ?? none;
  return {
    starts: JOB_STARTS,
    topology: `1 KRaft broker (Kafka ${DEFAULT_KAFKA_VERSION}); input, output and DLQ topics of ${TOPIC_PARTITIONS} partitions, empty`,
    guarantee: 'at-least-once',
    measured: `ms from spawning the job to its first 'FAULTLINE-STATE ${READY_STATE}' line; a fresh app id each start (the first rebalance of a new group included); a graceful stop (SIGTERM) between starts`,
    kafkaStreams, kcatPipe, spark, ratioOfMedians: ratioOf(kafkaStreams, kcatPipe), sparkToStreamsRatio: ratioOf(spark, kafkaStreams),
  };
}

/** median a / median b, 2 decimals; null when either has no start. */
function ratioOf(a: EngineStarts, b: EngineStarts): number | null {
  return a.medianMs !== null && b.medianMs !== null && b.medianMs > 0 ? Math.round((a.medianMs / b.medianMs) * 100) / 100 : null;
}

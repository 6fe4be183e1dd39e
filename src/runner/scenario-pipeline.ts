import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { ClusterSummary } from '../cluster/local-cluster.js';
import { withAdmin } from '../kafka/admin.js';
import { DEFAULT_JOB_READY_STATE, PipelineRecoveryMeter, type PipelineRecovery } from '../checker/pipeline-recovery.js';
import { readJournal } from '../history/journal-reader.js';
import type { Run } from '../history/run.js';
import { JOB_OFFSETS_EVENT } from '../history/job-event.js';
import { OUT_READER_LIVE, OUT_READER_UNCOMMITTED } from '../history/output-record.js';
import { PIPELINE_INPUT_PROCESS, type PipelineWindowsMeta } from '../history/pipeline-meta.js';
import type { JobReadiness } from '../job/job-control.js';
import { Job, JOB_STOP_GRACE_MS } from '../job/job.js';
import { engineCommitsGroupOffsets, type JobSpec } from '../job/job-spec.js';
import { kafkaStreamsJobCommand } from '../job/engines/kafka-streams.js';
import { sparkJobCommand } from '../job/engines/spark.js';
import { healAll } from '../nemesis/heal.js';
import { pipelineJobSpec } from '../scenario/read-pipeline-workload.js';
import { totalMessages, type PipelineScenarioWorkload, type Scenario, type ScenarioTopic } from '../scenario/scenario.js';
import { sleep } from '../util/time.js';
import { OutputReader, type OutputEnd, type OutputRead } from '../workload/output-reader.js';
import { pipelineInputRecords } from '../workload/pipeline-input.js';
import { runProduceWorkload } from '../workload/produce-workload.js';
import { startPipelineSchedule, type PipelineSchedule } from './pipeline-schedule.js';
import type { ScenarioRun } from './scenario-run.js';

/** A job instance must be up within this long (a JVM and a Streams rebalance on 2 cores). */
const JOB_READY_TIMEOUT_MS = 120_000;
/** A command job without state lines is up once alive this long. */
const JOB_SETTLE_MS = 2000;
/** The input producer's delivery timeout: longer than any outage a pipeline scenario makes. */
const INPUT_DELIVERY_TIMEOUT_MS = 120_000;
/** The final reads of the output and DLQ topics. */
const FINAL_READ_TIMEOUT_MS = 60_000;
const QUIET_POLL_MS = 250;
const OFFSETS_TIMEOUT_MS = 15_000;

/** The pipeline's topics: the scenario's topic is the input; output and DLQ are made alike. */
export function pipelineTopics(topic: ScenarioTopic, workload: PipelineScenarioWorkload): ScenarioTopic[] {
  const windows = workload.windows !== undefined ? [{ ...topic, name: workload.windows.topic }] : [];
  return [topic, { ...topic, name: workload.outputTopic }, { ...topic, name: workload.dlqTopic }, ...windows];
}

/** The input's event clock (meta `pipeline.windows`) when the job computes windows: ids spaced by the total input rate. */
export function pipelineEventClock(workload: PipelineScenarioWorkload, startMs: number): PipelineWindowsMeta | undefined {
  const { windows } = workload;
  if (windows === undefined) return undefined;
  const msPerId = 1000 / (workload.rateMsgsPerSec * workload.producers);
  return { topic: windows.topic, sizeMs: windows.sizeMs, latenessMs: windows.latenessMs, startMs, msPerId, lateEvery: windows.lateEvery, lateByMs: windows.lateByMs };
}

/** The meta record's `pipeline` object (docs/pipelines.md). */
export function pipelineMeta(topic: string, workload: PipelineScenarioWorkload, eventClock: PipelineWindowsMeta | undefined): Record<string, unknown> {
  return { inputTopic: topic, outputTopic: workload.outputTopic, dlqTopic: workload.dlqTopic, guarantee: workload.job.guarantee, keys: workload.keys, poisonEvery: workload.poisonEvery, engine: workload.job.engine, ...(eventClock !== undefined ? { windows: eventClock } : {}) };
}

/**
 * The job's command line. A command job's arguments that name files relative to where faultline runs become
 * absolute (the job runs in its own working directory, under the run directory).
 */
function jobArgv(spec: JobSpec): readonly string[] {
  if (spec.engine === 'command') return (spec.command ?? []).map((arg) => (!isAbsolute(arg) && arg.includes('/') && existsSync(arg) ? resolve(arg) : arg));
  const { command, args } = spec.engine === 'spark' ? sparkJobCommand() : kafkaStreamsJobCommand();
  return [command, ...args];
}

function readiness(workload: PipelineScenarioWorkload): JobReadiness {
  return { ...(workload.job.readyState !== undefined ? { readyState: workload.job.readyState } : {}), settleMs: JOB_SETTLE_MS, timeoutMs: JOB_READY_TIMEOUT_MS };
}

function outRecord(run: Run, reader: string, r: OutputRead): void {
  run.append({ kind: 'out', timeMs: run.elapsedMs(), reader, topic: r.topic, partition: r.partition, offset: r.offset, key: r.key, value: r.value, ...(r.headers ? { headers: { ...r.headers } } : {}) });
}

function outEnds(run: Run, reader: string, ends: readonly OutputEnd[]): void {
  for (const end of ends) run.append({ kind: 'out-end', timeMs: run.elapsedMs(), reader, topic: end.topic, isolation: end.isolation, partitions: end.partitions });
}

/** The topics the job writes: output, dead letters, and window results when it computes windows. */
function outputTopics(workload: PipelineScenarioWorkload): string[] {
  return [workload.outputTopic, workload.dlqTopic, ...(workload.windows !== undefined ? [workload.windows.topic] : [])];
}

/** The parts of a running pipeline (the scenario run owns their cleanup). */
export interface PipelineParts {
  readonly job: Job;
  readonly reader: OutputReader;
}

/** Creates the job (its namespace) and the live output reader, and starts the job; the caller owns both. */
export async function startPipeline(ctx: ScenarioRun, cluster: ClusterSummary, run: Run): Promise<PipelineParts> {
  const { scenario } = ctx;
  const workload = scenario.workload as PipelineScenarioWorkload;
  const spec = pipelineJobSpec(workload, scenario.topic.name, `faultline-${scenario.name}`);
  const job = await Job.create({
    spec, slot: 1, bootstrap: cluster.bootstrap, dir: join(run.path, 'job'), argv: jobArgv,
    events: (event, detail) => run.append({ kind: 'event', timeMs: run.elapsedMs(), event, detail }),
  });
  ctx.own({ part: { stop: () => job.close() } });
  const reader = await OutputReader.start({ bootstrap: cluster.bootstrap, topics: outputTopics(workload), isolation: 'read_committed', onRecord: (r) => outRecord(run, OUT_READER_LIVE, r) });
  ctx.own({ part: { stop: () => reader.close() } });
  ctx.log(`starting job ${spec.engine} (${spec.guarantee}, app id ${spec.appId})`);
  await job.startAndWait(readiness(workload));
  return { job, reader };
}

/** Feeds the input while the schedule fires; returns once every fault fired (or maxWaitMs after the input ended). */
export async function feedPipeline(ctx: ScenarioRun, cluster: ClusterSummary, run: Run, parts: PipelineParts, eventClock: PipelineWindowsMeta | undefined): Promise<PipelineSchedule> {
  const scenario: Scenario = ctx.scenario;
  const workload = scenario.workload as PipelineScenarioWorkload;
  let sent = 0;
  const schedule = startPipelineSchedule({
    faults: scenario.faults, totalSends: totalMessages(workload), sent: () => sent, outputCount: () => parts.reader.count,
    elapsedMs: () => run.elapsedMs(), job: parts.job, readiness: readiness(workload), events: run.events, seed: scenario.seed, log: ctx.log,
  });
  ctx.own({ schedule });
  const summary = await runProduceWorkload({
    bootstrap: cluster.bootstrap, topic: scenario.topic.name, countPerProducer: workload.count, rateMsgsPerSec: workload.rateMsgsPerSec, acks: 'all', producers: workload.producers,
    idempotent: true, timeoutMs: INPUT_DELIVERY_TIMEOUT_MS, sink: run, records: pipelineInputRecords({ ...workload, process: PIPELINE_INPUT_PROCESS, ...(eventClock !== undefined ? { eventClock } : {}) }),
    onProgress: (p) => (sent = p.sent),
  });
  ctx.log(`input: ${summary.delivered} of ${summary.total} acknowledged; output so far ${parts.reader.count}`);
  // Bounded: faults whose trigger never comes are given up maxWaitMs after the input ended (the timer cleared either way).
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([schedule.allFired(), new Promise<void>((resolve) => (timer = setTimeout(resolve, workload.maxWaitMs)))]);
  clearTimeout(timer);
  schedule.workloadEnded();
  await schedule.allFired();
  await schedule.healRemaining();
  await healAll({ events: run.events });
  await waitForQuiet(parts, workload);
  return schedule;
}

/**
 * Waits until no output arrived for quietMs while the job is settled (running and, when it reports states, in its
 * ready state and, when it reports batches, past its first one since it started; or down for good), bounded by
 * maxWaitMs from now (the input has ended and every fault is healed: a heal may just have restarted the job). A job that is restarting, rebalancing or in its first batch is not quiet: its
 * output is still to come.
 */
async function waitForQuiet(parts: PipelineParts, workload: PipelineScenarioWorkload): Promise<void> {
  const deadline = performance.now() + workload.maxWaitMs;
  const ready = workload.job.readyState;
  const settled = (): boolean => !parts.job.running || ((ready === undefined || parts.job.state === ready) && !parts.job.awaitingFirstProgress);
  let last = parts.reader.count;
  let quietSince = performance.now();
  while (performance.now() < deadline && performance.now() - quietSince < workload.quietMs) {
    await sleep(QUIET_POLL_MS);
    if (parts.reader.count !== last || !settled()) {
      last = parts.reader.count;
      quietSince = performance.now();
    }
  }
}

/**
 * Ends the pipeline: the job stops gracefully (it commits what it processed), its group's committed input offsets
 * are journalled (not a Spark job's: they are in its checkpoint), the live reader reads to the end offsets, then a read_uncommitted reader reads everything.
 * Returns whether both reads were complete.
 */
export async function finishPipeline(ctx: ScenarioRun, cluster: ClusterSummary, run: Run, parts: PipelineParts): Promise<boolean> {
  const workload = ctx.scenario.workload as PipelineScenarioWorkload;
  await parts.job.terminate(JOB_STOP_GRACE_MS);
  // Spark keeps its input offsets in its checkpoint, not in a consumer group: there is nothing to compare.
  if (engineCommitsGroupOffsets(parts.job.spec.engine)) await journalCommittedOffsets(ctx, cluster, run, parts.job);
  const live = await parts.reader.finish(FINAL_READ_TIMEOUT_MS);
  outEnds(run, OUT_READER_LIVE, live);
  const ru = await OutputReader.start({ bootstrap: cluster.bootstrap, topics: outputTopics(workload), isolation: 'read_uncommitted', onRecord: (r) => outRecord(run, OUT_READER_UNCOMMITTED, r) });
  const uncommitted = await ru.finish(FINAL_READ_TIMEOUT_MS);
  outEnds(run, OUT_READER_UNCOMMITTED, uncommitted);
  const complete = [...live, ...uncommitted].every((e) => e.partitions.every((p) => p.reachedEnd));
  if (!complete) ctx.notes.push('the final read of the output or dead-letter topic did not reach the end offsets');
  return complete;
}

async function journalCommittedOffsets(ctx: ScenarioRun, cluster: ClusterSummary, run: Run, job: Job): Promise<void> {
  const group = job.spec.appId;
  try {
    const committed = await withAdmin(cluster.bootstrap, (admin) => admin.committedOffsets(group), OFFSETS_TIMEOUT_MS);
    const offsets: Record<string, number> = {};
    for (const c of committed) if (c.topic === job.spec.inputTopic && c.offset >= 0) offsets[String(c.partition)] = c.offset;
    run.append({ kind: 'event', timeMs: run.elapsedMs(), event: JOB_OFFSETS_EVENT, detail: { job: job.name, group, topic: job.spec.inputTopic, offsets } });
  } catch (error) {
    ctx.notes.push(`the job group's committed offsets could not be read: ${(error as Error).message}`);
  }
}

/** The recovery times per fault (docs/pipelines.md, "Recovery times"), from the closed history. */
export async function measureRecovery(historyPath: string, workload: PipelineScenarioWorkload): Promise<PipelineRecovery> {
  const meter = new PipelineRecoveryMeter(workload.job.readyState ?? DEFAULT_JOB_READY_STATE);
  for await (const record of readJournal(historyPath)) meter.add(record);
  return meter.result();
}

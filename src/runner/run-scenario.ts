import { UsageError } from '../errors.js';
import type { ClusterSummary } from '../cluster/local-cluster.js';
import { requireClusterState } from '../cluster/cluster-state.js';
import { isBroker } from '../cluster/topology.js';
import type { Run } from '../history/run.js';
import { healAll } from '../nemesis/heal.js';
import { applyFullSize, totalTriggerUnits, type PipelineScenarioWorkload, type Scenario } from '../scenario/scenario.js';
import { readBack } from '../workload/read-back.js';
import { sampleTopic, startSampler } from '../workload/cluster-sampler.js';
import { startFaultSchedule } from './fault-schedule.js';
import { checkScenarioHistory } from './scenario-check.js';
import { startFreshCluster, waitForSettled } from './scenario-cluster.js';
import { attachedCluster } from './attached-cluster.js';
import { assertFaultsWithinUndoExpiry, scenarioUndoAfterMs } from './undo-expiry.js';
import { queueScenarioRow } from './queue-row.js';
import { queueMeta } from './scenario-queue.js';
import { feedPipeline, finishPipeline, measureRecovery, pipelineEventClock, pipelineMeta, pipelineTopics, startPipeline } from './scenario-pipeline.js';
import type { PipelineWindowsMeta } from '../history/pipeline-meta.js';
import { pipelineScenarioRow } from './pipeline-row.js';
import { scenarioRow, type ScenarioOutcome } from './scenario-result.js';
import { ScenarioRun } from './scenario-run.js';
import { runScenarioWorkload } from './scenario-workload.js';
import { decodeVerifiableValue, type ProducerClient } from './verifiable-producer-workload.js';

export interface RunScenarioOptions {
  /** Folder the run directory is made in (runs/<suite>/ for a suite). */
  readonly runsRoot: string;
  /** The seed's full sizes instead of the scaled ones. */
  readonly full?: boolean;
  /** Leave the cluster up afterwards (the next scenario starts a fresh one anyway). */
  readonly keepCluster?: boolean;
  /** Who produces: our producer (default) or Kafka's own VerifiableProducer (produce workloads only). */
  readonly client?: ProducerClient;
  readonly log?: (line: string) => void;
  /** Confirms the scenario's faults on an attached cluster (`cluster attach`; the suite's --yes). */
  readonly confirmed?: boolean;
}

/** How long the cluster may take to regain a full ISR after the faults are healed. */
const SETTLE_TIMEOUT_MS = 90_000;
/** Read-back: stop when nothing arrived for this long / give up after this long. */
const READ_BACK_IDLE_MS = 15_000;
const READ_BACK_TIMEOUT_MS = 300_000;
const FINAL_SAMPLE_TIMEOUT_MS = 10_000;

/** Refuses a client that cannot run the scenario's workload: VerifiableProducer runs produce workloads only. */
export function assertClientFits(scenario: Scenario, client: ProducerClient | undefined): void {
  if (client === 'verifiable-producer' && scenario.workload.kind !== 'produce') {
    throw new UsageError(`${scenario.name}: client: verifiable-producer runs produce workloads only, not ${scenario.workload.kind}`);
  }
}

/**
 * Runs one scenario end to end on a fresh local cluster: topic, workload with its fault schedule,
 * heal, settle, read-back (a queue workload drains the topic itself), check. Always heals; tears the
 * cluster down unless told otherwise. Faults fired from other processes during the run are folded into its
 * history and named in its notes.
 */
export async function runScenario(input: Scenario, options: RunScenarioOptions): Promise<ScenarioOutcome> {
  const scenario = options.full ? applyFullSize(input) : input;
  assertClientFits(input, options.client);
  assertFaultsWithinUndoExpiry(scenario.name, scenario.faults, scenarioUndoAfterMs());
  const ctx = new ScenarioRun(scenario, options.keepCluster ?? false, options.log ?? (() => undefined));
  try {
    if (scenario.workload.kind === 'pipeline') {
      if (attachedCluster()) throw new UsageError('workload: pipeline scenarios run their job in a namespace on this machine, not beside an attached cluster (not built)');
      return await runPipelineBody(ctx, scenario.workload, options);
    }
    const cluster = await startFreshCluster(scenario.cluster, [scenario.topic], ctx.log);
    const run = openScenarioRun(ctx, cluster, options);
    await runWorkloadWithFaults(ctx, cluster, run, options.client ?? 'faultline', options.confirmed === true);
    await healAndSettle(ctx, run);
    await finalSample(ctx, cluster, run);
    if (scenario.workload.kind !== 'queue') await readBackTopic(ctx, cluster, run, options.client ?? 'faultline');
    await ctx.closeRun();
    const { verdict, availability, queue } = await checkScenarioHistory(run.historyPath, scenario.topic.name);
    const schedule = { fired: ctx.fired.length, problems: ctx.scheduleProblems.length };
    if (scenario.workload.kind === 'queue') return ctx.outcome(queueScenarioRow(scenario, queue, schedule), { availability, queue });
    return ctx.outcome(scenarioRow(scenario, verdict, schedule), { verdict, availability });
  } catch (error) {
    return await ctx.failed(error);
  } finally {
    await ctx.dispose();
  }
}

/**
 * A pipeline scenario: fresh cluster with input, output and DLQ topics; the job started in its namespace; input fed
 * while the schedule hits the job and the brokers; heal; quiet; job stopped; output read to its end; checked; recovery
 * times measured.
 */
async function runPipelineBody(ctx: ScenarioRun, workload: PipelineScenarioWorkload, options: RunScenarioOptions): Promise<ScenarioOutcome> {
  const { scenario } = ctx;
  const cluster = await startFreshCluster(scenario.cluster, pipelineTopics(scenario.topic, workload), ctx.log);
  const eventClock = pipelineEventClock(workload, Date.now());
  const run = openScenarioRun(ctx, cluster, options, eventClock);
  const parts = await startPipeline(ctx, cluster, run);
  await feedPipeline(ctx, cluster, run, parts, eventClock);
  await finishPipeline(ctx, cluster, run, parts);
  await finalSample(ctx, cluster, run);
  await ctx.closeRun();
  const { pipeline, availability, window } = await checkScenarioHistory(run.historyPath, scenario.topic.name);
  const recovery = await measureRecovery(run.historyPath, workload);
  ctx.notes.push(...ctx.scheduleProblems);
  return ctx.outcome(pipelineScenarioRow(scenario, pipeline, { fired: ctx.fired.length, problems: ctx.scheduleProblems.length }, window), { availability, pipeline, recovery, window });
}

/** Creates the scenario's run directory (marked active: faults from other terminals land in it) and starts the sampler. */
function openScenarioRun(ctx: ScenarioRun, cluster: ClusterSummary, options: RunScenarioOptions, eventClock?: PipelineWindowsMeta): Run {
  const { scenario } = ctx;
  const { workload } = scenario;
  const run = ctx.openRun(options.runsRoot, {
    run: scenario.name,
    seed: scenario.seed,
    topic: scenario.topic.name,
    ...(workload.kind === 'queue' ? { queue: queueMeta(workload) } : workload.kind === 'pipeline' ? { pipeline: pipelineMeta(scenario.topic.name, workload, eventClock) } : { acks: workload.acks }),
    scenario: scenario.name,
    title: scenario.title,
    cluster: { ...scenario.cluster, kafkaVersion: cluster.kafkaVersion },
    workload: scenario.workload,
    full: options.full ?? false,
    client: options.client ?? 'faultline',
  });
  const brokers = requireClusterState().nodes.filter(isBroker);
  ctx.own({ sampler: startSampler(brokers, cluster.bootstrap, scenario.topic.name, run) });
  return run;
}

/** Runs the workload while the fault schedule fires; returns once every scheduled fault fired and healed on time. */
async function runWorkloadWithFaults(ctx: ScenarioRun, cluster: ClusterSummary, run: Run, client: ProducerClient, confirmed: boolean): Promise<void> {
  const { scenario } = ctx;
  let sentSoFar = 0;
  const schedule = startFaultSchedule({
    faults: scenario.faults,
    totalSends: totalTriggerUnits(scenario.workload),
    sent: () => sentSoFar,
    elapsedMs: () => run.elapsedMs(),
    events: run.events,
    seed: scenario.seed,
    log: ctx.log,
    confirmed,
  });
  ctx.own({ schedule });
  try {
    const result = await runScenarioWorkload({
      scenario, bootstrap: cluster.bootstrap, kafkaVersion: cluster.kafkaVersion, sink: run, workDir: run.path, client, log: ctx.log,
      onSent: (sent) => (sentSoFar = sent),
    });
    ctx.noteSlowProducer(result.slowImpliedLost);
    ctx.notes.push(...result.notes);
  } finally {
    schedule.workloadEnded();
  }
  await schedule.finished();
  ctx.notes.push(...schedule.problems);
}

/** Heals every fault still in effect (recorded in the run) and waits for a full ISR again. */
async function healAndSettle(ctx: ScenarioRun, run: Run): Promise<void> {
  const healed = await healAll({ events: run.events });
  if (healed.actions.length > 0) ctx.log(`healed: ${healed.actions.join('; ')}`);
  for (const f of ctx.fired) f.healedAtMs ??= Math.round(run.elapsedMs());
  const { topic } = ctx.scenario;
  if (!(await waitForSettled(topic.name, topic.replicationFactor, SETTLE_TIMEOUT_MS))) {
    ctx.notes.push(`the cluster did not regain a full ISR within ${SETTLE_TIMEOUT_MS / 1000} s after healing`);
  }
}

/** Stops the sampler and records a final sample of the topic. */
async function finalSample(ctx: ScenarioRun, cluster: ClusterSummary, run: Run): Promise<void> {
  await ctx.stopSampler();
  const brokers = requireClusterState().nodes.filter(isBroker);
  const sample = await sampleTopic(brokers, cluster.bootstrap, ctx.scenario.topic.name, FINAL_SAMPLE_TIMEOUT_MS);
  run.append({ ...sample, timeMs: run.elapsedMs() });
}

/** Reads the topic back to its end offsets (producer workloads; a queue workload drains the topic itself). */
async function readBackTopic(ctx: ScenarioRun, cluster: ClusterSummary, run: Run, client: ProducerClient): Promise<void> {
  const { topic } = ctx.scenario;
  ctx.log(`reading ${topic.name} back`);
  const read = await readBack({
    bootstrap: cluster.bootstrap, topic: topic.name, sink: run, untilIdleMs: READ_BACK_IDLE_MS, timeoutMs: READ_BACK_TIMEOUT_MS,
    ...(client === 'verifiable-producer' ? { decodeValue: decodeVerifiableValue } : {}),
  });
  if (!read.complete) ctx.notes.push('the read-back did not reach the end offsets');
}

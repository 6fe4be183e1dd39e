import { join } from 'node:path';
import { FaultlineError, UsageError } from '../errors.js';
import { decodeVerifiableValue, runVerifiableWorkload, type ProducerClient } from './verifiable-producer-workload.js';
import { clusterDown, clusterUp } from '../cluster/local-cluster.js';
import { requireClusterState } from '../cluster/cluster-state.js';
import { isBroker } from '../cluster/topology.js';
import { withAdmin } from '../kafka/admin.js';
import { describeTopicView } from '../kafka/topic-view.js';
import { createRunDir } from '../history/run-dir.js';
import type { JournalRecord } from '../history/operation.js';
import { checkJournalFile } from '../checker/check-history.js';
import { AvailabilityChecker, type AvailabilityVerdict } from '../checker/availability.js';
import { readJournal } from '../history/journal-reader.js';
import { healAll } from '../nemesis/heal.js';
import { startFaultSchedule } from './fault-schedule.js';
import { clearActiveRun, markRunActive, type FaultEventSink } from '../nemesis/fault-events.js';
import { applyFullSize, totalMessages, type Scenario } from '../scenario/scenario.js';
import { runProduceWorkload } from '../workload/produce-workload.js';
import { runSlowProducer } from '../workload/slow-producer.js';
import { readBack } from '../workload/read-back.js';
import { sampleTopic, startSampler } from '../workload/cluster-sampler.js';
import type { OpSink } from '../workload/op-sink.js';
import { pollUntil } from '../util/time.js';
import type { ScenarioOutcome, ScenarioRow } from './scenario-result.js';

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
}

const SETTLE_TIMEOUT_MS = 90_000;

/** Waits until every partition has a leader, a full ISR, and every broker answers. */
async function waitForSettled(topic: string, replicationFactor: number, timeoutMs: number): Promise<boolean> {
  const brokers = requireClusterState().nodes.filter(isBroker);
  const ok = await pollUntil(async () => {
    const view = await describeTopicView(brokers, topic).catch(() => undefined);
    if (!view || view.answered < brokers.length || view.partitions.length === 0) return undefined;
    return view.partitions.every((p) => p.leader >= 0 && p.isr.length >= replicationFactor) ? true : undefined;
  }, timeoutMs, 500);
  return ok === true;
}

function expectationMet(scenario: Scenario, lost: number, duplicates: number): boolean {
  const lostOk = scenario.expect.lost === 'any' || (scenario.expect.lost === 'none' ? lost === 0 : lost > 0);
  const dupOk = scenario.expect.duplicates === 'any' || duplicates === 0;
  return lostOk && dupOk;
}

/**
 * Runs one scenario end to end on a fresh local cluster: topic, workload with its fault schedule,
 * heal, settle, read-back, exact check. Always heals; tears the cluster down unless told otherwise.
 */
export async function runScenario(input: Scenario, options: RunScenarioOptions): Promise<ScenarioOutcome> {
  const scenario = options.full ? applyFullSize(input) : input;
  if (options.client === 'verifiable-producer' && input.workload.kind !== 'produce') {
    throw new UsageError(`${input.name}: --client verifiable-producer runs produce workloads only, not ${input.workload.kind}`);
  }
  const log = options.log ?? (() => {});
  const started = performance.now();
  const notes: string[] = [];
  let runDirPath: string | null = null;
  // Closed in the outer finally whatever happens: a sampler left running would write into this run forever.
  let openJournal: { close(): Promise<void> } | undefined;
  let runningSampler: { stop(): Promise<void> } | undefined;
  let abandonSchedule = () => {};
  let fired: ScenarioOutcome['faults'] = [];
  let slowImpliedLost: number | null = null;
  let availability: AvailabilityVerdict | null = null;
  const { workload, topic } = scenario;
  const emptyRow = (verdict: string): ScenarioRow => ({
    scenario: scenario.name, acks: workload.acks, producers: workload.producers, sent: 0, acknowledged: 0, failed: 0, unknown: 0,
    highWatermark: null, readBack: 0, lost: 0, lostUnconfirmed: 0, duplicates: 0, reordered: 0, verdict, asExpected: false,
  });
  try {
    log(`[${scenario.name}] fresh ${scenario.cluster.metadata} cluster of ${scenario.cluster.brokers}`);
    await clusterDown();
    const cluster = await clusterUp({
      brokers: scenario.cluster.brokers,
      metadata: scenario.cluster.metadata,
      ...(scenario.cluster.kafkaVersion ? { kafkaVersion: scenario.cluster.kafkaVersion } : {}),
      settings: scenario.cluster.settings,
    });
    await withAdmin(cluster.bootstrap, (admin) => admin.createTopic({ name: topic.name, partitions: topic.partitions, replicationFactor: topic.replicationFactor, config: topic.config }));
    if (!(await waitForSettled(topic.name, topic.replicationFactor, 30_000))) throw new FaultlineError(`topic ${topic.name} did not get leaders and a full ISR within 30 s`);

    const { dir, journal } = createRunDir(options.runsRoot, {
      run: scenario.name,
      seed: scenario.seed,
      topic: topic.name,
      acks: workload.acks,
      scenario: scenario.name,
      title: scenario.title,
      cluster: { ...scenario.cluster, kafkaVersion: cluster.kafkaVersion },
      workload: scenario.workload,
      full: options.full ?? false,
      client: options.client ?? 'faultline',
    });
    runDirPath = dir.path;
    openJournal = journal;
    const sink: OpSink = { append: (record: JournalRecord) => journal.append(record), elapsedMs: () => journal.elapsedMs() };
    const events: FaultEventSink = (event) => {
      if (!journal.closed) journal.append({ kind: 'event', timeMs: journal.elapsedMs(), ...event });
    };
    markRunActive(dir.path, Date.now() - journal.elapsedMs());
    const brokers = requireClusterState().nodes.filter(isBroker);
    const sampler = startSampler(brokers, cluster.bootstrap, topic.name, sink);
    runningSampler = sampler;

    const total = totalMessages(workload);
    let sentSoFar = 0;
    const schedule = startFaultSchedule({
      faults: scenario.faults,
      totalSends: total,
      sent: () => sentSoFar,
      elapsedMs: () => journal.elapsedMs(),
      events,
      seed: scenario.seed,
      log: (line) => log(`[${scenario.name}] ${line}`),
    });
    abandonSchedule = () => schedule.abandon();
    fired = schedule.fired;

    let lastPrinted = 0;
    try {
      if (workload.kind === 'slow-produce') {
        const summary = await runSlowProducer({
          bootstrap: cluster.bootstrap, topic: topic.name, count: workload.count, rateMsgsPerSec: workload.rateMsgsPerSec, acks: workload.acks, idempotent: workload.idempotent,
          ...(workload.retries !== undefined ? { retries: workload.retries } : {}),
          ...(workload.timeoutMs !== undefined ? { timeoutMs: workload.timeoutMs } : {}),
          ...(workload.valueSizeBytes !== undefined ? { valueSizeBytes: workload.valueSizeBytes } : {}),
          sink,
          onProgress: (sent) => (sentSoFar = sent),
          onLine: (line) => (/fail-over|ERROR/.test(line) ? log(`[${scenario.name}] ${line}`) : undefined),
        });
        slowImpliedLost = summary.impliedLost;
      } else if (options.client === 'verifiable-producer') {
        const run = await runVerifiableWorkload({ kafkaVersion: cluster.kafkaVersion, bootstrap: cluster.bootstrap, topic: topic.name, workload, sink, workDir: dir.path, onSent: (sent) => (sentSoFar = sent) });
        if (run.unreported > 0) notes.push(`VerifiableProducer never reported ${run.unreported} sends (recorded as info)`);
      } else {
        await runProduceWorkload({
          bootstrap: cluster.bootstrap, topic: topic.name, countPerProducer: workload.count, rateMsgsPerSec: workload.rateMsgsPerSec, acks: workload.acks, producers: workload.producers, idempotent: workload.idempotent,
          ...(workload.retries !== undefined ? { retries: workload.retries } : {}),
          ...(workload.timeoutMs !== undefined ? { timeoutMs: workload.timeoutMs } : {}),
          ...(workload.valueSizeBytes !== undefined ? { valueSizeBytes: workload.valueSizeBytes } : {}),
          sink,
          onProgress: (p) => {
            sentSoFar = p.sent;
            const acked = p.delivered;
            if (acked - lastPrinted >= Math.max(10_000, total / 5)) {
              lastPrinted = acked;
              log(`[${scenario.name}] Success: ${acked} Failed: ${p.failed} Unknown: ${p.unknown}`);
            }
          },
        });
      }
    } finally {
      schedule.workloadEnded();
    }
    await schedule.finished();
    notes.push(...schedule.problems);
    const healed = await healAll({ events });
    if (healed.actions.length > 0) log(`[${scenario.name}] healed: ${healed.actions.join('; ')}`);
    for (const f of fired) f.healedAtMs ??= Math.round(journal.elapsedMs());
    if (!(await waitForSettled(topic.name, topic.replicationFactor, SETTLE_TIMEOUT_MS))) notes.push(`the cluster did not regain a full ISR within ${SETTLE_TIMEOUT_MS / 1000} s after healing`);
    await sampler.stop();
    const finalSample = await sampleTopic(brokers, cluster.bootstrap, topic.name, 10_000);
    journal.append({ ...finalSample, timeMs: journal.elapsedMs() });
    log(`[${scenario.name}] reading ${topic.name} back`);
    const read = await readBack({
      bootstrap: cluster.bootstrap, topic: topic.name, sink, untilIdleMs: 15_000, timeoutMs: 300_000,
      ...(options.client === 'verifiable-producer' ? { decodeValue: decodeVerifiableValue } : {}),
    });
    if (!read.complete) notes.push('the read-back did not reach the end offsets');
    await journal.close();
    clearActiveRun(dir.path);

    const { verdict } = await checkJournalFile(join(dir.path, 'history.jsonl'), { topic: topic.name });
    const availabilityChecker = new AvailabilityChecker();
    for await (const record of readJournal(join(dir.path, 'history.jsonl'))) availabilityChecker.add(record);
    availability = availabilityChecker.result();
    const highWatermark = verdict.partitions.every((p) => p.highWatermark !== null) ? verdict.partitions.reduce((sum, p) => sum + (p.highWatermark ?? 0), 0) : null;
    const lost = verdict.anomalies.lost.length;
    const duplicates = verdict.anomalies.duplicate.length;
    const row: ScenarioRow = {
      scenario: scenario.name,
      acks: workload.acks,
      producers: workload.producers,
      sent: verdict.counts.sent,
      acknowledged: verdict.counts.acknowledged,
      failed: verdict.counts.failed,
      unknown: verdict.counts.unknown,
      highWatermark,
      readBack: verdict.counts.readBack,
      lost,
      lostUnconfirmed: verdict.anomalies.lostUnconfirmed.length,
      duplicates,
      reordered: verdict.anomalies.reordered.length,
      verdict: schedule.problems.length > 0 && fired.length < scenario.faults.length ? 'error' : verdict.verdict,
      asExpected: fired.length === scenario.faults.length && expectationMet(scenario, lost, duplicates),
    };
    return { name: scenario.name, title: scenario.title, runDir: runDirPath, row, verdict, availability, faults: fired, slowProducerImpliedLost: slowImpliedLost, notes, error: null, durationMs: performance.now() - started };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`[${scenario.name}] error: ${message}`);
    return { name: scenario.name, title: scenario.title, runDir: runDirPath, row: emptyRow('error'), verdict: null, availability, faults: fired, slowProducerImpliedLost: slowImpliedLost, notes, error: message, durationMs: performance.now() - started };
  } finally {
    abandonSchedule();
    await runningSampler?.stop().catch(() => undefined);
    await openJournal?.close().catch(() => undefined);
    await healAll().catch(() => undefined);
    if (runDirPath) clearActiveRun(runDirPath);
    if (!options.keepCluster) await clusterDown().catch(() => undefined);
  }
}

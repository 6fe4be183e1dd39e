import type { ProduceScenarioWorkload, Scenario } from '../scenario/scenario.js';
import { totalMessages } from '../scenario/scenario.js';
import type { OpSink } from '../workload/op-sink.js';
import { runProduceWorkload } from '../workload/produce-workload.js';
import { runScenarioQueue } from './scenario-queue.js';
import { runSlowProducer } from '../workload/slow-producer.js';
import { runVerifiableWorkload, type ProducerClient } from './verifiable-producer-workload.js';

export interface ScenarioWorkloadInput {
  readonly scenario: Scenario;
  readonly bootstrap: string;
  readonly kafkaVersion: string;
  readonly sink: OpSink;
  /** The run directory (VerifiableProducer writes its configs there). */
  readonly workDir: string;
  readonly client: ProducerClient;
  readonly log: (line: string) => void;
  /** Sends so far (queue workloads: operations completed), for the fault schedule's sentFraction triggers. */
  readonly onSent: (sent: number) => void;
}

export interface ScenarioWorkloadResult {
  /** What the slow producer's fail-over gaps imply, for slow-produce workloads. */
  readonly slowImpliedLost: number | null;
  readonly notes: string[];
}

/** Runs the scenario's workload with the chosen client, recording into the sink. */
export async function runScenarioWorkload(input: ScenarioWorkloadInput): Promise<ScenarioWorkloadResult> {
  const { workload } = input.scenario;
  if (workload.kind === 'queue') return { slowImpliedLost: null, notes: await runScenarioQueue({ ...input, workload }) };
  if (workload.kind === 'pipeline') throw new Error('a pipeline scenario runs through runPipelineScenario');
  if (workload.kind === 'slow-produce') return runSlow(input, workload);
  if (input.client === 'verifiable-producer') return runVerifiable(input, workload);
  return runProduce(input, workload);
}

/** The client settings a scenario may leave to the client. */
function clientOptions(workload: ProduceScenarioWorkload): { retries?: number; timeoutMs?: number; valueSizeBytes?: number } {
  return {
    ...(workload.retries !== undefined ? { retries: workload.retries } : {}),
    ...(workload.timeoutMs !== undefined ? { timeoutMs: workload.timeoutMs } : {}),
    ...(workload.valueSizeBytes !== undefined ? { valueSizeBytes: workload.valueSizeBytes } : {}),
  };
}

async function runSlow(input: ScenarioWorkloadInput, workload: ProduceScenarioWorkload): Promise<ScenarioWorkloadResult> {
  const { topic } = input.scenario;
  const summary = await runSlowProducer({
    bootstrap: input.bootstrap, topic: topic.name, count: workload.count, rateMsgsPerSec: workload.rateMsgsPerSec, acks: workload.acks, idempotent: workload.idempotent,
    ...clientOptions(workload),
    sink: input.sink,
    onProgress: input.onSent,
    onLine: (line) => (/fail-over|ERROR/.test(line) ? input.log(line) : undefined),
  });
  return { slowImpliedLost: summary.impliedLost, notes: [] };
}

async function runVerifiable(input: ScenarioWorkloadInput, workload: ProduceScenarioWorkload): Promise<ScenarioWorkloadResult> {
  const { topic } = input.scenario;
  const run = await runVerifiableWorkload({ kafkaVersion: input.kafkaVersion, bootstrap: input.bootstrap, topic: topic.name, workload, sink: input.sink, workDir: input.workDir, onSent: input.onSent });
  return { slowImpliedLost: null, notes: run.unreported > 0 ? [`VerifiableProducer never reported ${run.unreported} sends (recorded as info)`] : [] };
}

async function runProduce(input: ScenarioWorkloadInput, workload: ProduceScenarioWorkload): Promise<ScenarioWorkloadResult> {
  const { topic } = input.scenario;
  const total = totalMessages(workload);
  let lastPrinted = 0;
  await runProduceWorkload({
    bootstrap: input.bootstrap, topic: topic.name, countPerProducer: workload.count, rateMsgsPerSec: workload.rateMsgsPerSec, acks: workload.acks, producers: workload.producers, idempotent: workload.idempotent,
    ...clientOptions(workload),
    sink: input.sink,
    onProgress: (p) => {
      input.onSent(p.sent);
      if (p.delivered - lastPrinted < Math.max(10_000, total / 5)) return;
      lastPrinted = p.delivered;
      input.log(`Success: ${p.delivered} Failed: ${p.failed} Unknown: ${p.unknown}`);
    },
  });
  return { slowImpliedLost: null, notes: [] };
}

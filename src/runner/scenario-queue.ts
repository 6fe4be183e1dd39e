import { countText } from '../checker/checker.js';
import { queueSettings, type QueueScenarioWorkload, type Scenario } from '../scenario/scenario.js';
import type { OpSink } from '../workload/op-sink.js';
import { runQueueWorkload, type QueueWorkloadSummary } from '../workload/queue/queue-workload.js';

export interface ScenarioQueueInput {
  readonly scenario: Scenario;
  readonly workload: QueueScenarioWorkload;
  readonly bootstrap: string;
  readonly sink: OpSink;
  readonly log: (line: string) => void;
  /** Operations completed so far over every process, for sentFraction triggers. */
  readonly onSent: (completedOps: number) => void;
}

/** The consumer group (subscribe) or group prefix (assign) of a queue scenario; transactional ids derive from it. */
function queueGroup(scenario: Scenario): string {
  return `faultline-${scenario.name}`;
}

/** The meta line's `queue` object: what the queue checker's policy reads. */
export function queueMeta(workload: QueueScenarioWorkload): { transactional: boolean; isolation: string; subscribe: boolean; allowDuplicates: boolean } {
  return { transactional: workload.transactional, isolation: workload.isolation, subscribe: workload.consumerMode === 'subscribe', allowDuplicates: false };
}

/** Notes for the report: crashes, clients that would not open, a drain that did not reach the end. */
function summaryNotes(summary: QueueWorkloadSummary): string[] {
  const { drain } = summary;
  return [
    `queue operations: ${summary.ok} ok, ${summary.fail} failed, ${summary.info} unknown; ${countText(summary.crashes, 'crash')}; clients failed to open ${countText(summary.openFailures, 'time')}`,
    drain.complete ? `final drain complete: ${countText(drain.records, 'record')} from ${countText(drain.partitions.length, 'partition')}` : `final drain incomplete: partitions ${drain.partitions.filter((p) => !p.reachedEnd).map((p) => p.partition).join(', ')} not read to their end offsets`,
    ...(drain.unstable.length > 0 ? [`open transactions on partitions ${drain.unstable.join(', ')} when the drain began`] : []),
  ];
}

/** Runs a queue scenario's workload (its own final drain included); returns notes for the report. */
export async function runScenarioQueue(input: ScenarioQueueInput): Promise<string[]> {
  const { scenario, workload } = input;
  const total = workload.processes * workload.opsPerProcess;
  let lastLogged = 0;
  const summary = await runQueueWorkload({
    ...queueSettings(workload),
    bootstrap: input.bootstrap, topic: scenario.topic.name, partitions: scenario.topic.partitions, sink: input.sink,
    group: queueGroup(scenario), seed: scenario.seed,
    onOp: (done) => {
      input.onSent(done);
      if (done - lastLogged < Math.max(1, Math.ceil(total / 5))) return;
      lastLogged = done;
      input.log(`queue operations: ${done}/${total}`);
    },
  });
  const notes = summaryNotes(summary);
  input.log(notes.join('; '));
  return notes;
}

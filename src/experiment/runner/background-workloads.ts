import { pollUntil } from '../../util/time.js';
import { FaultlineError } from '../../errors.js';
import type { Run } from '../../history/run.js';
import { startConsumerGroup, type ConsumerGroupHandle } from '../../workload/consumer-group.js';
import { MAX_COUNT_PER_PRODUCER, MAX_PRODUCERS } from '../../workload/produce-limits.js';
import { runProduceWorkload, type ProduceSummary } from '../../workload/produce-workload.js';
import type { BackgroundWorkload, ConsumerGroupWorkloadSpec, ProducerWorkloadSpec } from '../experiment.js';

/** How long a consumer-group workload may take to get its first partitions before the run goes on without. */
const GROUP_FIRST_ASSIGNMENT_TIMEOUT_MS = 60_000;
const ASSIGNMENT_POLL_MS = 100;

/**
 * How long an experiment's group may take to drain at the end: longer than librdkafka's socket.timeout.ms
 * (60 s), because a fault can leave a member's fetch connection hung until that timeout (seen in 06: after a
 * degraded link healed, one member received nothing from one partition for 59 s, then would have reconnected).
 */
const EXPERIMENT_DRAIN_TIMEOUT_MS = 90_000;

interface RunningProducer {
  readonly kind: 'producer';
  readonly stop: AbortController;
  readonly done: Promise<ProduceSummary>;
}

interface RunningGroup {
  readonly kind: 'consumer-group';
  readonly handle: ConsumerGroupHandle;
}

type Running = RunningProducer | RunningGroup;

/**
 * The experiment's background workloads by name: producers and long-lived consumer groups, started and stopped
 * by steps, all stopped at the end. Producers get disjoint ids (p0.., then the next workload's) so every value
 * stays unique in the run; consumer groups get disjoint member names likewise.
 */
export class BackgroundWorkloads {
  private readonly specs: ReadonlyMap<string, BackgroundWorkload>;
  private readonly running = new Map<string, Running>();
  private readonly firstIndex = new Map<string, number>();

  constructor(specs: readonly BackgroundWorkload[], private readonly bootstrap: string, private readonly run: Run) {
    this.specs = new Map(specs.map((s) => [s.name, s]));
    let producers = 0;
    let members = 0;
    for (const spec of specs) {
      this.firstIndex.set(spec.name, spec.kind === 'producer' ? producers : members);
      if (spec.kind === 'producer') producers += spec.producers;
      else members += spec.members;
    }
    if (producers > MAX_PRODUCERS) throw new FaultlineError(`workloads: ${producers} producers in all; at most ${MAX_PRODUCERS}`);
  }

  async start(name: string): Promise<void> {
    const spec = this.specs.get(name);
    if (spec === undefined) throw new FaultlineError(`workload ${name}: not declared`);
    if (this.running.has(name)) return;
    if (spec.kind === 'producer') this.running.set(name, this.startProducer(spec));
    else this.running.set(name, await this.startGroup(spec));
  }

  private startProducer(spec: ProducerWorkloadSpec): RunningProducer {
    const stop = new AbortController();
    const done = runProduceWorkload({
      bootstrap: this.bootstrap,
      topic: spec.topic,
      countPerProducer: spec.countPerProducer ?? MAX_COUNT_PER_PRODUCER,
      rateMsgsPerSec: spec.rateMsgsPerSec,
      acks: spec.acks,
      producers: spec.producers,
      idempotent: spec.idempotent,
      ...(spec.retries !== undefined ? { retries: spec.retries } : {}),
      ...(spec.timeoutMs !== undefined ? { timeoutMs: spec.timeoutMs } : {}),
      ...(spec.valueSizeBytes !== undefined ? { valueSizeBytes: spec.valueSizeBytes } : {}),
      firstProducerIndex: this.firstIndex.get(spec.name) ?? 0,
      sink: this.run,
      signal: stop.signal,
    });
    return { kind: 'producer', stop, done };
  }

  private async startGroup(spec: ConsumerGroupWorkloadSpec): Promise<RunningGroup> {
    const handle = startConsumerGroup({
      bootstrap: this.bootstrap,
      topic: spec.topic,
      group: spec.groupId,
      members: spec.members,
      commit: spec.commit,
      firstMemberIndex: this.firstIndex.get(spec.name) ?? 0,
      ...(spec.sessionTimeoutMs !== undefined ? { sessionTimeoutMs: spec.sessionTimeoutMs } : {}),
      drainTimeoutMs: EXPERIMENT_DRAIN_TIMEOUT_MS,
      sink: this.run,
    });
    await handle.ready();
    // On a fresh cluster the first rebalance waits for the offsets topic to be created: the group counts as started
    // (and the steady state is checked) once it holds partitions, or after GROUP_FIRST_ASSIGNMENT_TIMEOUT_MS.
    await pollUntil(() => (Object.values(handle.assignments()).some((p) => p.length > 0) ? true : undefined), GROUP_FIRST_ASSIGNMENT_TIMEOUT_MS, ASSIGNMENT_POLL_MS);
    return { kind: 'consumer-group', handle };
  }

  /** Stops one workload: producers stop sending and await what is in flight; groups drain, commit and close. */
  async stop(name: string): Promise<void> {
    const running = this.running.get(name);
    if (running === undefined) return;
    this.running.delete(name);
    if (running.kind === 'producer') {
      running.stop.abort();
      await running.done;
    } else {
      await running.handle.stop();
    }
  }

  /** Producers first (their last sends can still reach the groups), then the groups. Never throws; returns problems. */
  async stopAll(): Promise<string[]> {
    const problems: string[] = [];
    const order = [...this.running.entries()].sort(([, a], [, b]) => (a.kind === b.kind ? 0 : a.kind === 'producer' ? -1 : 1));
    for (const [name] of order) {
      await this.stop(name).catch((error: unknown) => problems.push(`workload ${name}: ${(error as Error).message}`));
    }
    return problems;
  }

  /** For round-trip probes with `consumer: group`: true once any running group received `value`. */
  async groupReceived(value: string, timeoutMs: number): Promise<boolean> {
    const groups = [...this.running.values()].filter((r): r is RunningGroup => r.kind === 'consumer-group');
    if (groups.length === 0) return false;
    const results = await Promise.all(groups.map((g) => g.handle.waitForValue(value, timeoutMs)));
    return results.some((t) => t !== null);
  }
}

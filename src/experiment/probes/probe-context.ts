import type { ClusterState } from '../../cluster/cluster-state.js';
import type { BrokerAddress } from '../../kafka/topic-view.js';
import type { OpSink } from '../../workload/op-sink.js';
import type { ProbeObservation } from './tolerance-evaluate.js';

/** A broker a probe talks to: its id and client address (a NodeState fits). */
export interface ProbeBroker extends BrokerAddress {
  readonly id: number;
}

/** What the probes of one run share: where the cluster is, the run's journal, hooks into its workloads, a clock. */
export interface ProbeContext {
  readonly bootstrap: string;
  /** Every broker the cluster should have: cluster-health counts them as expected. */
  readonly brokers: readonly ProbeBroker[];
  /** The local cluster's current state (read fresh: faults change it), when there is one: cluster-health reads the KRaft controller from it. */
  readonly cluster?: () => ClusterState | undefined;
  /** The run's journal (history.jsonl) for the checker probe: read up to its size when the probe starts. */
  readonly historyPath?: string;
  /**
   * Where a round-trip probe records its send (invoke, then ok/fail/info) so the run's checkers know the
   * value; without it the probe's values are unknown to them (keep the probe off checked topics then).
   */
  readonly sink?: OpSink;
  /**
   * Resolves true once the experiment's long-lived consumer group has received `value`, false after
   * timeoutMs. A `round-trip` probe with `consumer: group` needs it (the runner wires it to the workload).
   */
  readonly groupReceived?: (value: string, timeoutMs: number) => Promise<boolean>;
  /** Earlier observations per probe, for consecutive and ratio tolerances; runProbe adds each new one. */
  readonly memory?: ProbeMemory;
  /** Milliseconds on the run's clock (the journal's timeMs). */
  nowMs(): number;
}

/** One run of a probe. `value` is JSON; `detail` is the tolerance's verdict or the error. */
export interface ProbeResult {
  readonly name: string;
  readonly kind: string;
  readonly ok: boolean;
  readonly value: unknown;
  readonly detail: string;
  readonly startedAtMs: number;
  readonly tookMs: number;
}

/** Observations kept per probe: the bound on memory (a 1 Hz probe keeps over half an hour). */
const MAX_OBSERVATIONS_PER_PROBE = 2000;

/** The probes' memory across one run: earlier observations per probe name, and a send counter per probe. */
export class ProbeMemory {
  private readonly byName = new Map<string, ProbeObservation[]>();
  private readonly sends = new Map<string, number>();

  observations(name: string): readonly ProbeObservation[] {
    return this.byName.get(name) ?? [];
  }

  note(name: string, observation: ProbeObservation): void {
    const list = this.byName.get(name) ?? [];
    list.push(observation);
    if (list.length > MAX_OBSERVATIONS_PER_PROBE) list.splice(0, list.length - MAX_OBSERVATIONS_PER_PROBE);
    this.byName.set(name, list);
  }

  /** 0, 1, 2, ... per name: the sequence number of a probe's next produced value. */
  nextSeq(name: string): number {
    const seq = this.sends.get(name) ?? 0;
    this.sends.set(name, seq + 1);
    return seq;
  }
}

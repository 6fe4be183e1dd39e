import type { FaultRequest, RestartMode } from '../nemesis/fault-request.js';
import type { AcksMode, ScenarioCluster, ScenarioTopic } from '../scenario/scenario.js';
import type { ProbeSpec } from './probes/index.js';

/**
 * An experiment: steady state, then a method of steps (faults, waits, workload start/stop, cluster actions,
 * probes), rollbacks that always run, safeguards that abort, budgets on recovery times. Plain data, validated
 * and with defaults filled in (see read-experiment.ts); a file with a matrix yields one Experiment per variant
 * (see matrix.ts), each with its placeholders substituted.
 */
export interface Experiment {
  /** Lowercase letters, digits and dashes; a matrix variant's is `<name>[key=value,...]` in ExperimentVariant.name. */
  readonly name: string;
  readonly title: string;
  /** Seeds workload values, target choice and random schedules without a seed of their own; default 1. */
  readonly seed: number;
  readonly description: string;
  readonly cluster: ScenarioCluster;
  /** Every topic the experiment creates (from `topic:` or `topics:`); at least one, names unique. */
  readonly topics: readonly ScenarioTopic[];
  /** Background workloads, in file order; started and stopped by `start`/`stop` steps. */
  readonly workloads: readonly BackgroundWorkload[];
  /** Probes that must hold before the method and after it (and during, per their mode). */
  readonly steadyState: readonly ProbeSpec[];
  readonly method: readonly Step[];
  /** Always run after the method: on success, deviation, abort, signal or exception. */
  readonly rollbacks: readonly Step[];
  /** Probes whose failure aborts the run (then rollbacks run). */
  readonly safeguards: readonly ProbeSpec[];
  /** Recovery-time limits by measure, in ms; a measure over its budget deviates the run. */
  readonly budgets: Budgets;
  /** The file this experiment was loaded from (absent when built in code). */
  readonly sourceFile?: string;
}

/**
 * Recovery times measured from the journal for every fault (see docs/experiments.md#recovery-times):
 * faultEffectiveMs: fault injected -> fault in effect (process down, rules installed);
 * detectionMs: fault in effect -> the cluster reacts (leader change, ISR shrink, group rebalance seen);
 * firstWriteMs: fault in effect -> first successful (acknowledged) write;
 * roundTripRecoveredMs: fault in effect -> first successful end-to-end round trip (produce, then consume);
 * lagRecoveredMs: fault in effect -> consumer lag back under its threshold;
 * steadyStateRecoveredMs: fault in effect -> every steady-state probe passing again.
 */
export const RECOVERY_MEASURES = ['faultEffectiveMs', 'detectionMs', 'firstWriteMs', 'roundTripRecoveredMs', 'lagRecoveredMs', 'steadyStateRecoveredMs'] as const;
export type RecoveryMeasure = (typeof RECOVERY_MEASURES)[number];
export type Budgets = Readonly<Partial<Record<RecoveryMeasure, number>>>;

/** Background workload kinds: a steady producer, a long-lived consumer group. */
export const BACKGROUND_WORKLOAD_KINDS = ['producer', 'consumer-group'] as const;
export type BackgroundWorkload = ProducerWorkloadSpec | ConsumerGroupWorkloadSpec;

/** A background producer: produces at its rate from `start` until `stop` (or until countPerProducer is sent). */
export interface ProducerWorkloadSpec {
  readonly kind: 'producer';
  /** Unique among the experiment's workloads; `start:`/`stop:` steps name it. */
  readonly name: string;
  /** One of the experiment's topics (default: the only one). */
  readonly topic: string;
  readonly acks: AcksMode;
  /** Concurrent producers; default 1. */
  readonly producers: number;
  readonly rateMsgsPerSec: number;
  /** Messages per producer at most; absent = until stopped. */
  readonly countPerProducer?: number;
  readonly idempotent: boolean;
  readonly retries?: number;
  readonly timeoutMs?: number;
  readonly valueSizeBytes?: number;
}

export const COMMIT_MODES = ['sync', 'auto'] as const;
export type CommitMode = (typeof COMMIT_MODES)[number];

/** A long-lived consumer group: `members` consumers subscribed to `topic` from `start` until `stop`. */
export interface ConsumerGroupWorkloadSpec {
  readonly kind: 'consumer-group';
  readonly name: string;
  readonly topic: string;
  /** The consumer group id; default the workload's name. */
  readonly groupId: string;
  /** Members (c0, c1, ...); default 1. */
  readonly members: number;
  /** sync: commit after processing each poll; auto: the client's auto-commit. Default sync. */
  readonly commit: CommitMode;
  /** Consumer session timeout; absent = the client's default. */
  readonly sessionTimeoutMs?: number;
}

/** What a step does; the YAML key of the step (`fault:`, `wait:`, ...). */
export const STEP_KINDS = ['fault', 'heal', 'wait', 'start', 'stop', 'cluster', 'probe', 'repeat', 'random'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** One step of a method or of rollbacks. Every step may carry a `name` (unique in the experiment). */
export type Step = FaultStep | HealStep | WaitStep | StartStep | StopStep | ClusterStep | ProbeStep | RepeatStep | RandomStep;

interface StepBase {
  readonly name?: string;
}

/** Injects a fault (the nemesis's FaultRequest); healed after healAfterMs, by a `heal` step, or at the end. */
export interface FaultStep extends StepBase {
  readonly kind: 'fault';
  readonly fault: FaultRequest;
  readonly healAfterMs?: number;
}

/** Heals every active fault ('all') or the fault injected by the fault step with this name. */
export interface HealStep extends StepBase {
  readonly kind: 'heal';
  readonly heal: 'all' | { readonly step: string };
}

export interface WaitStep extends StepBase {
  readonly kind: 'wait';
  readonly ms: number;
}

/** Starts or stops a background workload by name. */
export interface StartStep extends StepBase {
  readonly kind: 'start';
  readonly workload: string;
}

export interface StopStep extends StepBase {
  readonly kind: 'stop';
  readonly workload: string;
}

export const CLUSTER_ACTIONS = ['rolling-restart', 'full-restart'] as const;
export type ClusterAction = (typeof CLUSTER_ACTIONS)[number];

/** rolling-restart: one node after another; full-restart: every node down, then every node up. */
export interface ClusterStep extends StepBase {
  readonly kind: 'cluster';
  readonly action: ClusterAction;
  /** How nodes go down; default terminate. */
  readonly restartMode: RestartMode;
  /** How long a node (or the whole cluster) stays down; default 0. */
  readonly downMs: number;
}

export interface ProbeStep extends StepBase {
  readonly kind: 'probe';
  readonly probe: ProbeSpec;
}

/** Runs `steps` `times` times, or again and again until `forMs` has passed (checked between rounds). */
export interface RepeatStep extends StepBase {
  readonly kind: 'repeat';
  readonly times?: number;
  readonly forMs?: number;
  readonly steps: readonly Step[];
}

/** A Jepsen-style randomised schedule; planRandomSchedule turns it into PlannedFaults from a seed. */
export interface RandomStep extends StepBase {
  readonly kind: 'random';
  readonly schedule: RandomScheduleSpec;
}

export interface RandomScheduleSpec {
  /** Every planned fault fires and heals within this time from the step's start. */
  readonly forMs: number;
  /** The quiet time before each fault and each fault's duration are drawn from [min, max] (whole ms). */
  readonly intervalMs: { readonly min: number; readonly max: number };
  /** What to inject; a template without a target, groups or shape gets one drawn from `targets`. */
  readonly faults: readonly FaultTemplate[];
  /** Target texts (`leader:t`, `controller`, `n2`, ...) drawn for templates without one. */
  readonly targets: readonly string[];
  /** The schedule's own seed; absent = the run's seed. */
  readonly seed?: number;
}

/** A fault as written (plain data), already validated with every target it may be given. */
export interface FaultTemplate {
  readonly fields: Readonly<Record<string, unknown>>;
  /** True when a target is drawn from the schedule's targets. */
  readonly needsTarget: boolean;
}

/** One fault of a planned random schedule: what the runner injects, when, and when it heals. */
export interface PlannedFault {
  /** Position in the plan, from 0. */
  readonly index: number;
  /** Offset from the random step's start. */
  readonly atMs: number;
  readonly healAtMs: number;
  /** Index into RandomScheduleSpec.faults. */
  readonly template: number;
  /** The drawn target text, when the template had none. */
  readonly target?: string;
  readonly fault: FaultRequest;
}

/** A matrix dimension: `${key}` placeholders take each of `values` in turn. */
export interface MatrixDimension {
  readonly key: string;
  readonly values: readonly MatrixValue[];
}
export type MatrixValue = string | number | boolean;

/** One run of a (matrix) experiment: its name, the values substituted and the validated experiment. */
export interface ExperimentVariant {
  /** `<name>` without a matrix; `<name>[restartMode=kill,target=controller]` with one. */
  readonly name: string;
  readonly values: Readonly<Record<string, MatrixValue>>;
  readonly experiment: Experiment;
}

/** A loaded experiment file: its variants (one without a matrix), in matrix order. */
export interface ExperimentFile {
  readonly kind: 'experiment';
  readonly name: string;
  readonly matrix: readonly MatrixDimension[];
  readonly variants: readonly ExperimentVariant[];
  readonly sourceFile?: string;
}

import type { Target } from './target.js';

/**
 * Faults as typed plain data: targets, peers, groups and shapes are already parsed (see fault-parse.ts), so
 * schedules, experiment files and the registry hold them as they are and nothing parses them twice.
 */
export const PROCESS_FAULT_KINDS = ['kill', 'terminate', 'restart', 'pause', 'resume', 'start'] as const;
export const FAULT_KINDS = [...PROCESS_FAULT_KINDS, 'partition', 'degrade', 'fill-disk'] as const;
export type ProcessFaultKind = (typeof PROCESS_FAULT_KINDS)[number];
export type FaultKind = (typeof FAULT_KINDS)[number];

export const RESTART_MODES = ['terminate', 'kill'] as const;
export type RestartMode = (typeof RESTART_MODES)[number];

export interface ProcessFaultRequest {
  readonly kind: ProcessFaultKind;
  readonly target: Target;
  /** terminate/restart: SIGTERM, then SIGKILL after this long (default DEFAULT_GRACE_MS). */
  readonly graceMs?: number;
  /** restart: 'terminate' (graceful, default) or 'kill' before starting again. */
  readonly restartMode?: RestartMode;
  /** restart: how long the node stays down before it starts again (default 0). */
  readonly downMs?: number;
}

/** Who a partition's target is cut off from: every other node, the KRaft quorum port, ZooKeeper, or these nodes. */
export type PartitionFrom = 'all' | 'controllers' | 'zookeeper' | { readonly nodes: readonly Target[] };

/** One side of a partition: nodes by role or name, or 'rest' (every node no other group claimed). */
export type PartitionGroup = readonly Target[] | 'rest';

export const SIMPLE_SHAPES = ['halves', 'random-halves', 'majorities-ring', 'bridge'] as const;
export type SimpleShapeKind = (typeof SIMPLE_SHAPES)[number];

/** Jepsen's named partitions, resolved over the Kafka nodes (brokers and controllers) when the fault fires. */
export type PartitionShape = { readonly kind: SimpleShapeKind } | { readonly kind: 'minority-with'; readonly target: Target };

/**
 * Exactly one of: `target` (cut off `from` others), `groups` (each talks only within itself), `shape`.
 */
export interface PartitionFaultRequest {
  readonly kind: 'partition';
  readonly target?: Target;
  /** With a target; default 'all'. */
  readonly from?: PartitionFrom;
  readonly groups?: readonly PartitionGroup[];
  readonly shape?: PartitionShape;
  /** Only traffic *into* the target (or into each group) is dropped. */
  readonly oneWay?: boolean;
  /** Also cut the workload host off (by default it keeps reaching every node). */
  readonly clients?: boolean;
}

/** The other end of degraded links: the workload host, every node, or these nodes. */
export type DegradePeers = 'clients' | 'all' | { readonly nodes: readonly Target[] };

export interface DegradeFaultRequest {
  readonly kind: 'degrade';
  readonly target: Target;
  /** Default 'clients'. */
  readonly peers?: DegradePeers;
  readonly latencyMs?: number;
  readonly jitterMs?: number;
  readonly bandwidthBytesPerSec?: number;
  /** Random packet loss in percent (iptables statistic match), 0 < p <= 100. */
  readonly lossPercent?: number;
  /** Intermittent drop: the link works upMs, then is broken downMs, repeatedly. */
  readonly flaky?: { readonly upMs: number; readonly downMs: number };
}

export interface FillDiskFaultRequest {
  readonly kind: 'fill-disk';
  readonly target: Target;
}

export type FaultRequest = ProcessFaultRequest | PartitionFaultRequest | DegradeFaultRequest | FillDiskFaultRequest;

export function isProcessFault(request: FaultRequest): request is ProcessFaultRequest {
  return (PROCESS_FAULT_KINDS as readonly string[]).includes(request.kind);
}

/** Keys each fault kind takes besides `kind` (the same names as the CLI's flags, in kebab-case there). */
export const FAULT_KEYS: Readonly<Record<FaultKind, readonly string[]>> = {
  kill: ['target'],
  terminate: ['target', 'graceMs'],
  restart: ['target', 'graceMs', 'restartMode', 'downMs'],
  pause: ['target'],
  resume: ['target'],
  start: ['target'],
  partition: ['target', 'from', 'groups', 'shape', 'oneWay', 'clients'],
  degrade: ['target', 'peers', 'latencyMs', 'jitterMs', 'bandwidthBytesPerSec', 'lossPercent', 'flaky'],
  'fill-disk': ['target'],
};

/** One constant per limit of a fault's numbers. */
export const FAULT_LIMITS = {
  /** terminate/restart: default wait between SIGTERM and SIGKILL. */
  defaultGraceMs: 30_000,
  maxGraceMs: 600_000,
  maxDownMs: 600_000,
  /** Added latency or jitter per direction. */
  maxDelayMs: 3_600_000,
  maxBandwidthBytesPerSec: 10 * 1024 ** 3,
  /** iptables' statistic match resolves probabilities down to about 1e-9. */
  minLossPercent: 1e-7,
  maxFlakyPhaseMs: 3_600_000,
} as const;

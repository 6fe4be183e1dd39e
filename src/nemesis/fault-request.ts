import { UsageError } from '../errors.js';

/** Faults by kind; each is plain data so schedules and experiment files can hold them. */
export const PROCESS_FAULT_KINDS = ['kill', 'terminate', 'restart', 'pause', 'resume', 'start'] as const;
export const FAULT_KINDS = [...PROCESS_FAULT_KINDS, 'partition', 'degrade', 'fill-disk'] as const;
export type ProcessFaultKind = (typeof PROCESS_FAULT_KINDS)[number];
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ProcessFaultRequest {
  readonly kind: ProcessFaultKind;
  readonly target: string;
  /** terminate/restart: SIGTERM, then SIGKILL after this long (default 30 s). */
  readonly graceMs?: number;
  /** restart: 'terminate' (graceful, default) or 'kill' before starting again. */
  readonly restartMode?: 'terminate' | 'kill';
  /** restart: how long the node stays down before it starts again (default 0). */
  readonly downMs?: number;
}

/**
 * Who the target is cut off from: every other node ('all'), the KRaft controllers' port, ZooKeeper, or
 * a list of node refs. Or, instead of a target, `groups`: each group talks only within itself.
 */
export interface PartitionFaultRequest {
  readonly kind: 'partition';
  readonly target?: string;
  readonly from?: string;
  readonly groups?: readonly (readonly string[])[];
  /** Only traffic *into* the target (or into each group) is dropped. */
  readonly oneWay?: boolean;
  /** Also cut the workload host off (by default it keeps reaching every node). */
  readonly clients?: boolean;
}

export interface DegradeFaultRequest {
  readonly kind: 'degrade';
  readonly target: string;
  /** The other end of the degraded links: 'clients' (the workload host, default), 'all' nodes, or node refs. */
  readonly peers?: string;
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
  readonly target: string;
}

export type FaultRequest = ProcessFaultRequest | PartitionFaultRequest | DegradeFaultRequest | FillDiskFaultRequest;

export function parseFaultKind(raw: string): FaultKind {
  if ((FAULT_KINDS as readonly string[]).includes(raw)) return raw as FaultKind;
  throw new UsageError(`unknown fault '${raw}'; known faults: ${FAULT_KINDS.join(', ')}`);
}

export function isProcessFault(request: FaultRequest): request is ProcessFaultRequest {
  return (PROCESS_FAULT_KINDS as readonly string[]).includes(request.kind);
}

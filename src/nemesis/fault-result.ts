import type { FaultEventSink } from '../history/active-run.js';
import { updateFault, type FaultRecord } from './heal-registry.js';

export interface NemesisOptions {
  /** Where fault-start/heal events go; default: the active run's events file, if a run is active. */
  readonly events?: FaultEventSink;
  /** Seed for `random` targets, follower choice and random partition shapes. */
  readonly seed?: number;
  /** Confirms a fault on an attached cluster (one faultline did not install, `cluster attach`); refused without it. */
  readonly confirmed?: boolean;
}

export interface FaultResult {
  readonly id: string;
  readonly kind: string;
  /** The target as text (see faultTargetText). */
  readonly target: string;
  readonly nodes: string[];
  /** When the fault was in effect (observed), ISO time. */
  readonly effectiveAt: string;
  /** From the command to the fault being in effect, including target resolution. */
  readonly tookMs: number;
  /** What the fault resolved to and did (cuts, groups, proxies, per-node results); recorded in the journal. */
  readonly detail: Record<string, unknown>;
}

/** Marks a registered fault active (in effect now) and makes its result. */
export function finishFault(record: FaultRecord, startedMs: number, detail: Record<string, unknown> = {}): FaultResult {
  const tookMs = performance.now() - startedMs;
  const effectiveAt = new Date().toISOString();
  updateFault(record.id, (r) => {
    r.status = 'active';
    r.effectiveAt = effectiveAt;
    r.tookMs = tookMs;
  });
  return { id: record.id, kind: record.kind, target: record.target, nodes: record.nodes, effectiveAt, tookMs, detail };
}

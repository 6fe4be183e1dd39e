import type { EventRecord, ProbeRecord } from '../history/operation.js';

/**
 * The timeline's consumer-group marks, read from journal records whose payload is plain JSON: a `rebalance`
 * event's detail and a consumer-group probe's value. A record without the expected fields gives no mark.
 */

/** One rebalance callback of one member (a `rebalance` event). */
export interface RebalanceMark {
  timeMs: number;
  member: string;
  group: string;
  topic: string;
  assigned: number[];
  revoked: number[];
}

/** One consumer-group probe result: its largest per-partition lag (high watermark - committed offset). */
export interface LagProbeMark {
  timeMs: number;
  name: string;
  ok: boolean;
  maxLag: number;
}

/** The probe kind whose value carries `maxLag` (src/experiment/probes/consumer-group-probe.ts). */
const CONSUMER_GROUP_PROBE = 'consumer-group';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const partitions = (v: unknown): number[] => (Array.isArray(v) ? v.filter((p): p is number => Number.isInteger(p)).sort((a, b) => a - b) : []);

/** The mark of a `rebalance` event; null when its detail names no member. */
export function rebalanceMark(e: EventRecord): RebalanceMark | null {
  const d = e.detail;
  if (!isRecord(d) || text(d['member']) === '') return null;
  return { timeMs: e.timeMs, member: text(d['member']), group: text(d['group']), topic: text(d['topic']), assigned: partitions(d['assigned']), revoked: partitions(d['revoked']) };
}

/** The mark of a consumer-group probe result that measured a maxLag; null for any other probe. */
export function lagProbeMark(p: ProbeRecord): LagProbeMark | null {
  if (p.probe !== CONSUMER_GROUP_PROBE || !isRecord(p.value)) return null;
  const maxLag = p.value['maxLag'];
  if (typeof maxLag !== 'number' || !Number.isFinite(maxLag)) return null;
  return { timeMs: p.timeMs, name: p.name, ok: p.ok, maxLag };
}

import { seconds } from './report-format.js';
import type { Timeline } from './timeline.js';

/**
 * What report.md and report.html say about the consumer group in a few lines: the largest lag, when it came
 * back down, and the rebalances of each member. A pure function of the timeline.
 */

export interface LagPeak {
  lag: number;
  /** Start of the second (ms since the run started) at whose end the lag was this (journal), or the probe's time. */
  atMs: number;
}

export interface MemberRebalances {
  member: string;
  /** Rebalance callbacks of the member. */
  callbacks: number;
  /** Callbacks that gave it partitions / took partitions from it. */
  assigns: number;
  revokes: number;
}

export interface LagSummary {
  /** The journal lag (acknowledged, not yet consumed) at its largest; null without a consumer group. */
  peak: LagPeak | null;
  /** The largest journal lag before the first fault: the settled level the run came back to (null: no fault). */
  settledLag: number | null;
  /** The first second after the peak that ended at or under `settledLag`; null when it never did (or no fault). */
  backUnderMs: number | null;
  /** The largest maxLag a consumer-group probe measured; null without such probes. */
  probePeak: LagPeak | null;
  /** Per fault, ms from its start to the first passing consumer-group probe (lagRecoveredMs); null: never. */
  probeRecovery: { faultId: string; afterMs: number | null }[];
  /** Members in order of their first rebalance. */
  rebalances: MemberRebalances[];
}

function journalPeak(t: Timeline): LagPeak | null {
  if (!t.has.lag) return null;
  let peak: LagPeak | null = null;
  for (let i = 0; i < t.series.lag.length; i++) {
    const lag = t.series.lag[i] ?? null;
    if (lag !== null && (peak === null || lag > peak.lag)) peak = { lag, atMs: i * t.bucketMs };
  }
  return peak;
}

/** Largest lag in the seconds that ended before the first fault started. */
function settled(t: Timeline): number | null {
  const first = t.faults.reduce<number | null>((min, f) => (min === null || f.startMs < min ? f.startMs : min), null);
  if (first === null || !t.has.lag) return null;
  const before = t.series.lag.filter((lag, i): lag is number => lag !== null && (i + 1) * t.bucketMs <= first);
  return Math.max(0, ...before);
}

function backUnder(t: Timeline, peak: LagPeak | null, level: number | null): number | null {
  if (peak === null || level === null) return null;
  const from = Math.round(peak.atMs / t.bucketMs);
  for (let i = from; i < t.series.lag.length; i++) {
    const lag = t.series.lag[i];
    if (lag !== null && lag !== undefined && lag <= level) return i * t.bucketMs;
  }
  return null;
}

function memberRebalances(t: Timeline): MemberRebalances[] {
  const members = new Map<string, MemberRebalances>();
  for (const r of t.rebalances) {
    let m = members.get(r.member);
    if (m === undefined) members.set(r.member, (m = { member: r.member, callbacks: 0, assigns: 0, revokes: 0 }));
    m.callbacks++;
    if (r.assigned.length > 0) m.assigns++;
    if (r.revoked.length > 0) m.revokes++;
  }
  return [...members.values()];
}

export function lagSummary(t: Timeline): LagSummary {
  const peak = journalPeak(t);
  const settledLag = settled(t);
  const probePeak = t.lagProbes.reduce<LagPeak | null>((best, p) => (best === null || p.maxLag > best.lag ? { lag: p.maxLag, atMs: p.timeMs } : best), null);
  return {
    peak,
    settledLag,
    backUnderMs: backUnder(t, peak, settledLag),
    probePeak,
    probeRecovery: probePeak === null ? [] : t.recovery.map((f) => ({ faultId: f.faultId, afterMs: f.measures.lagRecoveredMs })),
    rebalances: memberRebalances(t),
  };
}

/** True when the run has anything about a consumer group to summarise. */
export function hasConsumerFacts(s: LagSummary): boolean {
  return s.peak !== null || s.probePeak !== null || s.rebalances.length > 0;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The summary as plain sentences (report.md lists them, report.html too; the caller escapes them). */
export function lagSentences(s: LagSummary): string[] {
  const lines: string[] = [];
  if (s.peak !== null) {
    const back = s.settledLag === null ? '' : s.backUnderMs === null ? `; it never came back to ${count(s.settledLag)} or less (its largest before the first fault)` : `; back to ${count(s.settledLag)} or less (its largest before the first fault) in the second from ${seconds(s.backUnderMs)}`;
    lines.push(`Consumer lag from the journal (acknowledged, not yet consumed): peak ${count(s.peak.lag)} in the second from ${seconds(s.peak.atMs)}${back}.`);
  }
  if (s.probePeak !== null) {
    const recovered = s.probeRecovery.map((f) => (f.afterMs === null ? `${f.faultId}: no passing consumer-group probe after it` : `${f.faultId}: a consumer-group probe passed ${seconds(f.afterMs)} after it started`));
    lines.push(`Consumer-group probes: largest maxLag ${count(s.probePeak.lag)} at ${seconds(s.probePeak.atMs)}${recovered.length > 0 ? `; ${recovered.join('; ')}` : ''}.`);
  }
  if (s.rebalances.length > 0) {
    lines.push(`Rebalances: ${s.rebalances.map((m) => `${m.member} ${count(m.callbacks)} (${count(m.assigns)} assigned, ${count(m.revokes)} revoked)`).join(', ')}.`);
  }
  return lines;
}

import type { AvailabilityVerdict } from './availability.js';
import { validityWord, type CheckerResult } from './checker.js';
import type { ComposedResult } from './compose.js';
import type { ConsumerVerdict } from './consumer-verdict.js';
import { formatPipelineText } from './pipeline-report-text.js';
import type { PipelineVerdict } from './pipeline-verdict.js';
import { formatQueueText } from './queue-report-text.js';
import type { QueueVerdict } from './queue-verdict.js';
import { ANOMALY_NAMES, type AnomalyName, type ExactVerdict, type LogLocation } from './verdict.js';

/** Default number of values listed per anomaly in the text summary (the JSON lists all). */
export const DEFAULT_MAX_LISTED = 10;

const DESCRIPTIONS: Record<AnomalyName, string> = {
  lost: 'acknowledged, never read back',
  lostUnconfirmed: 'acknowledged without offset (acks=0), never read back; informational',
  duplicate: 'at more than one offset',
  unexpected: 'read, never sent',
  reordered: 'out of send order within a partition',
  recovered: 'send failed or unknown, yet present; informational',
};

const where = (reads: readonly LogLocation[]): string => reads.map((r) => `${r.partition}@${r.offset}`).join(', ');

/** Human-readable summary: verdict, counts, the seed's acked-vs-high-watermark table, anomalies. */
export function formatVerdictText(v: ExactVerdict, maxListed = DEFAULT_MAX_LISTED): string {
  const out: string[] = [];
  const head = v.verdict === 'valid' ? 'VALID' : v.verdict === 'invalid' ? 'INVALID' : 'UNKNOWN';
  const run = [v.run.name && `run ${v.run.name}`, v.run.topic && `topic ${v.run.topic}`, v.run.acks !== null && `acks=${v.run.acks}`, v.run.seed !== null && `seed ${v.run.seed}`].filter(Boolean).join(', ');
  out.push(`${head}${run ? ` (${run})` : ''}`);
  for (const r of v.reasons) out.push(`  - ${r}`);
  out.push(`evidence: ${v.evidence}`);
  const c = v.counts;
  out.push('');
  out.push(`sent ${c.sent}  acknowledged ${c.acknowledged} (with offset ${c.acknowledgedWithOffset}, without ${c.acknowledgedWithoutOffset})  failed ${c.failed}  unknown ${c.unknown}`);
  out.push(`read back ${c.readBack} records, ${c.readBackValues} values (re-reads ${c.rereads})  fault events ${c.events}  samples ${c.samples}`);
  if (v.partitions.length > 0) {
    out.push('');
    out.push('partition  acknowledged  high-watermark  acked-above-hw  hw-above-acked  read-back');
    for (const p of v.partitions) {
      const n = (x: number | null): string => (x === null ? '-' : String(x));
      out.push(`${String(p.partition).padStart(9)}  ${String(p.acknowledged).padStart(12)}  ${n(p.highWatermark).padStart(14)}  ${n(p.ackedAboveHighWatermark).padStart(14)}  ${n(p.highWatermarkAboveAcked).padStart(14)}  ${String(p.readBack).padStart(9)}`);
    }
  }
  out.push('');
  for (const name of ANOMALY_NAMES) {
    const list: readonly unknown[] = v.anomalies[name];
    out.push(`${name}: ${list.length}${list.length > 0 ? ` (${DESCRIPTIONS[name]})` : ''}`);
    for (const line of describe(v, name).slice(0, Math.max(0, maxListed))) out.push(`  ${line}`);
    if (list.length > maxListed) out.push(`  ... and ${list.length - maxListed} more (all in the JSON result)`);
  }
  if (v.warnings.length > 0) {
    out.push('');
    for (const w of v.warnings) out.push(`warning: ${w}`);
  }
  return out.join('\n');
}

function describe(v: ExactVerdict, name: AnomalyName): string[] {
  const a = v.anomalies;
  switch (name) {
    case 'lost':
    case 'lostUnconfirmed':
      return a[name].map((x) => `${x.value}  ${x.partition === null ? 'partition unknown' : `acked at partition ${x.partition}${x.offset === null ? '' : ` offset ${x.offset}`}`}`);
    case 'duplicate':
    case 'unexpected':
      return a[name].map((x) => `${x.value}  read at ${where(x.reads)}`);
    case 'recovered':
      return a.recovered.map((x) => `${x.value}  send ${x.outcome}, read at ${where(x.reads)}`);
    case 'reordered':
      return a.reordered.map((x) => `${x.value}  partition ${x.partition} offset ${x.offset}, below ${x.precededBy.value} (sent before it) at offset ${x.precededBy.offset}`);
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The availability checker's lines: its verdict and evidence, the longest gap, recovery per fault. */
export function formatAvailabilityText(v: AvailabilityVerdict): string {
  const out = [`availability: ${validityWord(v.valid)} (informational): ${v.evidence}`];
  for (const r of v.reasons) out.push(`  - ${r}`);
  if (v.longestGapMs !== null) out.push(`  longest time without an acknowledgement: ${seconds(v.longestGapMs)} from ${seconds(v.gapStartMs ?? 0)}`);
  for (const [id, ms] of Object.entries(v.recoveryMs)) {
    out.push(`  first write sent after ${id} acknowledged ${ms === null ? 'never during the run' : `${seconds(ms)} after it`}`);
  }
  return out.join('\n');
}

/** The consumer checker's lines: verdict, evidence, values not received, duplicates, stopped members, latency. */
export function formatConsumerText(v: ConsumerVerdict, maxListed = DEFAULT_MAX_LISTED): string {
  if (!v.applicable) return `consumer: not applicable: ${v.evidence}`;
  const out = [`consumer: ${validityWord(v.valid)}: ${v.evidence}`, ...v.reasons.map((r) => `  - ${r}`)];
  const c = v.counts;
  out.push(`  not received ${c.notReceived}  beyond the drain ${c.beyondDrain}  duplicate values ${c.duplicateValues} (${c.duplicateReceives} extra receives, ${c.duplicatesAfterRebalance} after a rebalance)  rebalances ${c.rebalances}`);
  for (const n of v.notReceived.slice(0, Math.max(0, maxListed))) out.push(`  not received: ${n.value}  acked at partition ${n.partition} offset ${n.offset}`);
  if (v.notReceived.length > maxListed) out.push(`  ... and ${v.notReceived.length - maxListed} more (all in --json)`);
  if (v.latencyMs !== null) out.push(`  latency (receive - ack): p50 ${v.latencyMs.p50} ms  p95 ${v.latencyMs.p95} ms  p99 ${v.latencyMs.p99} ms  max ${v.latencyMs.max} ms`);
  if (v.worstStretch !== null) out.push(`  longest time with acknowledged values waiting and nothing received: ${seconds(v.worstStretch.durationMs)} from ${seconds(v.worstStretch.fromMs)}`);
  for (const w of v.warnings) out.push(`  warning: ${w}`);
  return out.join('\n');
}

/** A checker this module has no report for: its verdict, evidence and reasons. */
function formatOtherText(v: CheckerResult): string {
  return [`${v.checker}: ${validityWord(v.valid)}: ${v.evidence}`, ...v.reasons.map((r) => `  - ${r}`)].join('\n');
}

/**
 * `faultline check`'s report: every checker's text (the exact checker's full report, then availability,
 * the consumer checker, the queue and pipeline checkers, then any other), journal warnings, and the overall verdict with the evidence it rests on.
 */
export function formatRunCheckText(result: ComposedResult & { readonly warnings?: readonly string[] }, maxListed = DEFAULT_MAX_LISTED): string {
  const parts: string[] = [];
  for (const v of Object.values(result.checkers)) {
    if (v.applicable === false) parts.push(`${v.checker}: not applicable: ${v.evidence}`);
    else if (v.checker === 'exact') parts.push(formatVerdictText(v as ExactVerdict, maxListed));
    else if (v.checker === 'availability') parts.push(formatAvailabilityText(v as AvailabilityVerdict));
    else if (v.checker === 'consumer') parts.push(formatConsumerText(v as ConsumerVerdict, maxListed));
    else if (v.checker === 'queue') parts.push(formatQueueText(v as QueueVerdict, maxListed));
    else if (v.checker === 'pipeline') parts.push(formatPipelineText(v as PipelineVerdict, maxListed));
    else parts.push(formatOtherText(v));
  }
  const warnings = (result.warnings ?? []).map((w) => `warning: ${w}`);
  if (warnings.length > 0) parts.push(warnings.join('\n'));
  parts.push(`verdict: ${validityWord(result.valid)} (${result.evidence})`);
  return parts.join('\n\n');
}

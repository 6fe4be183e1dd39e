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
    if (list.length > maxListed) out.push(`  ... and ${list.length - maxListed} more (all in --json)`);
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

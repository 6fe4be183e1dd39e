import { countText, validityWord } from './checker.js';
import { MAX_COUNT } from './pipeline-store.js';
import { KEY_COUNT_FINDING_NAMES, PIPELINE_FINDING_NAMES, type PipelineCase, type PipelineCountRow, type PipelineKeyCounts, type PipelineVerdict } from './pipeline-verdict.js';

/** `lost 3 · once 9,990 · 2 times 7`: the per-value count table in one line. */
export function countTableText(table: readonly PipelineCountRow[]): string {
  if (table.length === 0) return 'no acknowledged inputs';
  const label = (count: number): string => (count === 0 ? 'lost' : count === 1 ? 'once' : count >= MAX_COUNT ? `${MAX_COUNT}+ times` : `${count} times`);
  return table.map((row) => `${label(row.count)} ${row.values.toLocaleString('en-US')}`).join(' · ');
}

/**
 * `per-key counts: 10 keys, 600 output records: 2 inconsistent: repeated counts in 1 key (1 of another id, 0 replayed); ...`.
 */
export function keyCountsLine(k: PipelineKeyCounts): string {
  const head = `per-key counts: ${countText(k.keys, 'key')}, ${countText(k.records, 'output record')}`;
  if (k.inconsistentKeys === 0) return `${head}: ${k.keys === 0 ? 'nothing to check' : 'consistent (1..n, each once)'}`;
  const parts = [
    k.repeated.keys > 0 ? `repeated counts in ${countText(k.repeated.keys, 'key')} (${k.repeated.otherId.toLocaleString('en-US')} of another id, ${k.repeated.sameId.toLocaleString('en-US')} replayed)` : '',
    k.missing.keys > 0 ? `${countText(k.missing.counts, 'count')} missing in ${countText(k.missing.keys, 'key')}` : '',
    k.malformed.keys > 0 ? `${countText(k.malformed.records, 'record')} without a positive count in ${countText(k.malformed.keys, 'key')}` : '',
  ];
  return `${head}: ${k.inconsistentKeys.toLocaleString('en-US')} inconsistent: ${parts.filter((p) => p !== '').join('; ')}`;
}

function caseText(c: PipelineCase): string {
  const input = c.input === null ? '' : ` (input ${c.input.partition}@${c.input.offset})`;
  const record = c.record === null ? '' : ` at ${c.record.topic} ${c.record.partition}@${c.record.offset}`;
  return `${c.value ?? 'null'}${input}${record}: ${c.detail}`;
}

/** The pipeline checker's lines: verdict, evidence, the count table, then per finding its count, severity and first cases. */
export function formatPipelineText(v: PipelineVerdict, maxListed: number): string {
  if (!v.applicable) return `pipeline: not applicable: ${v.evidence}`;
  const out = [`pipeline: ${validityWord(v.valid)}: ${v.evidence}`, ...v.reasons.map((r) => `  - ${r}`)];
  const c = v.counts;
  out.push(`  per acknowledged input, times in output + DLQ: ${countTableText(v.table)}`);
  out.push(`  ${keyCountsLine(v.keyCounts)}`);
  out.push(`  inputs ${c.inputs}  acknowledged ${c.acknowledged} (poison ${c.acknowledgedPoison})  unknown ${c.unknown}  failed ${c.failed}  output records ${c.outputRecords}  DLQ records ${c.dlqRecords}  re-reads ${c.rereads}  read uncommitted ${c.uncommittedRecords}`);
  for (const name of PIPELINE_FINDING_NAMES) {
    const f = v.findings[name];
    if (f === undefined) continue;
    out.push(`  ${name}: ${f.count} (${f.severity})`);
    const byKey = KEY_COUNT_FINDING_NAMES.includes(name);
    for (const one of f.cases.slice(0, Math.max(0, maxListed))) out.push(`    - ${byKey ? one.detail : caseText(one)}`);
    if (f.count > maxListed) out.push(`    ... and ${f.count - maxListed} more (the first ${f.cases.length} in --json)`);
  }
  for (const w of v.warnings) out.push(`  warning: ${w}`);
  return out.join('\n');
}

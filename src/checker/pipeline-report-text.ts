import { validityWord } from './checker.js';
import { MAX_COUNT } from './pipeline-store.js';
import { PIPELINE_FINDING_NAMES, type PipelineCase, type PipelineCountRow, type PipelineVerdict } from './pipeline-verdict.js';

/** `lost 3 · once 9,990 · 2 times 7`: the per-value count table in one line. */
export function countTableText(table: readonly PipelineCountRow[]): string {
  if (table.length === 0) return 'no acknowledged inputs';
  const label = (count: number): string => (count === 0 ? 'lost' : count === 1 ? 'once' : count >= MAX_COUNT ? `${MAX_COUNT}+ times` : `${count} times`);
  return table.map((row) => `${label(row.count)} ${row.values.toLocaleString('en-US')}`).join(' · ');
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
  out.push(`  inputs ${c.inputs}  acknowledged ${c.acknowledged} (poison ${c.acknowledgedPoison})  unknown ${c.unknown}  failed ${c.failed}  output records ${c.outputRecords}  DLQ records ${c.dlqRecords}  re-reads ${c.rereads}  read uncommitted ${c.uncommittedRecords}`);
  for (const name of PIPELINE_FINDING_NAMES) {
    const f = v.findings[name];
    if (f === undefined) continue;
    out.push(`  ${name}: ${f.count} (${f.severity})`);
    for (const one of f.cases.slice(0, Math.max(0, maxListed))) out.push(`    - ${caseText(one)}`);
    if (f.count > maxListed) out.push(`    ... and ${f.count - maxListed} more (the first ${f.cases.length} in --json)`);
  }
  for (const w of v.warnings) out.push(`  warning: ${w}`);
  return out.join('\n');
}

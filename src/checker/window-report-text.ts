import { validityWord } from './checker.js';
import { WINDOW_FINDING_NAMES, type WindowCountRange, type WindowCase, type WindowVerdict } from './window-types.js';

function rangeText(r: WindowCountRange): string {
  return r.min === r.max ? r.min.toLocaleString('en-US') : `${r.min.toLocaleString('en-US')}..${r.max.toLocaleString('en-US')}`;
}

function caseText(c: WindowCase): string {
  const where = c.window === null ? '' : `${c.window.key} [${c.window.startMs}, ${c.window.endMs}) `;
  const records = c.records.length === 0 ? '' : ` (records ${c.records.map((r) => `${r.partition}@${r.offset}`).join(', ')})`;
  const ids = c.eventIds === undefined ? '' : `; events ${c.eventIds.join(', ')}${c.eventIdsLeftOut === undefined || c.eventIdsLeftOut === 0 ? '' : ` and ${c.eventIdsLeftOut} more`}`;
  return `${where}${c.detail}${records}${ids}`;
}

/** The window checker's lines: verdict, evidence, totals, late drops with their first windows, then per finding its count, severity and first cases. */
export function formatWindowText(v: WindowVerdict, maxListed: number): string {
  const out = [`window: ${validityWord(v.valid)}: ${v.evidence}`, ...v.reasons.map((r) => `  - ${r}`)];
  const t = v.totals;
  out.push(`  windows ${t.windows} (final ${t.finalWindows}, open ${t.openWindows})  emitted ${t.emitted}  result records ${t.results}  re-reads ${t.rereads}  sink ${v.sinkExactlyOnce ? 'exactly-once' : 'at-least-once'}`);
  const late = v.late;
  const share = late.share === null ? '' : ` (${(late.share * 100).toFixed(2)} %)`;
  out.push(`  dropped as late: ${rangeText(late.droppedLate)} events${share} in ${late.windows} windows`);
  const shown = late.listed.slice(0, Math.max(0, maxListed));
  for (const w of shown) out.push(`    - ${w.key} [${w.startMs}, ${w.endMs}): ${rangeText(w.droppedLate)} of ${w.acked} acknowledged (+${w.unknown} unknown), emitted count ${w.count ?? 'none'}`);
  if (late.windows > shown.length) out.push(`    ... and ${late.windows - shown.length} more windows (the first ${late.listed.length} in --json)`);
  for (const name of WINDOW_FINDING_NAMES) {
    const f = v.findings[name];
    if (f === undefined) continue;
    out.push(`  ${name}: ${f.count} (${f.severity})`);
    const cases = f.cases.slice(0, Math.max(0, maxListed));
    for (const one of cases) out.push(`    - ${caseText(one)}`);
    if (f.count > cases.length) out.push(`    ... and ${f.count - cases.length} more (the first ${f.cases.length} in --json)`);
  }
  for (const w of v.warnings) out.push(`  warning: ${w}`);
  return out.join('\n');
}

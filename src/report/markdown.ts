import { validityWord, type CheckerResult } from '../checker/checker.js';
import type { ExactVerdict } from '../checker/verdict.js';
import type { Budgets } from '../experiment/experiment.js';
import { anomalyLists, REPORT_MAX_LISTED } from './anomaly-rows.js';
import { escapeMarkdownCell, escapeMarkup } from './escape.js';
import { hasConsumerFacts, lagSentences, lagSummary } from './lag-summary.js';
import { recoveryTable } from './recovery-rows.js';
import { seconds, stepRows } from './report-format.js';
import type { RunReport } from './run-report.js';
import type { Timeline } from './timeline.js';

const c = escapeMarkdownCell;

function mdTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  if (rows.length === 0) return [];
  return [`| ${headers.map(c).join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(c).join(' | ')} |`), ''];
}

function faultLines(t: Timeline): string[] {
  if (t.faults.length === 0) return ['No faults in this run.', ''];
  return mdTable(['fault', 'started', 'healed', 'writes acknowledged again'], t.faults.map((f) => [
    f.label,
    seconds(f.startMs),
    f.endMs === null ? 'not healed in the journal' : seconds(f.endMs),
    f.recoveryMs === null ? 'no write acknowledged after it' : `${seconds(f.recoveryMs)} after it started`,
  ]));
}

function recoveryLines(t: Timeline, budgets: Budgets): string[] {
  const { headers, rows } = recoveryTable(t.recovery, budgets);
  return rows.length === 0 ? [] : ['Recovery times (after each fault started):', '', ...mdTable(headers, rows)];
}

function consumerLines(t: Timeline): string[] {
  const summary = lagSummary(t);
  if (!hasConsumerFacts(summary)) return [];
  return ['## Consumer lag and rebalances', '', ...lagSentences(summary).map((l) => `- ${escapeMarkup(l)}`), ''];
}

function exactLines(v: ExactVerdict): string[] {
  const n = v.counts;
  const lines = mdTable(['sent', 'acknowledged', 'failed', 'unknown', 'read back'], [[n.sent, n.acknowledged, n.failed, n.unknown, n.readBack].map((x) => x.toLocaleString('en-US'))]);
  for (const a of anomalyLists(v, REPORT_MAX_LISTED)) {
    lines.push(`- **${a.name}**: ${a.total.toLocaleString('en-US')} (${a.meaning})`);
    if (a.total === 0) continue;
    lines.push('', ...mdTable(['value', 'partition', 'offset', 'note'], a.rows.map((r) => [r.value, r.partition, r.offset, r.note])).map((l) => `  ${l}`));
    if (a.notListed > 0) lines.push(`  ... and ${a.notListed.toLocaleString('en-US')} more`, '');
  }
  lines.push('');
  for (const w of v.warnings) lines.push(`- warning: ${escapeMarkup(w)}`);
  return lines;
}

function checkerLines(r: CheckerResult): string[] {
  return [
    `### ${r.checker}: ${validityWord(r.valid)}`,
    '',
    escapeMarkup(r.evidence),
    '',
    ...r.reasons.map((x) => `- ${escapeMarkup(x)}`),
    ...(r.reasons.length > 0 ? [''] : []),
    ...(r.checker === 'exact' ? exactLines(r as ExactVerdict) : []),
  ];
}

/** report.md: verdicts, counts, the faults with their times and recovery, consumer lag and rebalances, anomalies (capped), probes, steps. */
export function renderMarkdownReport(report: RunReport): string {
  const t = report.timeline;
  const meta = report.meta;
  const probes = t.probes.map((p) => [seconds(p.timeMs), p.phase, p.name, p.probe, p.ok ? 'ok' : 'FAILED', p.detail ?? '']);
  const lines = [
    `# ${escapeMarkup(report.title)}: ${validityWord(report.check.valid)}`,
    '',
    `Run \`${meta?.run ?? report.runDir}\`${meta?.startedAt ? `, started ${meta.startedAt}` : ''}, ${seconds(t.durationMs)} of history. ${escapeMarkup(report.check.evidence)}`,
    '',
    ...report.check.warnings.map((w) => `- warning: ${escapeMarkup(w)}`),
    '## Faults',
    '',
    ...faultLines(t),
    ...recoveryLines(t, report.budgets),
    ...(t.leaderChanges.length > 0 ? [`Leader changes: ${t.leaderChanges.length}; ISR changes: ${t.isrChanges.length}.`, ''] : []),
    ...consumerLines(t),
    '## Verdicts',
    '',
    ...Object.values(report.check.checkers).flatMap(checkerLines),
    ...(probes.length > 0 ? ['## Probe results', '', ...mdTable(['time', 'phase', 'probe', 'kind', 'result', 'detail'], probes)] : []),
    ...(report.steps.length > 0 ? ['## Steps and notes', '', ...mdTable(['step', 'status', 'start', 'end', 'detail'], stepRows(report.steps))] : []),
  ];
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

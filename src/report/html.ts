import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { validityWord, type CheckerResult, type Validity } from '../checker/checker.js';
import type { ExactVerdict } from '../checker/verdict.js';
import type { Budgets } from '../experiment/experiment.js';
import { FaultlineError } from '../errors.js';
import { anomalyLists, REPORT_MAX_LISTED } from './anomaly-rows.js';
import { escapeMarkup, jsonForScript } from './escape.js';
import { CHART_SCRIPT } from './html-chart-script.js';
import { HTML_STYLE } from './html-style.js';
import { hasConsumerFacts, lagSentences, lagSummary } from './lag-summary.js';
import { RECOVERY_LABELS, recoveryTable } from './recovery-rows.js';
import { seconds, stepRows } from './report-format.js';
import type { RunReport } from './run-report.js';
import type { Timeline } from './timeline.js';

/** Rows of the marks tables (leader/ISR changes, probes) shown in the page; the chart shows them all. */
const MAX_TABLE_ROWS = 200;

const h = escapeMarkup;

let uplotAssets: { script: string; style: string } | null = null;

/** uPlot's script and style from node_modules (the `uplot` dependency), read once; inlined into every page. */
function uplot(): { script: string; style: string } {
  if (uplotAssets !== null) return uplotAssets;
  const require = createRequire(import.meta.url);
  try {
    uplotAssets = {
      script: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      style: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    };
  } catch (error) {
    throw new FaultlineError(`report.html needs the uplot package (run npm ci): ${error instanceof Error ? error.message : String(error)}`);
  }
  return uplotAssets;
}

/** A `<script>` body must not contain `</script`; uPlot's does not, this makes sure. */
const scriptSafe = (js: string): string => js.replace(/<\/script/gi, '<\\/script');

function table(headers: readonly string[], rows: readonly (readonly string[])[], className = ''): string {
  if (rows.length === 0) return '';
  const head = headers.map((c) => `<th>${h(c)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table${className ? ` class="${className}"` : ''}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const validityClass = (v: Validity): string => (v === true ? 'valid' : v === false ? 'invalid' : 'unknown');
const badge = (v: Validity): string => `<span class="badge ${validityClass(v)}">${validityWord(v)}</span>`;
const more = (n: number, what: string): string => (n > 0 ? `<p class="more">... and ${n.toLocaleString('en-US')} more ${h(what)}</p>` : '');

function faultSection(t: Timeline): string {
  if (t.faults.length === 0) return '<p>No faults in this run.</p>';
  const rows = t.faults.map((f) => `<tr class="fault-period" data-fault-id="${h(f.id)}"><td>${h(f.label)}</td><td>${h(seconds(f.startMs))}</td><td>${h(f.endMs === null ? 'not healed in the journal' : seconds(f.endMs))}</td><td>${h(f.recoveryMs === null ? 'no write acknowledged after it' : `${seconds(f.recoveryMs)} after it started`)}</td></tr>`);
  return `<table class="faults"><thead><tr><th>fault</th><th>started</th><th>healed</th><th>writes acknowledged again</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function recoverySection(t: Timeline, budgets: Budgets): string {
  const { headers, rows } = recoveryTable(t.recovery, budgets);
  return rows.length === 0 ? '' : `<h3>Recovery times</h3><p>After each fault started (docs/experiments.md, recovery times).</p>${table(headers, rows, 'recovery')}`;
}

const partitionList = (ps: readonly number[]): string => (ps.length === 0 ? '-' : ps.join(', '));

function consumerSection(t: Timeline): string {
  const summary = lagSummary(t);
  if (!hasConsumerFacts(summary)) return '';
  const sentences = lagSentences(summary).map((l) => `<li>${h(l)}</li>`).join('');
  const rows = t.rebalances.map((r) => [seconds(r.timeMs), r.member, r.group, partitionList(r.assigned), partitionList(r.revoked)]);
  const rebalances = rows.length > 0 ? `${table(['time', 'member', 'group', 'assigned', 'revoked'], rows.slice(0, MAX_TABLE_ROWS), 'rebalances')}${more(rows.length - MAX_TABLE_ROWS, 'rebalances')}` : '';
  return `<h3>Consumer lag and rebalances</h3><ul class="consumer-summary">${sentences}</ul>${rebalances}`;
}

function marksSection(t: Timeline): string {
  const changes = [
    ...t.leaderChanges.map((c) => ({ timeMs: c.timeMs, row: [seconds(c.timeMs), `${c.topic}/${c.partition}`, 'leader', String(c.from ?? 'none'), String(c.to ?? 'none')] })),
    ...t.isrChanges.map((c) => ({ timeMs: c.timeMs, row: [seconds(c.timeMs), `${c.topic}/${c.partition}`, 'ISR', `[${c.from.join(',')}]`, `[${c.to.join(',')}]`] })),
  ].sort((a, b) => a.timeMs - b.timeMs);
  const probes = t.probes.map((p) => [seconds(p.timeMs), p.phase, p.name, p.probe, p.ok ? 'ok' : 'FAILED', p.detail ?? '']);
  const readBacks = t.readBacks.map((r) => [seconds(r.timeMs), r.process, r.topic, r.read.toLocaleString('en-US'), r.complete ? 'to the end offsets' : 'stopped short']);
  return [
    changes.length > 0 ? `<h3>Leader and ISR changes</h3>${table(['time', 'partition', 'what', 'from', 'to'], changes.slice(0, MAX_TABLE_ROWS).map((c) => c.row))}${more(changes.length - MAX_TABLE_ROWS, 'changes')}` : '',
    probes.length > 0 ? `<h3>Probe results</h3>${table(['time', 'phase', 'probe', 'kind', 'result', 'detail'], probes.slice(0, MAX_TABLE_ROWS), 'probes')}${more(probes.length - MAX_TABLE_ROWS, 'probe results')}` : '',
    readBacks.length > 0 ? `<h3>Read-backs</h3>${table(['time', 'reader', 'topic', 'records', 'reached'], readBacks)}` : '',
  ].join('\n');
}

function exactSection(v: ExactVerdict): string {
  const c = v.counts;
  const counts = table(['sent', 'acknowledged', 'failed', 'unknown', 'read back', 'distinct values read'], [[c.sent, c.acknowledged, c.failed, c.unknown, c.readBack, c.readBackValues].map((n) => n.toLocaleString('en-US'))]);
  const partitions = table(['partition', 'acknowledged', 'high watermark', 'acknowledged above it', 'read back'], v.partitions.map((p) => [String(p.partition), String(p.acknowledged), String(p.highWatermark ?? '-'), String(p.ackedAboveHighWatermark ?? '-'), String(p.readBack)]));
  const anomalies = anomalyLists(v, REPORT_MAX_LISTED).map((a) => {
    const head = `<h4 class="anomaly" data-anomaly="${a.name}">${h(a.name)}: ${a.total.toLocaleString('en-US')} <small>(${h(a.meaning)})</small></h4>`;
    if (a.total === 0) return head;
    return head + table(['value', 'partition', 'offset', 'note'], a.rows.map((r) => [r.value, r.partition, r.offset, r.note])) + more(a.notListed, 'values');
  });
  const warnings = v.warnings.map((w) => `<li>${h(w)}</li>`).join('');
  return `${counts}\n${partitions}\n${anomalies.join('\n')}${warnings ? `<ul class="warnings">${warnings}</ul>` : ''}`;
}

function checkerSection(r: CheckerResult): string {
  const reasons = r.reasons.map((x) => `<li>${h(x)}</li>`).join('');
  const body = r.checker === 'exact' ? exactSection(r as ExactVerdict) : '';
  return `<section class="checker" data-checker="${h(r.checker)}"><h3>${h(r.checker)} ${badge(r.valid)}</h3><p class="evidence">${h(r.evidence)}</p>${reasons ? `<ul>${reasons}</ul>` : ''}${body}</section>`;
}

function header(report: RunReport): string {
  const meta = report.meta;
  const facts = [
    ['run', meta?.run ?? report.runDir],
    ['started', meta?.startedAt ?? '-'],
    ['topic', typeof meta?.topic === 'string' ? meta.topic : '-'],
    ['acks', typeof meta?.acks === 'string' ? meta.acks : '-'],
    ['seed', meta?.seed === undefined ? '-' : String(meta.seed)],
    ['duration', seconds(report.timeline.durationMs)],
  ];
  return `<header><h1>${h(report.title)} ${badge(report.check.valid)}</h1><p class="evidence">${h(report.check.evidence)}</p><dl>${facts.map(([k, v]) => `<dt>${h(k ?? '')}</dt><dd>${h(v ?? '')}</dd>`).join('')}</dl></header>`;
}

/** The whole page: self-contained (uPlot inlined, no network), verdicts readable without JavaScript. */
export function renderHtmlReport(report: RunReport): string {
  const assets = uplot();
  const t = report.timeline;
  const steps = stepRows(report.steps);
  const warnings = report.check.warnings.map((w) => `<li>${h(w)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(report.title)} — faultline report</title>
<style>${assets.style}</style>
<style>${HTML_STYLE}</style>
</head><body>
${header(report)}
<section><h2>Timeline</h2>
<div id="timeline" data-fault-count="${t.faults.length}"><noscript><p>The charts need JavaScript; the tables below hold the same facts.</p></noscript></div>
<h3>Fault periods</h3>
${faultSection(t)}
${recoverySection(t, report.budgets)}
${consumerSection(t)}
${marksSection(t)}
</section>
<section><h2>Verdicts</h2>
${Object.values(report.check.checkers).map(checkerSection).join('\n')}
${warnings ? `<ul class="warnings">${warnings}</ul>` : ''}
</section>
${steps.length > 0 ? `<section><h2>Steps and notes</h2>${table(['step', 'status', 'start', 'end', 'detail'], steps, 'steps')}</section>` : ''}
<footer>faultline report of run directory ${h(basename(report.runDir))}; chart by uPlot (MIT licence).</footer>
<script type="application/json" id="timeline-data">${jsonForScript({ ...t, recoveryLabels: RECOVERY_LABELS })}</script>
<script>${scriptSafe(assets.script)}</script>
<script>${scriptSafe(CHART_SCRIPT)}</script>
</body></html>
`;
}

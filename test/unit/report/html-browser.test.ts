import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeRunReports } from '../../../src/report/write-reports.js';
import { openInChromium, requireChromium } from './chromium.js';
import { writeSampleRun } from './sample-run.js';

/** docs/ of the repository (this file runs from dist/test/unit/report/). */
const DOCS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../docs');

interface Facts {
  rendered: string | null;
  chartError: string | null;
  bands: { id: string | null; label: string; widthPx: number }[];
  panels: number;
  canvases: { width: number; height: number }[];
  faultRows: string[];
  panelTitles: string[];
  rebalanceMarks: { member: string | null; title: string; leftPx: number; panel: number }[];
  recoveryMarks: { faultId: string | null; measure: string | null; title: string }[];
  /** Pixels of the lag panel's canvas in the lag line's colour and in the probe points' colour. */
  lagPixels: { line: number; probes: number };
}

/** Colours of the lag series in html-chart-script.ts (#8c564b, #17becf). */
const LAG_RGB = [140, 86, 75];
const PROBE_LAG_RGB = [23, 190, 207];

const PROBE = `(() => {
  const root = document.getElementById('timeline');
  const firstPanel = root.querySelector('.panel');
  return {
    rendered: root.getAttribute('data-rendered'),
    chartError: root.querySelector('.chart-error')?.textContent ?? null,
    bands: [...(firstPanel ? firstPanel.querySelectorAll('.fault-band') : [])].map((b) => ({ id: b.getAttribute('data-fault-id'), label: b.textContent, widthPx: b.getBoundingClientRect().width })),
    panels: root.querySelectorAll('.panel').length,
    canvases: [...root.querySelectorAll('canvas')].map((c) => ({ width: c.width, height: c.height })),
    faultRows: [...document.querySelectorAll('tr.fault-period')].map((r) => r.getAttribute('data-fault-id')),
    panelTitles: [...root.querySelectorAll('.panel > h3')].map((h) => h.textContent),
    rebalanceMarks: [...root.querySelectorAll('.rebalance-mark')].map((m) => ({ member: m.getAttribute('data-member'), title: m.title, leftPx: parseFloat(m.style.left), panel: [...root.querySelectorAll('.panel')].indexOf(m.closest('.panel')) })),
    recoveryMarks: [...root.querySelectorAll('.recovery-mark')].map((m) => ({ faultId: m.getAttribute('data-fault-id'), measure: m.getAttribute('data-measure'), title: m.title })),
    lagPixels: (() => {
      const panel = [...root.querySelectorAll('.panel')].find((p) => p.querySelector('h3').textContent.startsWith('Consumer lag'));
      const canvas = panel ? panel.querySelector('canvas') : null;
      if (!canvas) return { line: 0, probes: 0 };
      const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      const near = (i, rgb) => Math.abs(px[i] - rgb[0]) < 12 && Math.abs(px[i + 1] - rgb[1]) < 12 && Math.abs(px[i + 2] - rgb[2]) < 12 && px[i + 3] > 200;
      let line = 0, probes = 0;
      for (let i = 0; i < px.length; i += 4) { if (near(i, ${JSON.stringify(LAG_RGB)})) line++; if (near(i, ${JSON.stringify(PROBE_LAG_RGB)})) probes++; }
      return { line, probes };
    })(),
  };
})()`;

test('report.html renders in headless chromium: no console errors, no network, fault periods, consumer lag, rebalance and recovery marks on the timeline; screenshot for the docs', async () => {
  requireChromium();
  const root = mkdtempSync(join(tmpdir(), 'faultline-report-browser-'));
  try {
    const runDir = await writeSampleRun(root, { consumerGroup: true });
    const written = await writeRunReports(runDir, { formats: ['html'] });
    const htmlPath = written.files[0]?.path ?? '';
    const page = await openInChromium(htmlPath, `document.getElementById('timeline').hasAttribute('data-rendered') || document.querySelector('.chart-error') !== null`, PROBE);
    assert.deepEqual(page.errors, [], 'console errors');
    assert.deepEqual(page.requests, [], 'a self-contained page requests nothing');
    const facts = page.facts as Facts;
    assert.equal(facts.chartError, null);
    assert.equal(facts.rendered, 'true');
    assert.equal(facts.panels, 4, 'throughput, latency, consumer lag and marks panels');
    assert.deepEqual(facts.panelTitles.map((t) => t.split(' ')[0]), ['Throughput', 'Send', 'Consumer', 'Marks:']);
    // The lag line and the three probe points are drawn (in their colours) on the lag panel's canvas.
    assert.ok(facts.lagPixels.line > 200, `lag line pixels ${facts.lagPixels.line}`);
    assert.ok(facts.lagPixels.probes > 20, `probe point pixels ${facts.lagPixels.probes}`);
    // One mark per rebalance callback, on the lag panel, in time order, with member and partitions as tooltip.
    assert.equal(facts.rebalanceMarks.length, 8);
    assert.ok(facts.rebalanceMarks.every((m) => m.panel === 2), JSON.stringify(facts.rebalanceMarks));
    assert.deepEqual(facts.rebalanceMarks[4] && [facts.rebalanceMarks[4].member, facts.rebalanceMarks[4].title], ['c1', 'c1 at 11.2 s: assigned 0,1, revoked none (group g1)']);
    const lefts = facts.rebalanceMarks.map((m) => m.leftPx);
    assert.ok(lefts.every((x, i) => x > 0 && (i === 0 || x >= (lefts[i - 1] ?? 0))), `rebalance marks out of place: ${lefts.join(', ')}`);
    assert.ok((lefts[5] ?? 0) - (lefts[4] ?? 0) > 200, '8.8 s apart on a ~1100 px plot of 32 s');
    // Recovery times of f1 as marks: detected, first write, lag under tolerance.
    assert.deepEqual(facts.recoveryMarks.map((m) => [m.faultId, m.measure, m.title]), [['f1', 'detectionMs', 'f1 detected +1.0 s'], ['f1', 'firstWriteMs', 'f1 first write +2.0 s'], ['f1', 'lagRecoveredMs', 'f1 lag under tolerance +9.0 s']]);
    assert.deepEqual(facts.bands.map((b) => [b.id, b.label]), [['f1', 'f1 kill leader:t1']]);
    // 5 s of a 32 s run on a plot about 1100 px wide: well over 100 px.
    assert.ok((facts.bands[0]?.widthPx ?? 0) > 100, `fault band width ${facts.bands[0]?.widthPx}`);
    assert.ok(facts.canvases.length >= 3 && facts.canvases.every((c) => c.width > 0 && c.height > 0), JSON.stringify(facts.canvases));
    assert.deepEqual(facts.faultRows, ['f1']);
    assert.ok(page.screenshotPng.subarray(1, 4).toString('latin1') === 'PNG' && page.screenshotPng.length > 10_000);
    writeFileSync(join(DOCS, 'report-example.png'), page.screenshotPng);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

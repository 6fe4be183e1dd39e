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
}

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
  };
})()`;

test('report.html renders in headless chromium: no console errors, no network, fault periods on the timeline; screenshot for the docs', async () => {
  requireChromium();
  const root = mkdtempSync(join(tmpdir(), 'faultline-report-browser-'));
  try {
    const runDir = await writeSampleRun(root);
    const written = await writeRunReports(runDir, { formats: ['html'] });
    const htmlPath = written.files[0]?.path ?? '';
    const page = await openInChromium(htmlPath, `document.getElementById('timeline').hasAttribute('data-rendered') || document.querySelector('.chart-error') !== null`, PROBE);
    assert.deepEqual(page.errors, [], 'console errors');
    assert.deepEqual(page.requests, [], 'a self-contained page requests nothing');
    const facts = page.facts as Facts;
    assert.equal(facts.chartError, null);
    assert.equal(facts.rendered, 'true');
    assert.equal(facts.panels, 3, 'throughput, latency and marks panels');
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

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRunReport } from '../../../src/report/run-report.js';
import { renderHtmlReport } from '../../../src/report/html.js';
import { renderMarkdownReport } from '../../../src/report/markdown.js';
import { recoveryTable } from '../../../src/report/recovery-rows.js';
import { writeSampleRun } from './sample-run.js';

async function withConsumerRun(body: (runDir: string) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'faultline-recovery-'));
  try {
    await body(await writeSampleRun(root, { consumerGroup: true }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('recovery times table: a column per measure that happened or has a budget; over budget and never-reached cells say so', () => {
  const faults = [{ faultId: 'f1', fault: 'kill', target: 'leader:t1', atMs: 10_000, measures: { faultEffectiveMs: null, detectionMs: 1000, firstWriteMs: 2005, roundTripRecoveredMs: null, lagRecoveredMs: 9000, steadyStateRecoveredMs: null } }];
  assert.deepEqual(recoveryTable(faults), { headers: ['fault', 'started', 'detected', 'first write', 'lag under tolerance'], rows: [['f1 kill leader:t1', '10.0 s', '+1.0 s', '+2.0 s', '+9.0 s']] });
  const budgeted = recoveryTable(faults, { firstWriteMs: 3000, lagRecoveredMs: 5000, roundTripRecoveredMs: 10_000 });
  assert.deepEqual(budgeted.headers, ['fault', 'started', 'detected', 'first write (budget 3.0 s)', 'round trip (budget 10.0 s)', 'lag under tolerance (budget 5.0 s)']);
  assert.deepEqual(budgeted.rows, [['f1 kill leader:t1', '10.0 s', '+1.0 s', '+2.0 s', 'never (over budget)', '+9.0 s (over budget)']]);
  assert.deepEqual(recoveryTable([], { firstWriteMs: 1 }), { headers: [], rows: [] });
});

test('an experiment run\'s budgets come from its journal.json (a broken one is ignored); the caller\'s budgets win', async () => {
  await withConsumerRun(async (runDir) => {
    assert.deepEqual((await loadRunReport(runDir)).budgets, {});
    writeFileSync(join(runDir, 'journal.json'), '{ not json');
    assert.deepEqual((await loadRunReport(runDir)).budgets, {});
    writeFileSync(join(runDir, 'journal.json'), JSON.stringify({ status: 'completed', recovery: { checker: 'recovery', budgets: { lagRecoveredMs: 5000, bogusMs: 1, firstWriteMs: 'soon' } } }));
    const report = await loadRunReport(runDir);
    assert.deepEqual(report.budgets, { lagRecoveredMs: 5000 });
    assert.match(renderMarkdownReport(report), /\| f1 kill leader:t1 \| 10\.0 s \| \+1\.0 s \| \+2\.0 s \| \+9\.0 s \(over budget\) \|/);
    assert.match(renderHtmlReport(report), /<th>lag under tolerance \(budget 5\.0 s\)<\/th>/);
    assert.deepEqual((await loadRunReport(runDir, { budgets: { detectionMs: 500 } })).budgets, { detectionMs: 500 });
  });
});

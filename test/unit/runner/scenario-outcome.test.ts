import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activeRunSink, readActiveRun } from '../../../src/history/active-run.js';
import type { JournalRecord } from '../../../src/history/operation.js';
import { checkHistory } from '../../../src/checker/check-history.js';
import { foreignFaultNotes, scenarioRow } from '../../../src/runner/scenario-result.js';
import { ScenarioRun } from '../../../src/runner/scenario-run.js';
import { suiteMarkdown, type SuiteResult } from '../../../src/runner/run-suite.js';
import type { Scenario } from '../../../src/scenario/scenario.js';

// The active-run marker lives in the faultline home: never touch the real one.
process.env['FAULTLINE_HOME'] = mkdtempSync(join(tmpdir(), 'faultline-home-'));

const scenario: Scenario = {
  name: 'one', title: 'One', seed: 1, description: '',
  cluster: { metadata: 'kraft', brokers: 3, settings: {} },
  topic: { name: 't', partitions: 1, replicationFactor: 3, config: {} },
  workload: { kind: 'produce', acks: 'all', producers: 1, count: 2, fullCount: 2, rateMsgsPerSec: 10, fullRateMsgsPerSec: 10, idempotent: false },
  faults: [{ at: { sentFraction: 0.5 }, fault: { kind: 'kill', target: { kind: 'leader', topic: 't', partition: 0 } } }],
  expect: { lost: 'none', duplicates: 'any' },
};

/** Two sends acknowledged, one read back: one acknowledged value lost. */
function lossyHistory(): JournalRecord[] {
  const records: JournalRecord[] = [];
  for (let i = 0; i < 2; i++) {
    const value = `p0-00000${i}`;
    records.push({ kind: 'op', type: 'invoke', f: 'send', process: 'p0', value, timeMs: i });
    records.push({ kind: 'op', type: 'ok', f: 'send', process: 'p0', value, timeMs: i + 1, partition: 0, offset: i });
  }
  records.push({ kind: 'sample', timeMs: 5, topic: 't', partitions: [{ partition: 0, leader: 1, isr: [1], highWatermark: 1 }] });
  records.push({ kind: 'op', type: 'invoke', f: 'read', process: 'r0', value: '', timeMs: 6 });
  records.push({ kind: 'op', type: 'ok', f: 'read', process: 'r0', value: 'p0-000000', timeMs: 7, partition: 0, offset: 0 });
  // The read-back reached the end offset the log had: the missing value is lost, not unread.
  records.push({ kind: 'read-back', timeMs: 8, process: 'r0', topic: 't', partitions: [{ partition: 0, startOffset: 0, endOffset: 1, read: 1, reachedEnd: true }] });
  return records;
}

test('foreignFaultNotes: one note per fault started, healed or failed from another process, with its time', () => {
  assert.deepEqual(
    foreignFaultNotes([
      { kind: 'event', timeMs: 12_345, event: 'fault-start', faultId: 'f7', fault: 'partition', target: 'leader:t1', node: ['n1'] },
      { kind: 'event', timeMs: 20_000, event: 'fault-heal', faultId: 'f7' },
      { kind: 'event', timeMs: 21_000, event: 'fault-error', fault: 'pause' },
      { kind: 'event', timeMs: 22_000, event: 'something-else' },
    ]),
    ['fault f7 partition leader:t1 fired from another process at 12.3 s', 'fault f7 healed from another process at 20.0 s', 'a pause fault from another process failed at 21.0 s'],
  );
});

test('scenarioRow: the suite row from the exact verdict; error only when faults failed and not all fired', () => {
  const verdict = checkHistory(lossyHistory(), { topic: 't' });
  const row = scenarioRow(scenario, verdict, { fired: 1, problems: 0 });
  assert.deepEqual(
    { sent: row.sent, acknowledged: row.acknowledged, highWatermark: row.highWatermark, readBack: row.readBack, lost: row.lost, verdict: row.verdict, asExpected: row.asExpected },
    { sent: 2, acknowledged: 2, highWatermark: 1, readBack: 1, lost: 1, verdict: 'invalid', asExpected: false },
  );
  assert.equal(scenarioRow({ ...scenario, expect: { lost: 'some', duplicates: 'any' } }, verdict, { fired: 1, problems: 0 }).asExpected, true);
  assert.equal(scenarioRow({ ...scenario, expect: { lost: 'some', duplicates: 'any' } }, verdict, { fired: 0, problems: 0 }).asExpected, false, 'not every fault fired');
  assert.equal(scenarioRow(scenario, verdict, { fired: 0, problems: 1 }).verdict, 'error');
  assert.equal(scenarioRow(scenario, verdict, { fired: 1, problems: 1 }).verdict, 'invalid', 'a failed heal after every fault fired keeps the verdict');
});

test('ScenarioRun: a fault fired from another process reaches the outcome notes and the suite report, also when the scenario fails', async () => {
  const root = mkdtempSync(join(tmpdir(), 'faultline-scenario-run-'));
  try {
    const lines: string[] = [];
    const ctx = new ScenarioRun(scenario, true, (line) => lines.push(line));
    const run = ctx.openRun(root, { run: scenario.name }, { foldIntervalMs: 0 });
    assert.equal(readActiveRun()?.dir, run.path);
    activeRunSink({ event: 'fault-start', faultId: 'f7', fault: 'pause', target: 'n2', node: ['n2'] });
    const outcome = await ctx.failed(new Error('the workload broke'));
    assert.equal(readActiveRun(), undefined, 'the marker is cleared on the error path');
    assert.equal(outcome.error, 'the workload broke');
    assert.equal(outcome.row.verdict, 'error');
    assert.equal(outcome.runDir, run.path);
    assert.equal(outcome.notes.length, 1);
    assert.match(outcome.notes[0] ?? '', /^fault f7 pause n2 fired from another process at \d+\.\d s$/);
    assert.deepEqual(lines, ['[one] error: the workload broke']);
    await ctx.closeRun();
    assert.equal(outcome.notes.length, 1, 'closing again adds no note');
    const suite: SuiteResult = { dir: root, startedAt: 'now', full: false, client: 'faultline', machine: { cpus: 1, memoryGiB: 1, node: 'v20' }, outcomes: [outcome], durationMs: 1, allAsExpected: false, errors: 1, model: [] };
    assert.match(suiteMarkdown(suite), /- \*\*one\*\* \(One\): fault f7 pause n2 fired from another process at \d+\.\d s; error: the workload broke/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

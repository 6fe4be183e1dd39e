import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterDown } from '../../src/cluster/local-cluster.js';
import { readActiveRun } from '../../src/history/active-run.js';
import type { JournalRecord } from '../../src/history/operation.js';
import { runScenario } from '../../src/runner/run-scenario.js';
import { suiteMarkdown } from '../../src/runner/run-suite.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { residue, runCliAsync, waitFor } from './support.js';

const runsRoot = mkdtempSync(join(tmpdir(), 'faultline-foreign-'));

const scenario: Scenario = {
  name: 'foreign-pause',
  title: 'a fault fired from another terminal during a scenario',
  seed: 1,
  description: '',
  cluster: { metadata: 'kraft', brokers: 3, settings: {} },
  topic: { name: 'test1', partitions: 1, replicationFactor: 3, config: { 'min.insync.replicas': '1' } },
  // About 8 s of sends: time to fire and heal from a second process while the workload runs.
  workload: { kind: 'produce', acks: 'all', producers: 1, count: 4000, fullCount: 4000, rateMsgsPerSec: 500, fullRateMsgsPerSec: 500, idempotent: false, timeoutMs: 20000 },
  faults: [],
  expect: { lost: 'any', duplicates: 'any' },
};

function historyLines(runDir: string): string[] {
  return readFileSync(join(runDir, 'history.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '');
}

describe('the run directory owns faults fired from other processes', () => {
  after(async () => {
    await clusterDown();
    assert.deepEqual(await residue(), []);
  });

  test('a pause fired and healed from a second process during a scenario lands in its history, live, and in its notes', async () => {
    const runDir = join(runsRoot, scenario.name);
    const outcomePromise = runScenario(scenario, { runsRoot, keepCluster: true });
    // The workload runs once the run is active and the first send is acknowledged.
    await waitFor('the scenario workload to run', () => (readActiveRun()?.dir === runDir && existsSync(join(runDir, 'history.jsonl')) && historyLines(runDir).some((l) => l.includes('"type":"ok","f":"send"')) ? true : undefined), 240_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const pause = await runCliAsync(['fault', 'pause', 'n2', '--json']);
    assert.equal(pause.code, 0, pause.stderr);
    const id = (JSON.parse(pause.stdout) as { id: string }).id;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const heal = await runCliAsync(['heal', id]);
    assert.equal(heal.code, 0, heal.stderr);

    const outcome = await outcomePromise;
    assert.equal(outcome.error, null, outcome.error ?? '');
    assert.equal(outcome.runDir, runDir);
    const lines = historyLines(runDir);
    const events = lines.flatMap((l, index) => {
      const record = JSON.parse(l) as JournalRecord;
      return record.kind === 'event' && record.faultId === id ? [{ index, record }] : [];
    });
    assert.deepEqual(events.map((e) => e.record.event), ['fault-start', 'fault-heal'], 'each event once, in order');
    const start = events[0];
    assert.ok(start && start.record.timeMs > 0 && start.record.timeMs < 60_000, 'stamped on the run clock');
    // Folded while the run was live: sends follow it in the journal, so the availability checker saw it in time.
    const lastSendInvoke = lines.reduce((last, l, index) => (l.includes('"type":"invoke","f":"send"') ? index : last), -1);
    assert.ok(start.index < lastSendInvoke, `fault-start at line ${start.index}, last send invoke at line ${lastSendInvoke}`);
    assert.ok(outcome.availability && id in outcome.availability.recoveryMs, 'the availability checker saw the fault');
    assert.ok(outcome.notes.some((n) => n.startsWith(`fault ${id} pause node:n2 fired from another process at `)), outcome.notes.join('; '));
    assert.ok(outcome.notes.some((n) => n.startsWith(`fault ${id} healed from another process at `)), outcome.notes.join('; '));
    assert.equal(readActiveRun(), undefined, 'the marker is cleared when the scenario ends');
    const report = suiteMarkdown({ dir: runsRoot, startedAt: 'now', full: false, client: 'faultline', machine: { cpus: 1, memoryGiB: 1, node: process.version }, outcomes: [outcome], durationMs: outcome.durationMs, allAsExpected: outcome.row.asExpected, errors: 0, model: [] });
    assert.ok(report.includes(`fault ${id} pause node:n2 fired from another process at `), report);
  });
});

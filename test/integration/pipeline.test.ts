import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterDown } from '../../src/cluster/local-cluster.js';
import { readClusterState } from '../../src/cluster/cluster-state.js';
import { listFaultlineNamespaces } from '../../src/net/namespace.js';
import { runScenario } from '../../src/runner/run-scenario.js';
import { loadScenario } from '../../src/scenario/load-scenario.js';
import { findJobProcesses } from '../../src/util/job-marker.js';
import { faultResidue, idCounts, readTopicValues, residue } from './support.js';

const runsRoot = mkdtempSync(join(tmpdir(), 'faultline-pipeline-'));
describe('pipelines: the Kafka Streams reference job under job faults (scaled seed-000 scenarios)', () => {
  after(async () => {
    await clusterDown();
    rmSync(runsRoot, { recursive: true, force: true });
    assert.deepEqual(await residue(), []);
  });

  test('02: a job failing every 10th record, updated in place with allowFail off: every value once (checker and a fresh consumer agree)', async () => {
    const scenario = loadScenario('scenarios/pipeline/02-logic-error-then-update.yaml');
    const outcome = await runScenario(scenario, { runsRoot, keepCluster: true, log: (l) => process.stderr.write(`${l}\n`) });
    const why = `${outcome.error ?? ''} ${outcome.notes.join('; ')} ${outcome.pipelineVerdict?.reasons.join('; ') ?? ''}`;
    assert.equal(outcome.error, null, why);
    const verdict = outcome.pipelineVerdict;
    assert.ok(verdict, why);
    assert.equal(verdict.complete, true, why);
    assert.equal(verdict.valid, true, why);
    assert.equal(outcome.row.asExpected, true, why);
    assert.equal(verdict.counts.acknowledged, 300);
    // exactly_once_v2: the store's counts match the output, 1..n per key (the failed batches rolled back with it).
    assert.deepEqual([verdict.keyCounts.records, verdict.keyCounts.inconsistentKeys], [300, 0], JSON.stringify(verdict.keyCounts));
    // Recovery: the update started a new process, which output every input the failed one had left behind.
    const recovery = outcome.pipelineRecovery?.faults ?? [];
    assert.deepEqual(recovery.map((f) => f.fault), ['job-update'], why);
    const update = recovery[0];
    assert.ok(update !== undefined, why);
    assert.ok(update.jobUpMs !== null && update.firstOutputMs !== null && update.caughtUpMs !== null, JSON.stringify(update));
    assert.ok(update.pendingAtFault > 0 && update.firstOutputMs <= update.caughtUpMs, JSON.stringify(update));
    // Outside faultline: a fresh read_committed consumer sees each of the 300 ids exactly once.
    const bootstrap = readClusterState()?.bootstrap ?? '';
    const counts = idCounts(await readTopicValues(bootstrap, 'p2-in-out'));
    assert.equal(counts.size, 300);
    assert.ok([...counts.values()].every((n) => n === 1));
    // The job did fail before the update: its first instance exited with code 1.
    assert.deepEqual(findJobProcesses(), [], 'no job process left');
    assert.ok(!(await listFaultlineNamespaces()).includes('fl-j1'), 'the job namespace is gone');
    assert.deepEqual(await faultResidue(), []);
  });

  test('04: cancel + recreate with a new app id: values processed before the cancel counted twice, none lost', async () => {
    const scenario = loadScenario('scenarios/pipeline/04-cancel-recreate.yaml');
    const outcome = await runScenario(scenario, { runsRoot, keepCluster: true, log: (l) => process.stderr.write(`${l}\n`) });
    const why = `${outcome.error ?? ''} ${outcome.notes.join('; ')} ${outcome.pipelineVerdict?.reasons.join('; ') ?? ''}`;
    assert.equal(outcome.error, null, why);
    const verdict = outcome.pipelineVerdict;
    assert.ok(verdict?.complete, why);
    assert.equal(outcome.row.asExpected, true, why);
    assert.ok(outcome.row.duplicates >= 80, `at least the 80 records out before the cancel are doubled: ${outcome.row.duplicates}`);
    assert.equal(outcome.row.lost, 0);
    // The new job's empty store counts from 1 again: every key repeats counts, at least one per record doubled.
    assert.ok(verdict.keyCounts.repeated.sameId + verdict.keyCounts.repeated.otherId >= outcome.row.duplicates, JSON.stringify(verdict.keyCounts));
    const bootstrap = readClusterState()?.bootstrap ?? '';
    const counts = idCounts(await readTopicValues(bootstrap, 'p4-in-out'));
    assert.equal(counts.size, 300);
    assert.equal([...counts.values()].filter((n) => n >= 2).length, outcome.row.duplicates, 'a fresh consumer counts the same doubled values');
    assert.deepEqual(findJobProcesses(), []);
  });
});

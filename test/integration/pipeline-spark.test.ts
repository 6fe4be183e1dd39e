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
import type { Scenario } from '../../src/scenario/scenario.js';
import { findJobProcesses } from '../../src/util/job-marker.js';
import { faultResidue, idCounts, readTopicValues, residue } from './support.js';

const runsRoot = mkdtempSync(join(tmpdir(), 'faultline-spark-'));

/** The scenario with its input cut to `count` records (the shipped ones are sized for the suite). */
function scaled(path: string, count: number): Scenario {
  const scenario = loadScenario(path);
  return { ...scenario, workload: { ...scenario.workload, count } } as Scenario;
}

describe('pipelines: the Spark Structured Streaming reference job (scaled seed-004 scenarios)', () => {
  after(async () => {
    await clusterDown();
    rmSync(runsRoot, { recursive: true, force: true });
    assert.deepEqual(await residue(), []);
  });

  test('01b: kill -9 with the transactional sink: every value once, checker and a fresh consumer agree', async () => {
    const outcome = await runScenario(scaled('scenarios/pipeline-spark/01b-kill9-transactional-sink.yaml', 400), { runsRoot, keepCluster: true, log: (l) => process.stderr.write(`${l}\n`) });
    const why = `${outcome.error ?? ''} ${outcome.notes.join('; ')} ${outcome.pipelineVerdict?.reasons.join('; ') ?? ''}`;
    assert.equal(outcome.error, null, why);
    assert.equal(outcome.pipelineVerdict?.complete, true, why);
    assert.equal(outcome.row.asExpected, true, why);
    assert.equal(outcome.row.lost, 0, why);
    assert.equal(outcome.row.duplicates, 0, why);
    const recovery = outcome.pipelineRecovery?.faults ?? [];
    assert.deepEqual(recovery.map((f) => f.fault), ['job-kill'], why);
    assert.ok(recovery[0]?.jobUpMs != null && recovery[0].caughtUpMs != null, JSON.stringify(recovery[0]));
    // Outside faultline: a fresh read_committed consumer sees each good id once (every 50th is poison: to the DLQ).
    const bootstrap = readClusterState()?.bootstrap ?? '';
    const counts = idCounts(await readTopicValues(bootstrap, 's1b-in-out'));
    assert.equal(counts.size, 400 - 8);
    assert.ok([...counts.values()].every((n) => n === 1));
    assert.equal((await readTopicValues(bootstrap, 's1b-in-dlq')).length, 8);
    assert.deepEqual(findJobProcesses(), [], 'no job process left');
    assert.ok(!(await listFaultlineNamespaces()).includes('fl-j1'), 'the job namespace is gone');
    assert.deepEqual(await faultResidue(), []);
  });
});

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterDown } from '../../src/cluster/local-cluster.js';
import { readClusterState } from '../../src/cluster/cluster-state.js';
import { listFaultlineNamespaces } from '../../src/net/namespace.js';
import { runScenario } from '../../src/runner/run-scenario.js';
import type { ScenarioOutcome } from '../../src/runner/scenario-result.js';
import { loadScenario } from '../../src/scenario/load-scenario.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { findJobProcesses } from '../../src/util/job-marker.js';
import { faultResidue, idCounts, readTopicValues, residue } from './support.js';

const runsRoot = mkdtempSync(join(tmpdir(), 'faultline-spark-'));

/** The scenario with its input cut to `count` records at `rateMsgsPerSec` (the shipped ones are sized for the suite). */
function scaled(path: string, count: number, rateMsgsPerSec: number): Scenario {
  const scenario = loadScenario(path);
  return { ...scenario, workload: { ...scenario.workload, count, rateMsgsPerSec } } as Scenario;
}

async function run(scenario: Scenario): Promise<{ outcome: ScenarioOutcome; why: string }> {
  const outcome = await runScenario(scenario, { runsRoot, keepCluster: true, log: (l) => process.stderr.write(`${l}\n`) });
  const why = `${outcome.error ?? ''} ${outcome.notes.join('; ')} ${outcome.pipelineVerdict?.reasons.join('; ') ?? ''} ${outcome.windowVerdict?.reasons.join('; ') ?? ''}`;
  return { outcome, why };
}

describe('pipelines: the Spark Structured Streaming reference job (scaled seed-004 scenarios)', () => {
  after(async () => {
    await clusterDown();
    rmSync(runsRoot, { recursive: true, force: true });
    assert.deepEqual(await residue(), []);
  });

  test('01b: kill -9 with the transactional sink: every value once, the checker and a fresh consumer agree', async () => {
    const { outcome, why } = await run(scaled('scenarios/pipeline-spark/01b-kill9-transactional-sink.yaml', 1000, 100));
    assert.equal(outcome.error, null, why);
    assert.equal(outcome.pipelineVerdict?.complete, true, why);
    assert.equal(outcome.row.asExpected, true, why);
    assert.deepEqual([outcome.row.lost, outcome.row.duplicates], [0, 0], why);
    // The transactional sink commits output with the batch whose state it carries: counts 1..n per key.
    assert.equal(outcome.pipelineVerdict.keyCounts.inconsistentKeys, 0, JSON.stringify(outcome.pipelineVerdict.keyCounts));
    const recovery = outcome.pipelineRecovery?.faults ?? [];
    assert.deepEqual(recovery.map((f) => f.fault), ['job-kill'], why);
    assert.ok(recovery[0]?.jobUpMs != null && recovery[0].caughtUpMs != null, JSON.stringify(recovery[0]));
    // Outside faultline: a fresh read_committed consumer sees each good id once (every 50th is poison: to the DLQ).
    const bootstrap = readClusterState()?.bootstrap ?? '';
    const counts = idCounts(await readTopicValues(bootstrap, 's1b-in-out'));
    assert.equal(counts.size, 1000 - 20);
    assert.ok([...counts.values()].every((n) => n === 1));
    assert.equal((await readTopicValues(bootstrap, 's1b-in-dlq')).length, 20);
    // The job was killed and came back once: two job processes in the journal, the first ended by SIGKILL.
    const exits = readFileSync(join(outcome.runDir ?? '', 'history.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"event":"job-exit"'));
    assert.equal(exits.length, 2);
    assert.match(exits[0] ?? '', /"signal":"SIGKILL"/);
    assert.deepEqual(findJobProcesses(), [], 'no job process left');
    assert.ok(!(await listFaultlineNamespaces()).includes('fl-j1'), 'the job namespace is gone');
    assert.deepEqual(await faultResidue(), []);
  });

  test('03: kill -9 with windows open: every final window written once with the count recomputed from the input', async () => {
    const { outcome, why } = await run(scaled('scenarios/pipeline-spark/03-crash-mid-window.yaml', 800, 100));
    assert.equal(outcome.error, null, why);
    assert.equal(outcome.row.asExpected, true, why);
    const windows = outcome.windowVerdict;
    assert.ok(windows !== null, why);
    assert.equal(windows.valid, true, why);
    assert.ok(windows.totals.finalWindows >= 20, `final windows: ${windows.totals.finalWindows}`);
    assert.equal(windows.totals.emitted, windows.totals.finalWindows);
    assert.deepEqual(windows.late.droppedLate, { min: 0, max: 0 });
    // Outside faultline: the windows topic holds one record per emitted window, and their counts add up to the
    // good inputs whose event times fall in final windows.
    const bootstrap = readClusterState()?.bootstrap ?? '';
    const values = await readTopicValues(bootstrap, 's3-in-windows');
    assert.equal(values.length, windows.totals.emitted);
    assert.equal(values.reduce((sum, v) => sum + Number(v.split(':')[2]), 0), windows.totals.ackedInFinal);
    assert.deepEqual(findJobProcesses(), []);
  });
});

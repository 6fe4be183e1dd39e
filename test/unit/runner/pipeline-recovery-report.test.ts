import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PipelineRecovery } from '../../../src/checker/pipeline-recovery.js';
import { recoveryMarkdown } from '../../../src/runner/pipeline-recovery-report.js';
import { suiteMarkdown, type SuiteResult } from '../../../src/runner/run-suite.js';
import { emptyRow, type ScenarioOutcome } from '../../../src/runner/scenario-result.js';
import type { Scenario } from '../../../src/scenario/scenario.js';

const scenario: Scenario = {
  name: 'p6', title: 'P6', seed: 1, description: '',
  cluster: { metadata: 'kraft', brokers: 3, settings: {} },
  topic: { name: 'in', partitions: 3, replicationFactor: 3, config: {} },
  workload: { kind: 'produce', acks: 'all', producers: 1, count: 2, fullCount: 2, rateMsgsPerSec: 10, fullRateMsgsPerSec: 10, idempotent: false },
  faults: [],
  expect: { lost: 'none', duplicates: 'any' },
};

const recovery: PipelineRecovery = {
  faults: [
    { faultId: 'job-4', fault: 'job-kill', target: 'job', atMs: 20722, healedAtMs: 38623, jobUpMs: 2813, jobRunningMs: 17881, firstOutputMs: 20025, caughtUpMs: 20085, pendingAtFault: 316, backlogAtRestart: 384, catchUpRatePerSec: 12.3 },
    { faultId: 'job-5', fault: 'job-update', target: 'job', atMs: 40000, healedAtMs: null, jobUpMs: 0, jobRunningMs: null, firstOutputMs: null, caughtUpMs: null, pendingAtFault: 0, backlogAtRestart: 0, catchUpRatePerSec: null },
  ],
  jobFailures: [],
};

function outcome(name: string, pipelineRecovery: PipelineRecovery | null): ScenarioOutcome {
  return { name, title: name, runDir: null, row: emptyRow({ ...scenario, name }, 'valid'), verdict: null, queueVerdict: null, pipelineVerdict: null, pipelineRecovery, windowVerdict: null, availability: null, faults: [], slowProducerImpliedLost: null, notes: [], error: null, durationMs: 1000 };
}

test('recoveryMarkdown: a table per pipeline scenario with faults, seconds with - for what did not happen; none without', () => {
  assert.deepEqual(recoveryMarkdown([outcome('plain', null), outcome('quiet', { faults: [], jobFailures: [] })]), []);
  const lines = recoveryMarkdown([outcome('plain', null), outcome('p6', recovery)]);
  assert.equal(lines[0], '## Recovery per fault (pipeline scenarios)');
  assert.ok(!lines.includes('### plain'));
  const at = lines.indexOf('### p6');
  assert.ok(at > 0);
  assert.deepEqual(lines.slice(at + 2, at + 6), [
    '| fault | at | healed | job up | running | first output | caught up | pending at fault | backlog at restart | catch-up rate |',
    '|---|---|---|---|---|---|---|---|---|---|',
    '| job-kill job (job-4) | 20.7 s | 38.6 s | 2.8 s | 17.9 s | 20.0 s | 20.1 s | 316 | 384 | 12.3/s |',
    '| job-update job (job-5) | 40.0 s | - | 0.0 s | - | - | - | 0 | 0 | - |',
  ]);
});

test('suite.md ends with the recovery tables after the scenario notes', () => {
  const result: SuiteResult = { dir: '/tmp/x', startedAt: 't', full: false, client: 'faultline', machine: { cpus: 2, memoryGiB: 4, node: 'v20' }, outcomes: [outcome('p6', recovery)], durationMs: 60_000, allAsExpected: false, errors: 0, model: [] };
  const md = suiteMarkdown(result);
  assert.ok(md.indexOf('- **p6**') < md.indexOf('## Recovery per fault'), md);
  assert.match(md, /\| job-kill job \(job-4\) \| 20\.7 s \| 38\.6 s \| 2\.8 s \|/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queueSeverities, policyText } from '../../../src/checker/queue-policy.js';
import type { QueueAnomalyName, QueueAnomalyReport, QueueVerdict } from '../../../src/checker/queue-verdict.js';
import { queueExpectationMet, queueScenarioRow } from '../../../src/runner/queue-row.js';
import { suiteMarkdown, suiteTable, type SuiteResult } from '../../../src/runner/run-suite.js';
import { emptyRow, type ScenarioOutcome, type ScenarioRow } from '../../../src/runner/scenario-result.js';
import { countsText } from '../../../src/runner/suite-reports.js';
import type { Scenario } from '../../../src/scenario/scenario.js';

const queueScenario: Scenario = {
  name: 'q', title: 'Q', seed: 1, description: '',
  cluster: { metadata: 'kraft', brokers: 3, settings: {} },
  topic: { name: 'queue1', partitions: 3, replicationFactor: 3, config: {} },
  workload: {
    kind: 'queue', processes: 3, opsPerProcess: 60, fullOpsPerProcess: 60, rateOpsPerSec: 20, mix: { send: 1, poll: 1, txn: 2 },
    transactional: true, isolation: 'read_committed', consumerMode: 'assign', maxSendsPerOp: 3, abortProbability: 0, crashProbability: 0,
  },
  faults: [],
  expect: { lost: 'any', duplicates: 'any', anomalies: { 'lost-write': 'none', G1a: 'none', G0: 'any' } },
};

const produceScenario: Scenario = {
  ...queueScenario, name: 'p',
  workload: { kind: 'produce', acks: 'all', producers: 1, count: 2, fullCount: 2, rateMsgsPerSec: 10, fullRateMsgsPerSec: 10, idempotent: false },
  expect: { lost: 'none', duplicates: 'any' },
};

function report(count: number, severity: 'failure' | 'informational'): QueueAnomalyReport {
  return { count, severity, explanation: '', cases: [{ anomaly: 'G0', detail: 'a write cycle', ops: [{ op: 4, line: 9, process: 'q0', f: 'txn', type: 'ok', invokeMs: 1, completeMs: 2 }] }] };
}

/** A hand-made queue verdict: read_committed, assign, transactional; `anomalies` found. */
function verdict(anomalies: Partial<Record<QueueAnomalyName, QueueAnomalyReport>>, drainComplete = true): QueueVerdict {
  const input = { transactional: true, isolation: 'read_committed' as const, subscribe: false, allowDuplicates: false };
  const severities = queueSeverities(input, drainComplete);
  const failing = Object.values(anomalies).some((a) => a.severity === 'failure');
  return {
    checker: 'queue', valid: failing ? false : drainComplete ? true : 'unknown', applicable: true, evidence: '360 queue ops', reasons: failing ? ['failing'] : [],
    counts: { ops: 360, txns: 200, committed: 190, aborted: 10, unknown: 0, sent: 600, acknowledged: 570, polled: 900, partitions: 3, processes: 3, graphNodes: 200, graphEdges: 400 },
    anomalies, policy: { input, text: policyText(input, severities), severities }, drainComplete, truncated: false, warnings: [],
  };
}

test('queueExpectationMet: the expectations hold and the verdict is valid, or invalid only through anomalies expected some/any', () => {
  const { expect } = queueScenario;
  assert.equal(queueExpectationMet(expect, verdict({})), true);
  assert.equal(queueExpectationMet(expect, verdict({ G0: report(2, 'informational') })), true, 'G0: any, informational');
  assert.equal(queueExpectationMet(expect, verdict({ G1a: report(1, 'failure') })), false, 'G1a: none');
  assert.equal(queueExpectationMet({ ...expect, anomalies: { G1c: 'none' } }, verdict({ G1c: report(1, 'informational') })), true, 'G1c: none allows a cycle the policy makes informational (through a ww edge)');
  assert.equal(queueExpectationMet({ ...expect, anomalies: { G1c: 'none' } }, verdict({ G1c: report(1, 'failure') })), false, 'G1c: none refuses a failing cycle');
  assert.equal(queueExpectationMet(expect, verdict({ 'committed-too-far': report(1, 'failure') })), false, 'a failing anomaly without an expectation');
  assert.equal(queueExpectationMet({ ...expect, anomalies: { 'committed-too-far': 'some' } }, verdict({ 'committed-too-far': report(1, 'failure') })), true, 'expected to fail this way');
  assert.equal(queueExpectationMet({ ...expect, anomalies: { 'abort-rewind': 'some' } }, verdict({})), false, 'some: expected but not found');
  assert.equal(queueExpectationMet(expect, verdict({}, false)), false, 'an unknown verdict lacks the evidence');
});

test('queueScenarioRow: counts from the queue verdict, anomaly counts found and expected, drain evidence', () => {
  const row = queueScenarioRow(queueScenario, verdict({ G0: report(2, 'informational') }), { fired: 0, problems: 0 });
  assert.deepEqual(
    { workload: row.workload, acks: row.acks, producers: row.producers, sent: row.sent, acknowledged: row.acknowledged, readBack: row.readBack, verdict: row.verdict, asExpected: row.asExpected, drainComplete: row.drainComplete },
    { workload: 'queue', acks: 'all', producers: 3, sent: 600, acknowledged: 570, readBack: 900, verdict: 'valid', asExpected: true, drainComplete: true },
  );
  assert.deepEqual(row.anomalies, { 'lost-write': 0, G1a: 0, G0: 2 });
  const failed = queueScenarioRow(queueScenario, verdict({ G1a: report(3, 'failure') }), { fired: 0, problems: 0 });
  assert.deepEqual([failed.verdict, failed.asExpected, failed.anomalies.G1a], ['invalid', false, 3]);
  assert.equal(queueScenarioRow({ ...queueScenario, faults: produceScenario.faults.concat([{ at: { afterMs: 1 }, fault: { kind: 'kill', target: { kind: 'random' } } }]) }, verdict({}), { fired: 0, problems: 1 }).verdict, 'error');
});

function outcome(name: string, row: ScenarioRow, queueVerdict: QueueVerdict | null): ScenarioOutcome {
  return { name, title: name, runDir: null, row, verdict: null, queueVerdict, pipelineVerdict: null, pipelineRecovery: null, windowVerdict: null, availability: null, faults: [], slowProducerImpliedLost: null, notes: [], error: null, durationMs: 1000 };
}

test('the suite table gains the anomaly columns queue rows found or expect; producer rows keep their columns and show - there', () => {
  const v = verdict({ G0: report(2, 'informational'), 'int-send-skip': report(5, 'informational') });
  const outcomes = [outcome('p', emptyRow(produceScenario, 'valid'), null), outcome('q', queueScenarioRow(queueScenario, v, { fired: 0, problems: 0 }), v)];
  const { headers, rows } = suiteTable(outcomes);
  assert.deepEqual(headers.slice(headers.indexOf('reordered') + 1), ['lost-write', 'G1a', 'int-send-skip', 'G0', 'verdict', 'as expected']);
  assert.deepEqual(rows[0]?.slice(-6), ['-', '-', '-', '-', 'valid', 'NO']);
  const queueRow = rows[1] ?? [];
  assert.deepEqual(queueRow.slice(-6), [0, 0, 5, 2, 'valid', 'yes']);
  assert.deepEqual(queueRow.slice(5, 12), ['-', '-', '-', 900, '-', '-', '-'], 'failed, unknown, high watermark, lost, duplicates, reordered do not apply to a queue row');
  assert.deepEqual(suiteTable([outcomes[0] as ScenarioOutcome]).headers.length, 14, 'a suite of producer scenarios has no anomaly columns');
  assert.equal(countsText(outcomes[1] as ScenarioOutcome), 'anomalies: lost-write 0, G1a 0, int-send-skip 5, G0 2');

  const result: SuiteResult = { dir: '/tmp/x', startedAt: 't', full: false, client: 'faultline', machine: { cpus: 2, memoryGiB: 4, node: 'v20' }, outcomes, durationMs: 60_000, allAsExpected: false, errors: 0, model: [] };
  const md = suiteMarkdown(result);
  assert.match(md, /\| scenario \| .* \| reordered \| lost-write \| G1a \| int-send-skip \| G0 \| verdict \| as expected \|/);
  assert.match(md, /G0: 2 \(informational\): a write cycle \(ops 4 q0 txn ok line 9\)/, 'suite.md lists each anomaly with its ops');
});

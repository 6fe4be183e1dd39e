import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY_COUNT_FINDING_NAMES, type PipelineCountRow, type PipelineFinding, type PipelineFindingName, type PipelineVerdict } from '../../../src/checker/pipeline-verdict.js';
import { pipelineScenarioRow } from '../../../src/runner/pipeline-row.js';
import type { Scenario, ScenarioExpectation } from '../../../src/scenario/scenario.js';

function scenario(expect: ScenarioExpectation, faults = 1, guarantee: 'exactly-once' | 'at-least-once' = 'exactly-once'): Scenario {
  return {
    name: 'p1', title: 'P', seed: 1, description: '',
    cluster: { metadata: 'kraft', brokers: 3, settings: {} },
    topic: { name: 'in', partitions: 3, replicationFactor: 3, config: {} },
    workload: {
      kind: 'pipeline', count: 100, fullCount: 100, rateMsgsPerSec: 10, fullRateMsgsPerSec: 10, producers: 1, keys: 10, poisonEvery: 0,
      job: { engine: 'kafka-streams', guarantee, params: {}, version: 'v1' }, outputTopic: 'out', dlqTopic: 'dlq', quietMs: 1000, maxWaitMs: 1000,
    },
    faults: Array.from({ length: faults }, () => ({ at: { sentFraction: 0.5 }, fault: { kind: 'job-kill' as const, target: 'job' as const } })),
    expect,
  };
}

const finding = (count: number, severity: PipelineFinding['severity'] = 'violation'): PipelineFinding => ({ count, severity, cases: [] });

/** A verdict whose count table is `table` and whose findings are `findings`; valid follows the violations unless given. */
function verdict(table: PipelineCountRow[], findings: Partial<Record<PipelineFindingName, PipelineFinding>> = {}, valid?: PipelineVerdict['valid']): PipelineVerdict {
  const violated = Object.values(findings).some((f) => f.severity === 'violation');
  return {
    checker: 'pipeline', valid: valid ?? !violated, evidence: '', reasons: [], warnings: [], applicable: true, guarantee: 'exactly-once',
    topics: { input: 'in', output: 'out', dlq: 'dlq' }, complete: valid !== 'unknown', committedOffsets: null,
    counts: { inputs: 100, acknowledged: 98, acknowledgedPoison: 0, unknown: 1, failed: 1, outputRecords: 90, dlqRecords: 3, rereads: 0, uncommittedRecords: 95, ignoredRecords: 0, malformedInputs: 0 },
    table, findings, keyCounts: keyCountsOf(findings),
  };
}

/** Totals that agree with the key-count findings: as many inconsistent keys as the largest of them counts. */
function keyCountsOf(findings: Partial<Record<PipelineFindingName, PipelineFinding>>): PipelineVerdict['keyCounts'] {
  const keys = (name: PipelineFindingName): number => findings[name]?.count ?? 0;
  const inconsistentKeys = Math.max(0, ...KEY_COUNT_FINDING_NAMES.map(keys));
  return { keys: 10, records: 90, inconsistentKeys, repeated: { keys: keys('key-count-repeated'), sameId: 0, otherId: keys('key-count-repeated') }, missing: { keys: keys('key-count-missing'), counts: keys('key-count-missing') }, malformed: { keys: keys('key-count-malformed'), records: keys('key-count-malformed') } };
}

const ALL_FIRED = { fired: 1, problems: 0 };
const CLEAN = verdict([{ count: 1, values: 98 }]);
const LOST = verdict([{ count: 0, values: 3 }, { count: 1, values: 95 }], { lost: finding(3) });
const DUPLICATED = verdict([{ count: 1, values: 90 }, { count: 2, values: 6 }, { count: 3, values: 2 }], { duplicate: finding(8) });

test('the row counts lost (output 0 times) and duplicated (more than once) inputs from the table, and reads output + DLQ', () => {
  const row = pipelineScenarioRow(scenario({ lost: 'any', duplicates: 'any' }), DUPLICATED, ALL_FIRED);
  assert.deepEqual(
    { workload: row.workload, sent: row.sent, acknowledged: row.acknowledged, failed: row.failed, unknown: row.unknown, readBack: row.readBack, lost: row.lost, duplicates: row.duplicates, verdict: row.verdict, drain: row.drainComplete },
    { workload: 'pipeline', sent: 100, acknowledged: 98, failed: 1, unknown: 1, readBack: 93, lost: 0, duplicates: 8, verdict: 'invalid', drain: true },
  );
  assert.equal(pipelineScenarioRow(scenario({ lost: 'any', duplicates: 'any' }), LOST, ALL_FIRED).lost, 3);
});

test('none / some / any for lost and duplicates', () => {
  const expected = (lost: ScenarioExpectation['lost'], duplicates: ScenarioExpectation['duplicates'], v: PipelineVerdict): boolean => pipelineScenarioRow(scenario({ lost, duplicates }), v, ALL_FIRED).asExpected;
  assert.equal(expected('none', 'none', CLEAN), true);
  assert.equal(expected('any', 'any', CLEAN), true);
  assert.equal(expected('some', 'none', CLEAN), false, 'loss expected, none seen');
  assert.equal(expected('none', 'some', CLEAN), false, 'duplicates expected, none seen');
  assert.equal(expected('none', 'none', LOST), false);
  assert.equal(expected('some', 'none', LOST), true);
  assert.equal(expected('any', 'none', LOST), true);
  assert.equal(expected('none', 'none', DUPLICATED), false);
  assert.equal(expected('none', 'some', DUPLICATED), true);
  assert.equal(expected('none', 'any', DUPLICATED), true);
  assert.equal(expected('some', 'none', DUPLICATED), false);
});

test('an unknown verdict is never as expected, whatever the expectations', () => {
  const unknown = verdict([{ count: 1, values: 98 }], {}, 'unknown');
  for (const lost of ['none', 'some', 'any'] as const) {
    for (const duplicates of ['none', 'some', 'any'] as const) assert.equal(pipelineScenarioRow(scenario({ lost, duplicates }), unknown, ALL_FIRED).asExpected, false, `${lost}/${duplicates}`);
  }
  assert.equal(pipelineScenarioRow(scenario({ lost: 'any', duplicates: 'any' }), unknown, ALL_FIRED).verdict, 'unknown');
});

test('violations other than those the expectations allow make it not as expected; informational findings do not', () => {
  const row = (expect: ScenarioExpectation, findings: Partial<Record<PipelineFindingName, PipelineFinding>>, table: PipelineCountRow[] = [{ count: 1, values: 98 }]): boolean => pipelineScenarioRow(scenario(expect), verdict(table, findings), ALL_FIRED).asExpected;
  const lostTable = [{ count: 0, values: 1 }, { count: 1, values: 97 }];
  const dupTable = [{ count: 1, values: 97 }, { count: 2, values: 1 }];
  assert.equal(row({ lost: 'some', duplicates: 'none' }, { lost: finding(1), 'committed-not-output': finding(1) }, lostTable), true, 'loss allowed: committed-not-output too');
  assert.equal(row({ lost: 'none', duplicates: 'any' }, { 'committed-not-output': finding(1) }), false, 'committed-not-output is a loss');
  assert.equal(row({ lost: 'any', duplicates: 'some' }, { duplicate: finding(1), 'uncommitted-output': finding(1) }, dupTable), true, 'duplicates allowed: uncommitted-output too');
  assert.equal(row({ lost: 'any', duplicates: 'none' }, { 'uncommitted-output': finding(1) }), false);
  for (const name of ['unexpected', 'poison-in-output', 'good-in-dlq', 'dlq-provenance', 'wrong-key', 'hanging-transaction'] as const) {
    assert.equal(row({ lost: 'any', duplicates: 'any' }, { [name]: finding(1) }), false, `${name} is never allowed`);
  }
  assert.equal(row({ lost: 'none', duplicates: 'none' }, { 'aborted-output': finding(5, 'informational'), duplicate: finding(1, 'informational') }), true, 'informational findings do not count');
});

test('keyCounts: consistent (the exactly-once default) needs no inconsistent key, inconsistent at least one, any anything', () => {
  const reset = verdict([{ count: 1, values: 98 }], { 'key-count-repeated': finding(3) });
  const asExpected = (v: PipelineVerdict, keyCounts?: ScenarioExpectation['keyCounts'], guarantee: 'exactly-once' | 'at-least-once' = 'exactly-once'): boolean =>
    pipelineScenarioRow(scenario({ lost: 'any', duplicates: 'any', ...(keyCounts !== undefined ? { keyCounts } : {}) }, 1, guarantee), v, ALL_FIRED).asExpected;
  assert.equal(asExpected(CLEAN), true);
  assert.equal(asExpected(reset), false, 'exactly-once defaults to consistent');
  assert.equal(asExpected(reset, 'inconsistent'), true);
  assert.equal(asExpected(reset, 'any'), true);
  assert.equal(asExpected(CLEAN, 'inconsistent'), false, 'a reset expected, none seen');
  const listed = verdict([{ count: 1, values: 98 }], { 'key-count-missing': finding(1, 'informational') });
  assert.equal(asExpected(listed, undefined, 'at-least-once'), true, 'at-least-once defaults to any');
  assert.equal(asExpected(listed, 'consistent', 'at-least-once'), false);
});

test('faults: not all fired is never as expected; error only when a fault failed and not all fired', () => {
  const expect: ScenarioExpectation = { lost: 'none', duplicates: 'none' };
  const notFired = pipelineScenarioRow(scenario(expect, 2), CLEAN, { fired: 1, problems: 1 });
  assert.deepEqual([notFired.verdict, notFired.asExpected], ['error', false]);
  const healFailed = pipelineScenarioRow(scenario(expect, 1), CLEAN, { fired: 1, problems: 1 });
  assert.deepEqual([healFailed.verdict, healFailed.asExpected], ['valid', true]);
  const none = pipelineScenarioRow(scenario(expect, 0), CLEAN, { fired: 0, problems: 0 });
  assert.deepEqual([none.verdict, none.asExpected], ['valid', true]);
});

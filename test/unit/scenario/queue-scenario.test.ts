import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUEUE_ANOMALY_NAMES } from '../../../src/checker/queue-verdict.js';
import { assertClientFits } from '../../../src/runner/run-scenario.js';
import { loadScenarioDir, parseScenario } from '../../../src/scenario/load-scenario.js';
import { applyFullSize, queueSettings, totalTriggerUnits } from '../../../src/scenario/scenario.js';
import { scenarioErrorOf, VALID_QUEUE_SCENARIO as VALID, withLine, withQueueLine as q } from './fixtures.js';

const assertError = (text: string, expected: string): void => assert.equal(scenarioErrorOf(text, 'q.yaml'), `q.yaml:${expected}`);

test('a queue scenario loads with its defaults filled in', () => {
  const scenario = parseScenario(VALID, 'q.yaml');
  assert.deepEqual(scenario.workload, {
    kind: 'queue', processes: 3, opsPerProcess: 60, fullOpsPerProcess: 60, rateOpsPerSec: 20, mix: { send: 1, poll: 1, txn: 2 },
    transactional: true, isolation: 'read_committed', consumerMode: 'assign', maxSendsPerOp: 3, abortProbability: 0, crashProbability: 0.05,
  });
  assert.deepEqual(scenario.expect, { lost: 'any', duplicates: 'any', anomalies: { G1a: 'none', 'lost-write': 'none', G0: 'any' } });
  assert.equal(totalTriggerUnits(scenario.workload), 180, 'sentFraction is a fraction of processes x opsPerProcess operations');
  assert.deepEqual(scenario.faults[0]?.fault, { kind: 'kill', target: { kind: 'leader', topic: 'queue1', partition: 0 } });
});

test('defaults follow the workload: read_uncommitted without transactions; no expect means no anomaly expectations', () => {
  const text = q('  transactional: true', '  transactional: false').replace('  mix: { send: 1, poll: 1, txn: 2 }\n', '').split('expect:')[0] ?? '';
  const scenario = parseScenario(text, 'q.yaml');
  assert.ok(scenario.workload.kind === 'queue');
  assert.equal(scenario.workload.isolation, 'read_uncommitted');
  assert.deepEqual(scenario.workload.mix, { send: 1, poll: 1, txn: 0 });
  assert.deepEqual(scenario.expect.anomalies, {});
});

test('fullOpsPerProcess is what --full runs; queueSettings are the workload options without kind and full size', () => {
  const scenario = parseScenario(q('  opsPerProcess: 60', '  opsPerProcess: 60\n  fullOpsPerProcess: 900'), 'q.yaml');
  const full = applyFullSize(scenario);
  assert.ok(full.workload.kind === 'queue' && scenario.workload.kind === 'queue');
  assert.equal(full.workload.opsPerProcess, 900);
  assert.equal(scenario.workload.opsPerProcess, 60, 'the original is not changed');
  const settings = queueSettings(full.workload);
  assert.equal('kind' in settings || 'fullOpsPerProcess' in settings, false);
  assert.equal(settings.opsPerProcess, 900);
});

test("each bad field is refused at its position by the workload's own validator", () => {
  assertError(q('  opsPerProcess: 60', '  opsPerProcess: 0'), '11:18: workload.opsPerProcess: expected a whole number 1..10000000, got 0');
  assertError(q('  opsPerProcess: 60', '  opsPerProcess: 1.5'), '11:18: workload.opsPerProcess: expected a whole number 1..10000000, got 1.5');
  assertError(q('  opsPerProcess: 60', '  opsPerProcess: 60\n  fullOpsPerProcess: 99999999'), '12:22: workload.fullOpsPerProcess: expected a whole number 1..10000000, got 99999999');
  assertError(q('  rateOpsPerSec: 20', '  rateOpsPerSec: -1'), '12:18: workload.rateOpsPerSec: expected a rate above 0 (or Infinity), got -1');
  assertError(q('  rateOpsPerSec: 20', '  rateOpsPerSec: 20\n  processes: 17'), '13:14: workload.processes: expected a whole number 1..16, got 17');
  assertError(q('  mix: { send: 1, poll: 1, txn: 2 }', '  mix: { send: 1, poll: -1, txn: 2 }'), '13:25: workload.mix.poll: expected a weight >= 0, got -1');
  assertError(q('  mix: { send: 1, poll: 1, txn: 2 }', '  mix: { send: 0, poll: 0 }'), '13:8: workload.mix: at least one weight must be above 0');
  assertError(q('  mix: { send: 1, poll: 1, txn: 2 }', '  mix: { send: 1, pol: 1 }'), "13:19: workload.mix.pol: unknown key (did you mean 'poll'?); known keys: send, poll, txn");
  assertError(q('  transactional: true', '  transactional: false'), '13:33: workload.mix.txn: txn operations need transactional: true');
  assertError(q('  transactional: true', '  transactional: yes'), "14:18: workload.transactional: expected true or false, got string 'yes'");
  assertError(q('  crashProbability: 0.05', '  crashProbability: 1.5'), '15:21: workload.crashProbability: expected a number 0..1, got 1.5');
  assertError(q('  crashProbability: 0.05', '  abortProbability: -0.1'), '15:21: workload.abortProbability: expected a number 0..1, got -0.1');
  assertError(q('  crashProbability: 0.05', '  maxSendsPerOp: 101'), '15:18: workload.maxSendsPerOp: expected a whole number 1..100, got 101');
  assertError(q('  crashProbability: 0.05', '  drainTimeoutMs: 700000'), '15:19: workload.drainTimeoutMs: expected a whole number 0..600000, got 700000');
  assertError(q('  crashProbability: 0.05', '  isolation: serializable'), "15:14: workload.isolation: unknown isolation level 'serializable'; expected one of read_uncommitted, read_committed");
  assertError(q('  crashProbability: 0.05', '  consumerMode: share'), "15:17: workload.consumerMode: unknown consumer mode 'share'; expected one of assign, subscribe");
  assertError(q('  crashProbability: 0.05', '  acks: all'), '15:3: workload.acks: unknown key; known keys: kind, processes, opsPerProcess, fullOpsPerProcess, rateOpsPerSec, mix, transactional, isolation, consumerMode, maxSendsPerOp, abortProbability, crashProbability, callTimeoutMs, drainTimeoutMs');
  assertError(q('  opsPerProcess: 60', ''), '10:3: workload.opsPerProcess: missing (required)');
});

test('an unknown anomaly name is refused at its position, listing the names the checker reports', () => {
  assertError(
    q('  anomalies: { G1a: none, lost-write: none, G0: any }', '  anomalies: { G1a: none, lost-writes: none }'),
    `20:27: expect.anomalies.lost-writes: unknown key (did you mean 'lost-write'?); known keys: ${QUEUE_ANOMALY_NAMES.join(', ')}`,
  );
  assertError(q('  anomalies: { G1a: none, lost-write: none, G0: any }', '  anomalies: { G1a: never }'), "20:21: expect.anomalies.G1a: unknown anomaly expectation 'never'; expected one of none, some, any");
});

test('expectations belong to the workload: anomalies for a queue workload, lost / duplicates for a producer workload', () => {
  assertError(q('  anomalies: { G1a: none, lost-write: none, G0: any }', '  lost: none'), '20:3: expect.lost: unknown key; known keys: anomalies');
  assert.match(scenarioErrorOf(withLine('faults:', 'expect:\n  anomalies: { G1a: none }\nfaults:'), 'q.yaml'), /:15:3: expect\.anomalies: unknown key; known keys: lost, duplicates$/);
});

test('a fault may target the leader of one of Kafka internal topics (the transaction coordinator), not of another topic', () => {
  const coordinator = parseScenario(q('    fault: { kind: kill, target: "leader:queue1/0" }', '    fault: { kind: kill, target: "leader:__transaction_state/0" }'), 'q.yaml');
  assert.deepEqual(coordinator.faults[0]?.fault, { kind: 'kill', target: { kind: 'leader', topic: '__transaction_state', partition: 0 } });
  assertError(
    q('    fault: { kind: kill, target: "leader:queue1/0" }', '    fault: { kind: kill, target: "leader:other/0" }'),
    "18:34: faults[0].fault.target: target 'leader:other' names topic 'other', but the scenario's topic is 'queue1'",
  );
});

const QUEUE_DIR = join(fileURLToPath(new URL('../../../../', import.meta.url)), 'scenarios', 'kafka-queue');

test('scenarios/kafka-queue: every file loads, is a queue scenario named after its file, small enough, with the issue-10 expectations', () => {
  const files = readdirSync(QUEUE_DIR).filter((f) => f.endsWith('.yaml')).sort();
  const suite = loadScenarioDir(QUEUE_DIR);
  assert.ok(suite.length >= 6, `expected the queue scenarios, got ${suite.length}`);
  for (const [i, scenario] of suite.entries()) {
    const { workload, topic, expect } = scenario;
    assert.equal(`${scenario.name}.yaml`, files[i]);
    assert.ok(workload.kind === 'queue', scenario.name);
    assert.deepEqual([topic.partitions, topic.replicationFactor, topic.config['min.insync.replicas']], [3, 3, '2'], scenario.name);
    assert.ok(workload.opsPerProcess / workload.rateOpsPerSec <= 15, `${scenario.name}: at most ~15 s of operations when nothing stalls`);
    for (const name of ['lost-write', 'unseen', 'duplicate', 'inconsistent-offsets'] as const) assert.equal(expect.anomalies?.[name], 'none', `${scenario.name}: ${name}`);
    if (workload.isolation === 'read_committed') assert.deepEqual([expect.anomalies?.G1a, expect.anomalies?.G1c], ['none', 'none'], scenario.name);
  }
  const uncommitted = suite.find((s) => s.workload.kind === 'queue' && s.workload.isolation === 'read_uncommitted' && s.workload.transactional);
  assert.equal(uncommitted?.expect.anomalies?.G1a, 'any', 'the read_uncommitted reader may see aborted writes');
});

test('VerifiableProducer runs produce workloads only: a queue scenario is refused before anything starts', () => {
  const scenario = parseScenario(VALID, 'q.yaml');
  assert.throws(() => assertClientFits(scenario, 'verifiable-producer'), /q1: client: verifiable-producer runs produce workloads only, not queue/);
  assert.doesNotThrow(() => assertClientFits(scenario, 'faultline'));
});

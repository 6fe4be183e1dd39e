import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario, loadScenarioDir } from '../../../src/scenario/load-scenario.js';
import { applyFullSize, totalMessages, type ProduceScenarioWorkload, type Scenario } from '../../../src/scenario/scenario.js';

// dist/test/unit/scenario -> repository root
const SUITE_DIR = join(fileURLToPath(new URL('../../../../', import.meta.url)), 'scenarios', 'kafka');

const suite = loadScenarioDir(SUITE_DIR);

/** The seed suite runs producer workloads only. */
function produceOf(scenario: Scenario): ProduceScenarioWorkload {
  assert.notEqual(scenario.workload.kind, 'queue', scenario.name);
  return scenario.workload as ProduceScenarioWorkload;
}

test('every file in scenarios/kafka loads, in file-name order', () => {
  const files = readdirSync(SUITE_DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
  assert.equal(suite.length, files.length);
  assert.ok(suite.length >= 13, `expected the 11 seed scenarios and 2 KRaft analogues, got ${suite.length}`);
  for (const file of files) assert.equal(loadScenario(join(SUITE_DIR, file)).name, file.replace(/\.ya?ml$/, ''), `${file}: name should be its file stem`);
  assert.deepEqual(suite.map((s) => basename(s.sourceFile ?? '')), files);
});

test('scenario names are unique', () => {
  assert.equal(new Set(suite.map((s) => s.name)).size, suite.length);
});

test('every scenario states its expectation, min.insync.replicas and the seed sizes', () => {
  for (const scenario of suite) {
    const { topic } = scenario;
    const workload = produceOf(scenario);
    assert.ok(scenario.description.includes('Seed') || scenario.description.includes('seed'), `${scenario.name}: description should say what the seed saw`);
    assert.equal(topic.config['min.insync.replicas'], '1', `${scenario.name}: min.insync.replicas written explicitly (the seed used 1)`);
    assert.equal(scenario.faults.length, 1, scenario.name);
    assert.equal(workload.retries, 0, `${scenario.name}: the seed's producers did not retry`);
    assert.equal(workload.fullCount, workload.kind === 'slow-produce' ? 100 : 100_000, scenario.name);
    if (workload.acks === 'all') assert.equal(scenario.expect.lost, 'none', `${scenario.name}: acks=all lost nothing in the seed`);
    assert.equal(scenario.expect.duplicates, 'none', scenario.name);
  }
});

test('the scaled suite fits the time budget: roughly 10-15 minutes with ~25 s of fixed cost per scenario', () => {
  const fixedCostSec = 25;
  let totalSec = 0;
  for (const scenario of suite) {
    const workload = produceOf(scenario);
    const sendSec = workload.count / workload.rateMsgsPerSec;
    const fault = scenario.faults[0];
    const fireSec = fault && 'sentFraction' in fault.at ? fault.at.sentFraction * sendSec : 0;
    const healSec = fault?.healAfterMs !== undefined ? fireSec + fault.healAfterMs / 1000 : sendSec;
    totalSec += fixedCostSec + Math.max(sendSec + (workload.timeoutMs ?? 0) / 1000, healSec);
  }
  assert.ok(totalSec < 15 * 60, `estimated ${Math.round(totalSec)} s`);
});

test('applyFullSize swaps in the seed sizes and leaves everything else', () => {
  const scenario = suite.find((s) => s.name === '02b-acks1-leader-killed-10-producers') as Scenario;
  const full = applyFullSize(scenario);
  const workload = produceOf(full);
  assert.equal(workload.count, 100_000);
  assert.equal(workload.rateMsgsPerSec, 10_000);
  assert.equal(totalMessages(workload), 1_000_000);
  assert.deepEqual({ ...full, workload: undefined }, { ...scenario, workload: undefined });
  assert.equal(produceOf(scenario).count, 5000, 'the original is not changed');
  assert.deepEqual(applyFullSize(full), full, 'applying twice changes nothing');
});

const LEADER = { kind: 'leader', topic: 'test1', partition: 0 } as const;

test('fault requests are the nemesis request shape, targets parsed', () => {
  const byName = new Map(suite.map((s) => [s.name, s]));
  assert.deepEqual(byName.get('01-acks0-leader-killed')?.faults[0], { at: { sentFraction: 0.3 }, fault: { kind: 'kill', target: LEADER } });
  assert.deepEqual(byName.get('04-acks1-leader-isolated')?.faults[0], {
    at: { sentFraction: 0.5 },
    fault: { kind: 'partition', target: LEADER, from: 'all' },
    healAfterMs: 15000,
  });
  const zk = byName.get('06-acks1-leader-isolated-from-zookeeper');
  assert.equal(zk?.cluster.metadata, 'zookeeper');
  assert.deepEqual(zk.faults[0]?.fault, { kind: 'partition', target: LEADER, from: 'zookeeper' });
  assert.deepEqual(byName.get('09-acksall-leader-isolated-from-controllers')?.faults[0]?.fault, { kind: 'partition', target: LEADER, from: 'controllers' });
});

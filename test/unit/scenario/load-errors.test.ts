import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../../src/errors.js';
import { loadScenario, loadScenarioDir } from '../../../src/scenario/load-scenario.js';
import { tempDir, VALID_SCENARIO, withLine, writeFixture } from './fixtures.js';

const dir = tempDir();
let counter = 0;

/** Loads `text` from a fresh file and returns the error message, which must be a UsageError. */
function errorOf(text: string): { path: string; message: string } {
  const path = writeFixture(dir, `case-${++counter}.yaml`, text);
  try {
    loadScenario(path);
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    assert.equal(error.exitCode, 2);
    return { path, message: error.message };
  }
  assert.fail(`expected ${path} to be rejected:\n${text}`);
}

function assertError(text: string, expected: string): void {
  const { path, message } = errorOf(text);
  assert.equal(message, `${path}:${expected}`);
}

test('the fixture itself is valid', () => {
  const scenario = loadScenario(writeFixture(dir, 'valid.yaml', VALID_SCENARIO));
  assert.equal(scenario.name, 't1');
  assert.equal(scenario.faults.length, 1);
});

test('YAML syntax errors carry line and column', () => {
  assertError(withLine('title: Test', 'title: "Test'), '3:13: YAML syntax error: Missing closing "quote');
  assertError(withLine('  brokers: 3', '  metadata: zookeeper'), '6:3: YAML syntax error: Map keys must be unique');
  assertError(withLine('  count: 100', ' count: 100'), '12:1: YAML syntax error: All mapping items must start at the same column');
});

test('more than one YAML document is refused', () => {
  const { message } = errorOf(`${VALID_SCENARIO}---\nname: t2\n`);
  assert.match(message, /:17:1: YAML syntax error: one scenario per file; this file holds more than one YAML document$/);
});

test('an empty file or a top level that is not a mapping', () => {
  assertError('', '1:1: (top level): the file is empty; expected a scenario (name, title, cluster, topic, workload, ...)');
  assertError('# nothing here\n', '1:1: (top level): the file is empty; expected a scenario (name, title, cluster, topic, workload, ...)');
  assertError('- 1\n- 2\n', '1:1: (top level): expected a mapping (key: value lines), got a list');
});

test('unknown keys, with a suggestion when one is close', () => {
  assertError(
    withLine('  count: 100', '  cuont: 100'),
    '12:3: workload.cuont: unknown key (did you mean \'count\'?); known keys: kind, acks, producers, count, fullCount, rateMsgsPerSec, fullRateMsgsPerSec, idempotent, retries, timeoutMs, valueSizeBytes',
  );
  assertError(
    withLine('title: Test', 'colour: blue'),
    '3:1: colour: unknown key; known keys: apiVersion, name, title, seed, description, cluster, topic, workload, faults, expect',
  );
  assertError(
    withLine('    fault: { kind: kill, target: "leader:test1" }', '    fault: { kind: kill, target: "leader:test1", latencyMs: 5 }'),
    '16:50: faults[0].fault.latencyMs: unknown key; known keys: kind, target',
  );
});

test('missing required keys point at the mapping that lacks them', () => {
  assertError(withLine('  count: 100', ''), '10:3: workload.count: missing (required)');
  assertError(withLine('title: Test', 'title:'), '3:1: title: needs a value');
});

test('wrong types', () => {
  assertError(withLine('  brokers: 3', '  brokers: three'), "6:12: cluster.brokers: expected a number, got string 'three'");
  assertError(withLine('  count: 100', '  count: "100"'), "12:10: workload.count: expected a number, got string '100'");
  assertError(`${VALID_SCENARIO}expect: none\n`, "17:9: expect: expected a mapping (key: value lines), got string 'none'");
  const withoutFaults = VALID_SCENARIO.split('\n').slice(0, 13).join('\n');
  assertError(`${withoutFaults}\nfaults: { at: 1 }\n`, '14:9: faults: expected a list, got a mapping');
  assertError(withLine('  name: test1', '  name: [test1]'), '8:9: topic.name: expected text, got a list');
});

test('bad numbers', () => {
  assertError(withLine('  rateMsgsPerSec: 50', '  rateMsgsPerSec: -5'), '13:19: workload.rateMsgsPerSec: expected a number > 0, got -5');
  assertError(withLine('  count: 100', '  count: 1.5'), '12:10: workload.count: expected a whole number, got number 1.5');
  assertError(withLine('  count: 100', '  count: 0'), '12:10: workload.count: expected at least 1, got 0');
  assertError(withLine('  count: 100', '  count: .inf'), '12:10: workload.count: expected a finite number, got number .inf');
  assertError(
    withLine('  - at: { sentFraction: 0.3 }', '  - at: { sentFraction: 1.5 }'),
    '15:25: faults[0].at.sentFraction: expected a fraction between 0 and 1, got 1.5',
  );
  assertError(withLine('  brokers: 3', '  brokers: 12'), '6:12: cluster.brokers: expected 1..9, got 12');
  assertError(withLine('  count: 100', '  count: 100\n  producers: 65'), '13:14: workload.producers: expected a whole number 1..64, got 65');
  // What the produce workload would refuse is refused here, before a cluster starts, by the workload's own validator.
  assertError(withLine('  count: 100', '  count: 1e300'), '12:10: workload.count: expected a whole number 1..1000000000, got 1e+300');
  assertError(withLine('  count: 100', '  count: 2000000000'), '12:10: workload.count: expected a whole number 1..1000000000, got 2000000000');
  assertError(withLine('  count: 100', '  count: 100\n  fullCount: 5000000000'), '13:14: workload.fullCount: expected a whole number 1..1000000000, got 5000000000');
  assertError(withLine('  count: 100', '  count: 100\n  valueSizeBytes: 2000000'), '13:19: workload.valueSizeBytes: expected a whole number 1..1000000, got 2000000');
  assertError(withLine('  - at: { sentFraction: 0.3 }', '  - at: { afterMs: -1 }'), '15:20: faults[0].at.afterMs: expected a whole number >= 0, got -1');
});

test('unknown fault kind lists the known ones', () => {
  assertError(
    withLine('    fault: { kind: kill, target: "leader:test1" }', '    fault: { kind: explode, target: "leader:test1" }'),
    "16:20: faults[0].fault.kind: unknown fault 'explode'; known faults: kill, terminate, restart, pause, resume, start, partition, degrade, fill-disk",
  );
});

test('unknown metadata mode, workload kind and acks', () => {
  assertError(withLine('  metadata: kraft', '  metadata: etcd'), "5:13: cluster.metadata: unknown metadata mode 'etcd'; expected one of kraft, kraft-dedicated, zookeeper");
  assertError(withLine('  kind: produce', '  kind: consume'), "10:9: workload.kind: unknown workload kind 'consume'; expected one of produce, slow-produce, queue, pipeline");
  assertError(withLine('  acks: "1"', '  acks: 2'), "11:9: workload.acks: unknown acks '2'; expected one of 0, 1, all");
});

test('fault details that cannot work in this scenario', () => {
  const partition = (body: string) => withLine('    fault: { kind: kill, target: "leader:test1" }', `    fault: { ${body} }`);
  assertError(
    partition('kind: partition, target: "leader:test1", from: zookeeper'),
    "16:61: faults[0].fault.from: zookeeper needs a ZooKeeper-mode cluster (use 'controllers' in kraft); this cluster runs without ZooKeeper",
  );
  assertError(partition('kind: kill, target: "leader:other"'), "16:34: faults[0].fault.target: target 'leader:other' names topic 'other', but the scenario's topic is 'test1'");
  assertError(
    partition('kind: kill, target: "leeder:test1"'),
    "16:34: faults[0].fault.target: unknown target 'leeder:test1'; expected broker:ID, node:NAME, leader:TOPIC[/PARTITION], follower:TOPIC[/PARTITION], controller, coordinator:GROUP, random, all, zookeeper, or a node name/id",
  );
  assertError(partition('kind: partition'), '16:12: faults[0].fault: partition needs a target (with from), groups, or a shape');
  assertError(partition('kind: degrade, target: n1'), '16:12: faults[0].fault: degrade needs at least one of latencyMs, jitterMs, bandwidthBytesPerSec, lossPercent, flaky');
  assertError(partition('kind: degrade, target: n1, lossPercent: 150'), '16:54: faults[0].fault.lossPercent: expected a number in [1e-7, 100], got 150');
  // The same rules as the CLI and injectFault (one validator): a fractional bandwidth is refused here too.
  assertError(partition('kind: degrade, target: n1, bandwidthBytesPerSec: 1.5'), '16:63: faults[0].fault.bandwidthBytesPerSec: expected a whole number in [1, 10737418240], got 1.5');
  assertError(partition('kind: partition, target: n1, from: "n2,n3"'), "16:49: faults[0].fault.from: expected a list of nodes (e.g. [n1, n2]), got 'n2,n3'");
  assertError(partition('kind: partition, groups: [rest, rest]'), '16:39: faults[0].fault.groups: \'rest\' can be one group only');
  assertError(partition('kind: partition, groups: [[n1], [n2]], shape: halves'), '16:60: faults[0].fault.shape: give one of target, groups and shape, not groups and shape');
  assertError(partition('kind: partition, shape: thirds'), "16:38: faults[0].fault.shape: unknown shape 'thirds'; expected halves, random-halves, majorities-ring, bridge or minority-with:TARGET");
  assertError(partition('kind: partition, groups: [["follower:test1/x"], rest]'), "16:41: faults[0].fault.groups[0][0]: target 'follower:test1/x': partition must be a whole number, got 'x'");
});

test('faults fire in order', () => {
  const text = `${VALID_SCENARIO}  - at: { sentFraction: 0.1 }\n    fault: { kind: kill, target: n2 }\n`;
  assertError(text, '17:9: faults[1].at: fires before the fault above it (sentFraction 0.1 < 0.3); faults fire in order');
});

test('topic sanity: replication factor and min.insync.replicas', () => {
  assertError(withLine('  name: test1', '  name: test1\n  replicationFactor: 4'), '9:22: topic.replicationFactor: replication factor 4 needs at least 4 brokers; cluster.brokers is 3');
  assertError(
    withLine('  name: test1', '  name: test1\n  config: { min.insync.replicas: 4 }'),
    '9:34: topic.config.min.insync.replicas: 4 is more than the replication factor 3: no write could ever succeed with acks=all',
  );
});

test('duplicate scenario names in a directory point at the second file', () => {
  const suite = tempDir();
  writeFixture(suite, 'a.yaml', VALID_SCENARIO);
  const second = writeFixture(suite, 'b.yml', VALID_SCENARIO);
  writeFixture(suite, 'notes.txt', 'not a scenario');
  assert.throws(() => loadScenarioDir(suite), { name: 'UsageError', message: `${second}:2:7: name: duplicate scenario name 't1'; a.yaml already uses it` });
});

test('a directory loads sorted by file name; missing paths are usage errors', () => {
  const suite = tempDir();
  writeFixture(suite, 'b.yaml', withLine('name: t1', 'name: second'));
  writeFixture(suite, 'a.yml', withLine('name: t1', 'name: first'));
  assert.deepEqual(loadScenarioDir(suite).map((s) => s.name), ['first', 'second']);
  assert.throws(() => loadScenarioDir(`${suite}/nope`), { name: 'UsageError', message: `${suite}/nope: cannot read scenario directory (no such directory)` });
  assert.throws(() => loadScenario(`${suite}/nope.yaml`), { name: 'UsageError', message: `${suite}/nope.yaml: cannot read scenario file (no such file)` });
  assert.throws(() => loadScenarioDir(tempDir()), { name: 'UsageError', message: /no scenario files/ });
});

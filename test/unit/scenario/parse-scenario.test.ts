import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../../../src/scenario/load-scenario.js';
import { VALID_SCENARIO, withLine } from './fixtures.js';

const node = (ref: string) => ({ kind: 'node', ref }) as const;

test('defaults are filled in', () => {
  const scenario = parseScenario(VALID_SCENARIO, 'x.yaml');
  assert.deepEqual(scenario, {
    name: 't1',
    title: 'Test',
    seed: 1,
    description: '',
    cluster: { metadata: 'kraft', brokers: 3, settings: {} },
    topic: { name: 'test1', partitions: 1, replicationFactor: 3, config: {} },
    workload: { kind: 'produce', acks: '1', producers: 1, count: 100, fullCount: 100, rateMsgsPerSec: 50, fullRateMsgsPerSec: 50, idempotent: false },
    faults: [{ at: { sentFraction: 0.3 }, fault: { kind: 'kill', target: { kind: 'leader', topic: 'test1', partition: 0 } } }],
    expect: { lost: 'any', duplicates: 'any' },
    sourceFile: 'x.yaml',
  });
});

test('acks accepts 0, 1, all and -1 (= all), as numbers or text', () => {
  const acksOf = (raw: string) => {
    const workload = parseScenario(withLine('  acks: "1"', `  acks: ${raw}`), 'x.yaml').workload;
    return workload.kind === 'queue' || workload.kind === 'pipeline' ? workload.kind : workload.acks;
  };
  assert.equal(acksOf('0'), '0');
  assert.equal(acksOf('1'), '1');
  assert.equal(acksOf('all'), 'all');
  assert.equal(acksOf('-1'), 'all');
});

test('settings and topic config keep the text written, numbers included', () => {
  const text = withLine('  brokers: 3', '  brokers: 3\n  settings: { replica.lag.time.max.ms: 10000, log.flush.interval.messages: "1", auto.create.topics.enable: false }');
  const scenario = parseScenario(text, 'x.yaml');
  assert.deepEqual(scenario.cluster.settings, { 'replica.lag.time.max.ms': '10000', 'log.flush.interval.messages': '1', 'auto.create.topics.enable': 'false' });
});

test('every fault kind and the partition, degrade and restart options', () => {
  const faultLine = '    fault: { kind: kill, target: "leader:test1" }';
  const faultOf = (body: string) => parseScenario(withLine(faultLine, `    fault: ${body}`), 'x.yaml').faults[0]?.fault;
  assert.deepEqual(faultOf('{ kind: restart, target: n1, restartMode: kill, downMs: 5000, graceMs: 100 }'), { kind: 'restart', target: { kind: 'node', ref: 'n1' }, graceMs: 100, restartMode: 'kill', downMs: 5000 });
  assert.deepEqual(faultOf('{ kind: partition, groups: [[n1], [n2, n3]], oneWay: true }'), { kind: 'partition', groups: [[node('n1')], [node('n2'), node('n3')]], oneWay: true });
  assert.deepEqual(faultOf('{ kind: partition, groups: [["leader:test1", 2], rest] }'), { kind: 'partition', groups: [[{ kind: 'leader', topic: 'test1', partition: 0 }, node('2')], 'rest'] });
  assert.deepEqual(faultOf('{ kind: partition, shape: "minority-with:leader:test1" }'), { kind: 'partition', shape: { kind: 'minority-with', target: { kind: 'leader', topic: 'test1', partition: 0 } } });
  assert.deepEqual(faultOf('{ kind: partition, shape: majorities-ring }'), { kind: 'partition', shape: { kind: 'majorities-ring' } });
  assert.deepEqual(faultOf('{ kind: partition, target: controller, from: [n2, n3], clients: true }'), { kind: 'partition', target: { kind: 'controller' }, from: { nodes: [node('n2'), node('n3')] }, clients: true });
  assert.deepEqual(faultOf('{ kind: degrade, target: "follower:test1/0", peers: all, latencyMs: 100, jitterMs: 10, flaky: { upMs: 500, downMs: 200 } }'), {
    kind: 'degrade', target: { kind: 'follower', topic: 'test1', partition: 0 }, peers: 'all', latencyMs: 100, jitterMs: 10, flaky: { upMs: 500, downMs: 200 },
  });
  assert.deepEqual(faultOf('{ kind: fill-disk, target: broker:2 }'), { kind: 'fill-disk', target: node('2') });
  for (const kind of ['terminate', 'pause', 'resume', 'start']) assert.deepEqual(faultOf(`{ kind: ${kind}, target: random }`), { kind, target: { kind: 'random' } });
});

test('afterMs triggers and healAfterMs', () => {
  const text = withLine('  - at: { sentFraction: 0.3 }', '  - at: { afterMs: 10000 }\n    healAfterMs: 20000');
  assert.deepEqual(parseScenario(text, 'x.yaml').faults[0], { at: { afterMs: 10000 }, fault: { kind: 'kill', target: { kind: 'leader', topic: 'test1', partition: 0 } }, healAfterMs: 20000 });
});

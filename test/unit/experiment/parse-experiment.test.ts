import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFile } from '../../../src/experiment/load-file.js';
import { VALID_SCENARIO } from '../scenario/fixtures.js';
import { experimentWithLine as w, parseExperimentText, VALID_EXPERIMENT } from './fixtures.js';

const LEADER_T1 = { kind: 'leader', topic: 't1', partition: 0 } as const;

test('one loader for both: a file without method: is a scenario, with method: an experiment', () => {
  const scenario = parseFile(VALID_SCENARIO, 's.yaml');
  assert.equal(scenario.kind, 'scenario');
  assert.equal(scenario.kind === 'scenario' ? scenario.scenario.name : '', 't1');
  const experiment = parseFile(VALID_EXPERIMENT, 'e.yaml');
  assert.equal(experiment.kind, 'experiment');
});

test('an experiment is plain typed data with defaults filled in', () => {
  const file = parseExperimentText(VALID_EXPERIMENT);
  assert.deepEqual(file.matrix, []);
  assert.equal(file.variants.length, 1);
  const [variant] = file.variants;
  assert.equal(variant?.name, 'e1');
  assert.deepEqual(variant?.values, {});
  const experiment = variant?.experiment;
  assert.deepEqual(experiment?.topics.map((t) => [t.name, t.partitions, t.replicationFactor]), [['t1', 3, 3], ['t2', 1, 3]]);
  assert.deepEqual(experiment?.workloads, [
    { kind: 'producer', name: 'load', topic: 't1', acks: 'all', producers: 1, rateMsgsPerSec: 100, idempotent: false },
    { kind: 'consumer-group', name: 'readers', topic: 't1', groupId: 'readers', members: 3, commit: 'sync' },
  ]);
  assert.deepEqual(experiment?.steadyState, [{ name: 'healthy', kind: 'cluster-health' }]);
  assert.deepEqual(experiment?.safeguards, [{ name: 'not-all-down', kind: 'cluster-health' }]);
  assert.deepEqual(experiment?.method, [
    { kind: 'start', workload: 'load' },
    { kind: 'start', workload: 'readers' },
    { name: 'kill-leader', kind: 'fault', fault: { kind: 'kill', target: LEADER_T1 } },
    { kind: 'wait', ms: 5000 },
    { kind: 'heal', heal: { step: 'kill-leader' } },
    { kind: 'cluster', action: 'rolling-restart', restartMode: 'kill', downMs: 1000 },
    { kind: 'probe', probe: { name: 'round-trip', kind: 'round-trip' } },
    { kind: 'repeat', times: 2, steps: [{ kind: 'wait', ms: 100 }] },
  ]);
  assert.deepEqual(experiment?.rollbacks, [{ kind: 'heal', heal: 'all' }, { kind: 'stop', workload: 'load' }]);
  assert.deepEqual(experiment?.budgets, { roundTripRecoveredMs: 15000, detectionMs: 10000 });
});

test('topic: (one) works in experiments; a workload then defaults to it', () => {
  const text = w('topics:', 'topic: { name: t1 }').replace('  - { name: t1, partitions: 3 }\n  - { name: t2 }\n', '').replace(', topic: t1', '');
  const experiment = parseExperimentText(text).variants[0]?.experiment;
  assert.deepEqual(experiment?.topics.map((t) => t.name), ['t1']);
  assert.equal(experiment?.workloads[0]?.topic, 't1');
});

test('fault steps keep healAfterMs; cluster steps default to terminate, 0 ms down; a heal may name a later fault', () => {
  const text = w('  - heal: kill-leader', '  - heal: later')
    .replace('  - cluster: { action: rolling-restart, restartMode: kill, downMs: 1000 }', '  - cluster: { action: full-restart }\n  - name: later\n    fault: { kind: pause, target: controller }\n    healAfterMs: 3000');
  const method = parseExperimentText(text).variants[0]?.experiment.method ?? [];
  assert.deepEqual(method[5], { kind: 'cluster', action: 'full-restart', restartMode: 'terminate', downMs: 0 });
  assert.deepEqual(method[6], { name: 'later', kind: 'fault', fault: { kind: 'pause', target: { kind: 'controller' } }, healAfterMs: 3000 });
});

test('a literal ${ is written $${ (e.g. a shell variable in a command probe)', () => {
  const text = w('  - probe: { name: round-trip, kind: round-trip }', '  - probe: { name: mine, kind: command, command: "echo $${HOME}" }');
  assert.equal(parseExperimentText(text).variants[0]?.experiment.method[6]?.kind, 'probe');
  const step = parseExperimentText(text).variants[0]?.experiment.method[6];
  assert.equal(step?.kind === 'probe' ? step.probe['command'] : undefined, 'echo ${HOME}');
});

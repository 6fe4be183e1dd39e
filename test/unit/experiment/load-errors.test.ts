import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VALID_SCENARIO, withLine } from '../scenario/fixtures.js';
import { errorOf, experimentWithLine as w, parseExperimentText, VALID_EXPERIMENT } from './fixtures.js';

const WAIT = '  - wait: { ms: 5000 }';
const RANDOM = (body: string): string => w(WAIT, `  - random: { forMs: 10000, intervalMs: { min: 500, max: 2000 }, ${body} }`);

test('apiVersion: required, positioned, saying what to add; another version is refused', () => {
  assert.equal(errorOf(withLine('apiVersion: faultline/v1', '')), "2:1: apiVersion: missing (required); add the line 'apiVersion: faultline/v1' at the top of the file");
  assert.equal(errorOf(w('apiVersion: faultline/v1', 'apiVersion: faultline/v2')), "1:13: apiVersion: unknown version 'faultline/v2'; this faultline reads faultline/v1");
  assert.equal(errorOf(w('apiVersion: faultline/v1', 'apiVersion: 1')), '1:13: apiVersion: expected text, got number 1');
});

test('scenario keys in an experiment and experiment sections in a scenario are refused with advice', () => {
  assert.match(errorOf(w('topics:', 'workload: {}\ntopics:')), /^5:1: workload: a scenario key, not allowed in an experiment \(a file with method:\); an experiment declares background workloads under workloads:/);
  assert.equal(errorOf(`${VALID_SCENARIO}budgets: {}\n`), '17:10: budgets: an experiment section; a file without method: is a scenario (add method: to make it an experiment)');
  assert.equal(errorOf(w('  - { name: t2 }', '  - { name: t2 }\ntopic: { name: t3 }')), '6:3: topics: give either topic (one) or topics (a list), not both');
});

test('a step naming a workload that does not exist', () => {
  assert.equal(errorOf(w('  - start: load', '  - start: lod')), "16:12: method[0].start: no workload named 'lod' (did you mean 'load'?); workloads: load, readers");
  assert.equal(errorOf(w('  - stop: load', '  - stop: writer')), "27:11: rollbacks[1].stop: no workload named 'writer'; workloads: load, readers");
});

test('a heal naming no fault step', () => {
  assert.equal(errorOf(w('  - heal: kill-leader', '  - heal: kill-leeder')), "21:11: method[4].heal: no fault step named 'kill-leeder' (did you mean 'kill-leader'?); name a fault step (name: ...) or write heal: all");
  assert.equal(errorOf(w('  - wait: { ms: 5000 }', '  - name: pause\n    wait: { ms: 5000 }').replace('heal: kill-leader', 'heal: pause')), "22:11: method[4].heal: step 'pause' is a wait step; heal names a fault step");
});

test('a budget with no measure of that name, and budget bounds', () => {
  const budgets = 'budgets: { roundTripRecoveredMs: 15000, detectionMs: 10000 }';
  assert.equal(
    errorOf(w(budgets, 'budgets: { roundTripMs: 15000 }')),
    "28:12: budgets.roundTripMs: no recovery measure named 'roundTripMs'; measures: faultEffectiveMs, detectionMs, firstWriteMs, roundTripRecoveredMs, lagRecoveredMs, steadyStateRecoveredMs",
  );
  assert.match(errorOf(w(budgets, 'budgets: { detectionMS: 1 }')), /^28:12: budgets\.detectionMS: no recovery measure named 'detectionMS' \(did you mean 'detectionMs'\?\)/);
  assert.equal(errorOf(w(budgets, 'budgets: { detectionMs: 0 }')), '28:25: budgets.detectionMs: expected 1..3600000, got 0');
});

test('duplicate probe, step and topic names; the reserved step name all', () => {
  assert.equal(
    errorOf(w('  - { name: not-all-down, kind: cluster-health }', '  - { name: healthy, kind: cluster-health }')),
    "14:13: safeguards[0].name: duplicate probe name 'healthy'; probe names are unique across steadyState, safeguards and probe steps",
  );
  assert.equal(errorOf(w('  - probe: { name: round-trip, kind: round-trip, topic: t1 }', '  - probe: { name: healthy, kind: round-trip, topic: t1 }')), "23:20: method[6].probe.name: duplicate probe name 'healthy'; probe names are unique across steadyState, safeguards and probe steps");
  assert.equal(errorOf(w('  - probe: { name: round-trip, kind: round-trip, topic: t1 }', '  - probe: { name: round-trip, kind: round-trip, topic: t1 }\n    name: kill-leader')), "24:11: method[6].name: duplicate step name 'kill-leader'; step names are unique in an experiment");
  assert.equal(errorOf(w('  - name: kill-leader', '  - name: all')), "18:11: method[2].name: 'all' is reserved (heal: all heals every fault); choose another step name");
  assert.equal(errorOf(w('  - { name: t2 }', '  - { name: t1 }')), "7:13: topics[1].name: duplicate topic 't1'");
});

test('probes are parsed by the probes parser, positioned', () => {
  assert.equal(errorOf(w('  - { name: healthy, kind: cluster-health }', '  - { name: healthy, kind: health }')), "12:28: steadyState[0].kind: unknown probe 'health'; known probes: cluster-health, round-trip, consumer-group, topic-view, command, checker");
});

test('steps: one action each, known keys, healAfterMs only on faults', () => {
  assert.equal(errorOf(w(WAIT, `${WAIT}\n    stop: load`)), '21:11: method[3].stop: one action per step; this step has wait and stop');
  assert.equal(errorOf(w(WAIT, '  - wiat: { ms: 5000 }')), '20:5: method[3].wiat: unknown key; known keys: fault, heal, wait, start, stop, cluster, probe, repeat, random, name, healAfterMs');
  assert.equal(errorOf(w(WAIT, '  - name: x')), '20:5: method[3]: expected a step: one of fault, heal, wait, start, stop, cluster, probe, repeat, random');
  assert.equal(errorOf(w(WAIT, `${WAIT}\n    healAfterMs: 10`)), '21:18: method[3].healAfterMs: only a fault step has healAfterMs');
  assert.equal(errorOf(w(WAIT, '  - wait: { ms: 99999999999 }')), '20:17: method[3].wait.ms: expected 0..21600000, got 99999999999');
  assert.equal(errorOf(w('    fault: { kind: kill, target: "leader:t1" }', '    fault: { kind: kill, target: "leader:t9" }')), "19:34: method[2].fault.target: target 'leader:t9' names topic 't9', which the experiment does not declare (topics: t1, t2)");
  assert.equal(errorOf(w('  - cluster: { action: rolling-restart, restartMode: kill, downMs: 1000 }', '  - cluster: { action: reboot }')), "22:24: method[5].cluster.action: unknown cluster action 'reboot'; expected one of rolling-restart, full-restart");
  const noMethod = VALID_EXPERIMENT.split('\n').slice(0, 14).join('\n');
  assert.equal(errorOf(`${noMethod}\nmethod: []\n`), '15:9: method: expected at least one step');
});

test('repeat is bounded: times or forMs, not both, within limits, nesting limited', () => {
  const repeat = '  - repeat: { times: 2, steps: [{ wait: { ms: 100 } }] }';
  assert.equal(errorOf(w(repeat, '  - repeat: { times: 2000, steps: [{ wait: { ms: 100 } }] }')), '24:22: method[7].repeat.times: expected 1..1000, got 2000');
  assert.equal(errorOf(w(repeat, '  - repeat: { steps: [{ wait: { ms: 100 } }] }')), '24:13: method[7].repeat: expected times (how many rounds) or forMs (how long)');
  assert.equal(errorOf(w(repeat, '  - repeat: { times: 2, forMs: 5, steps: [{ wait: { ms: 100 } }] }')), '24:32: method[7].repeat.forMs: give either times or forMs, not both');
  assert.equal(errorOf(w(repeat, '  - repeat: { forMs: 99999999999, steps: [{ wait: { ms: 100 } }] }')), '24:22: method[7].repeat.forMs: expected 1..21600000, got 99999999999');
  const nested = '  - repeat: { times: 2, steps: [{ repeat: { times: 2, steps: [{ repeat: { times: 2, steps: [{ repeat: { times: 2, steps: [{ wait: { ms: 1 } }] } }] } }] } }] }';
  assert.equal(errorOf(w(repeat, nested)), '24:103: method[7].repeat.steps[0].repeat.steps[0].repeat.steps[0].repeat: repeat steps nest at most 3 deep');
});

test('workloads: kinds, topics and the workloads own validators', () => {
  const load = '  load: { kind: producer, topic: t1, acks: all, rateMsgsPerSec: 100 }';
  const readers = '  readers: { kind: consumer-group, topic: t1, members: 3 }';
  assert.equal(errorOf(w(load, '  load: { kind: producer, topic: t3, acks: all, rateMsgsPerSec: 100 }')), "9:34: workloads.load.topic: unknown topic 't3'; the experiment declares t1, t2");
  assert.equal(errorOf(w(load, '  load: { kind: producer, acks: all, rateMsgsPerSec: 100 }')), '9:9: workloads.load.topic: missing (required)');
  assert.equal(errorOf(w(load, '  load: { kind: producer, topic: t1, acks: all, rateMsgsPerSec: 100, producers: 100 }')), '9:81: workloads.load.producers: expected a whole number 1..64, got 100');
  assert.equal(errorOf(w(load, '  load: { kind: producer, topic: t1, acks: all, rateMsgsPerSec: 100, count: 1e300 }')), '9:77: workloads.load.count: expected a whole number 1..1000000000, got 1e+300');
  assert.equal(errorOf(w(readers, '  readers: { kind: consumer-group, topic: t1, members: 300 }')), '10:56: workloads.readers.members: expected a whole number 1..16, got 300');
  assert.equal(errorOf(w(readers, '  readers: { kind: consumers, topic: t1, members: 3 }')), "10:20: workloads.readers.kind: unknown workload kind 'consumers'; expected one of producer, consumer-group");
  assert.equal(errorOf(w(readers, '  readers: { kind: consumer-group, topic: t1, commit: never }')), "10:55: workloads.readers.commit: unknown commit mode 'never'; expected one of sync, auto");
});

test('random schedules: bounds, templates validated with every target, targets needed', () => {
  assert.equal(
    errorOf(RANDOM('faults: [{ kind: kill }, { kind: pause }], targets: [controller, "leader:zz"]')),
    "20:131: method[3].random.targets[1]: target 'leader:zz' names topic 'zz', which the experiment does not declare (topics: t1, t2) (drawn for method[3].random.faults[0])",
  );
  assert.equal(errorOf(RANDOM('faults: [{ kind: kill }, { kind: degrade }], targets: [controller]')), '20:91: method[3].random.faults[1]: degrade needs at least one of latencyMs, jitterMs, bandwidthBytesPerSec, lossPercent, flaky');
  assert.equal(errorOf(RANDOM('faults: [{ kind: kill }]')), '20:75: method[3].random.faults[0]: this fault has no target and the schedule lists no targets to draw from');
  assert.equal(errorOf(RANDOM('faults: []')), '20:74: method[3].random.faults: expected at least one fault');
  assert.equal(errorOf(w(WAIT, '  - random: { forMs: 10000, intervalMs: { min: 50, max: 2000 }, faults: [{ kind: kill, target: n1 }] }')), '20:48: method[3].random.intervalMs.min: expected 100..10000, got 50');
  assert.equal(errorOf(w(WAIT, '  - random: { forMs: 10000, intervalMs: { min: 500, max: 200 }, faults: [{ kind: kill, target: n1 }] }')), '20:58: method[3].random.intervalMs.max: max 200 is less than min 500');
});

test('the fixture itself is valid', () => {
  assert.equal(parseExperimentText(VALID_EXPERIMENT).variants.length, 1);
});

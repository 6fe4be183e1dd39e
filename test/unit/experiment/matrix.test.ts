import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorOf, experimentWithLine as w, parseExperimentText } from './fixtures.js';

const FAULT = '    fault: { kind: kill, target: "leader:t1" }';
const CLUSTER = '  - cluster: { action: rolling-restart, restartMode: kill, downMs: 1000 }';

function matrixText(matrix: string): string {
  return w('title: Test experiment', `title: Test experiment\nmatrix: ${matrix}`)
    .replace(CLUSTER, '  - cluster: { action: rolling-restart, restartMode: "${restartMode}", downMs: 1000 }')
    .replace(FAULT, '    fault: { kind: restart, target: "${target}", restartMode: "${restartMode}" }');
}

test('a matrix expands into every combination, first key outermost, named <name>[key=value,...]', () => {
  const file = parseExperimentText(matrixText('{ restartMode: [terminate, kill], target: ["leader:t1", controller, "coordinator:g"] }'));
  assert.deepEqual(file.matrix, [
    { key: 'restartMode', values: ['terminate', 'kill'] },
    { key: 'target', values: ['leader:t1', 'controller', 'coordinator:g'] },
  ]);
  assert.deepEqual(file.variants.map((v) => v.name), [
    'e1[restartMode=terminate,target=leader:t1]',
    'e1[restartMode=terminate,target=controller]',
    'e1[restartMode=terminate,target=coordinator:g]',
    'e1[restartMode=kill,target=leader:t1]',
    'e1[restartMode=kill,target=controller]',
    'e1[restartMode=kill,target=coordinator:g]',
  ]);
  const variant = file.variants[4];
  assert.deepEqual(variant?.values, { restartMode: 'kill', target: 'controller' });
  assert.deepEqual(variant?.experiment.method[2], { name: 'kill-leader', kind: 'fault', fault: { kind: 'restart', target: { kind: 'controller' }, restartMode: 'kill' } });
  assert.deepEqual(variant?.experiment.method[5], { kind: 'cluster', action: 'rolling-restart', restartMode: 'kill', downMs: 1000 });
  assert.equal(variant?.experiment.name, 'e1', 'the experiment keeps the file name; the variant name carries the values');
});

test('a whole-value placeholder keeps the value type; inside text it is interpolated', () => {
  const text = w('title: Test experiment', 'title: Test experiment\nmatrix: { downMs: [0, 2500], topic: [t1] }')
    .replace(CLUSTER, '  - cluster: { action: full-restart, downMs: "${downMs}" }')
    .replace(FAULT, '    fault: { kind: kill, target: "leader:${topic}" }');
  const [first, second] = parseExperimentText(text).variants;
  assert.equal(second?.name, 'e1[downMs=2500,topic=t1]');
  assert.deepEqual(first?.experiment.method[5], { kind: 'cluster', action: 'full-restart', restartMode: 'terminate', downMs: 0 });
  assert.deepEqual(second?.experiment.method[5], { kind: 'cluster', action: 'full-restart', restartMode: 'terminate', downMs: 2500 });
  assert.deepEqual(first?.experiment.method[2], { name: 'kill-leader', kind: 'fault', fault: { kind: 'kill', target: { kind: 'leader', topic: 't1', partition: 0 } } });
});

test('every variant is validated as if written by hand: an error names the variant, positioned at the placeholder', () => {
  assert.equal(
    errorOf(matrixText('{ restartMode: [terminate, kill], target: [controller, "leader:t7"] }')),
    "20:37: [restartMode=terminate,target=leader:t7] method[2].fault.target: target 'leader:t7' names topic 't7', which the experiment does not declare (topics: t1, t2)",
  );
  assert.equal(
    errorOf(matrixText('{ restartMode: [terminate, stop], target: [controller] }')),
    "20:63: [restartMode=stop,target=controller] method[2].fault.restartMode: expected one of terminate, kill, got 'stop'",
  );
});

test('matrix rules: placeholders name keys, keys are used, values are scalars and unique, variants bounded', () => {
  assert.equal(errorOf(matrixText('{ restartMode: [kill] }')), '20:37: method[2].fault.target: placeholder ${target} names no matrix key; matrix keys: restartMode');
  assert.equal(errorOf(matrixText('{ restartMode: [kill], target: [controller], extra: [1] }')), "4:54: matrix.extra: matrix key 'extra' is used by no ${extra} placeholder");
  assert.equal(errorOf(matrixText('{ restartMode: [kill, kill], target: [controller] }')), "4:31: matrix.restartMode[1]: duplicate value 'kill'");
  assert.equal(errorOf(matrixText('{ restartMode: [[kill]], target: [controller] }')), '4:25: matrix.restartMode[0]: expected a value (text, number or true/false)');
  assert.equal(errorOf(matrixText('{ restartMode: [], target: [controller] }')), '4:24: matrix.restartMode: expected at least one value');
  const many = Array.from({ length: 65 }, (_, i) => `n${i}`).join(', ');
  assert.equal(errorOf(matrixText(`{ restartMode: [kill], target: [${many}] }`)), '4:9: matrix: 65 variants; a matrix expands into at most 64');
  assert.equal(errorOf(matrixText('{ restartMode: [kill], target: [n1] }').replace('matrix: ', 'matrix:  ').replace('title: Test experiment\n', 'title: Test experiment\nseed: "${x}"\n')), '4:7: seed: placeholder ${x} names no matrix key; matrix keys: restartMode, target');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { RECOVERY_MEASURES, STEP_KINDS } from '../../../src/experiment/experiment.js';
import { EXPERIMENT_KEYS } from '../../../src/experiment/read-experiment.js';
import { loadFile, parseFile } from '../../../src/experiment/load-file.js';
import { FAULT_KEYS, FAULT_KINDS } from '../../../src/nemesis/fault-request.js';
import { SCHEMA_COMMENT } from '../../../src/scenario/file-format.js';
import { QUEUE_ANOMALY_NAMES } from '../../../src/checker/queue-verdict.js';
import { QUEUE_WORKLOAD_KEYS } from '../../../src/scenario/read-queue-workload.js';
import { PIPELINE_TRIGGER_KEYS, SCENARIO_KEYS } from '../../../src/scenario/read-scenario.js';
import { PIPELINE_JOB_KEYS, PIPELINE_WINDOWS_KEYS, PIPELINE_WORKLOAD_KEYS } from '../../../src/scenario/read-pipeline-workload.js';
import { DUPLICATE_EXPECTATIONS, KEY_COUNT_EXPECTATIONS, LOSS_EXPECTATIONS } from '../../../src/scenario/scenario.js';
import { EXPECT_KEYS } from '../../../src/scenario/read-expectation.js';
import { JOB_FAULT_KEYS, JOB_FAULT_KINDS } from '../../../src/job/job-fault.js';
import { VALID_PIPELINE_SCENARIO, VALID_QUEUE_SCENARIO, VALID_SCENARIO, withLine, withPipelineLine as pl, withQueueLine as q } from '../scenario/fixtures.js';
import { experimentWithLine as w, VALID_EXPERIMENT } from './fixtures.js';

// dist/test/unit/experiment -> repository root
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'faultline-v1.schema.json'), 'utf8')) as SchemaShape;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

interface SchemaShape {
  properties: Record<string, unknown>;
  definitions: Record<string, { properties?: Record<string, { anyOf?: { enum?: unknown[] }[]; properties?: Record<string, unknown> }> }>;
}

function schemaAccepts(text: string): { ok: boolean; errors: string } {
  const ok = validate(parse(text) as unknown);
  return { ok, errors: JSON.stringify(validate.errors) };
}

/** Every shipped scenario/experiment file: scenarios/, experiments/ (when present) and the test fixtures. */
function shippedFiles(): string[] {
  const dirs = [join(ROOT, 'scenarios', 'kafka'), join(ROOT, 'scenarios', 'kafka-queue'), join(ROOT, 'scenarios', 'pipeline'), join(ROOT, 'experiments', 'kafka'), join(ROOT, 'test', 'fixtures', 'experiments')];
  return dirs.flatMap((dir) => {
    try {
      return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f));
    } catch {
      return [];
    }
  });
}

test('the schema accepts every valid file in the repository, and every such file starts with the editor line', () => {
  const files = shippedFiles();
  assert.ok(files.length >= 22, `expected the 13 scenarios, the 7 queue scenarios and the example experiments, got ${files.length}`);
  for (const file of files) {
    loadFile(file);
    const text = readFileSync(file, 'utf8');
    const result = schemaAccepts(text);
    assert.ok(result.ok, `${file}: ${result.errors}`);
    assert.ok(text.startsWith(SCHEMA_COMMENT.replace('../../', file.includes('/test/fixtures/') ? '../../../' : '../../')), `${file}: first line should be the yaml-language-server line`);
  }
  assert.ok(schemaAccepts(VALID_SCENARIO).ok);
  assert.ok(schemaAccepts(VALID_EXPERIMENT).ok);
  assert.ok(schemaAccepts(VALID_QUEUE_SCENARIO).ok);
  assert.ok(schemaAccepts(VALID_PIPELINE_SCENARIO).ok, schemaAccepts(VALID_PIPELINE_SCENARIO).errors);
  assert.ok(files.filter((f) => f.includes('/scenarios/pipeline/')).length >= 8, 'the pipeline scenarios are checked');
});

/** Files the loader rejects whose problem is one of shape (keys, types, enums, bounds): the schema rejects them too. */
const INVALID = [
  withLine('apiVersion: faultline/v1', ''),
  withLine('apiVersion: faultline/v1', 'apiVersion: faultline/v2'),
  withLine('  count: 100', '  cuont: 100'),
  withLine('  count: 100', '  count: "100"'),
  withLine('  brokers: 3', '  brokers: 12'),
  withLine('    fault: { kind: kill, target: "leader:test1" }', '    fault: { kind: explode, target: "leader:test1" }'),
  withLine('    fault: { kind: kill, target: "leader:test1" }', '    fault: { kind: kill, target: "leader:test1", latencyMs: 5 }'),
  `${VALID_SCENARIO}budgets: {}\n`,
  w('topics:', 'workload: {}\ntopics:'),
  w('budgets: { roundTripRecoveredMs: 15000, detectionMs: 10000 }', 'budgets: { roundTripMs: 15000 }'),
  w('budgets: { roundTripRecoveredMs: 15000, detectionMs: 10000 }', 'budgets: { detectionMs: 0 }'),
  w('  - wait: { ms: 5000 }', '  - wiat: { ms: 5000 }'),
  w('  - wait: { ms: 5000 }', '  - wait: { ms: 5000 }\n    stop: load'),
  w('  - wait: { ms: 5000 }', '  - name: x'),
  w('  - wait: { ms: 5000 }', '  - wait: { ms: 99999999999 }'),
  w('  - name: kill-leader', '  - name: all'),
  w('  - repeat: { times: 2, steps: [{ wait: { ms: 100 } }] }', '  - repeat: { times: 2000, steps: [{ wait: { ms: 100 } }] }'),
  w('  - repeat: { times: 2, steps: [{ wait: { ms: 100 } }] }', '  - repeat: { steps: [{ wait: { ms: 100 } }] }'),
  w('  - repeat: { times: 2, steps: [{ wait: { ms: 100 } }] }', '  - repeat: { times: 2, forMs: 5, steps: [{ wait: { ms: 100 } }] }'),
  w('  - cluster: { action: rolling-restart, restartMode: kill, downMs: 1000 }', '  - cluster: { action: reboot }'),
  w('  readers: { kind: consumer-group, topic: t1, members: 3 }', '  readers: { kind: consumers, topic: t1, members: 3 }'),
  w('  readers: { kind: consumer-group, topic: t1, members: 3 }', '  readers: { kind: consumer-group, topic: t1, members: 300 }'),
  w('  load: { kind: producer, topic: t1, acks: all, rateMsgsPerSec: 100 }', '  load: { kind: producer, topic: t1, acks: all, rateMsgsPerSec: 100, producers: 100 }'),
  w('  - { name: healthy, kind: cluster-health }', '  - { name: healthy, kind: health }'),
  w('  - wait: { ms: 5000 }', '  - random: { forMs: 10000, intervalMs: { min: 50, max: 2000 }, faults: [{ kind: kill, target: n1 }] }'),
  w('title: Test experiment', 'title: Test experiment\nmatrix: { mode: [] }'),
  q('  opsPerProcess: 60', ''),
  q('  opsPerProcess: 60', '  opsPerProcess: 0'),
  q('  rateOpsPerSec: 20', '  rateOpsPerSec: 20\n  processes: 17'),
  q('  rateOpsPerSec: 20', '  rateOpsPerSec: 20\n  acks: all'),
  q('  mix: { send: 1, poll: 1, txn: 2 }', '  mix: { send: 1, pol: 1 }'),
  q('  mix: { send: 1, poll: 1, txn: 2 }', '  mix: { send: 1, poll: -1 }'),
  q('  crashProbability: 0.05', '  crashProbability: 1.5'),
  q('  crashProbability: 0.05', '  isolation: serializable'),
  q('  crashProbability: 0.05', '  consumerMode: share'),
  q('  anomalies: { G1a: none, lost-write: none, G0: any }', '  anomalies: { lost-writes: none }'),
  q('  anomalies: { G1a: none, lost-write: none, G0: any }', '  anomalies: { G1a: never }'),
  withLine('  count: 100', '  count: 100\n  opsPerProcess: 100'),
  pl('  count: 300', '  count: 300\n  acks: all'),
  pl('  count: 300', '  count: 300\n  keys: 0'),
  pl('    engine: kafka-streams', '    engine: flink'),
  pl('    engine: kafka-streams', '    engine: command\n    command: []'),
  pl('    params: { allowFail: true, messagesPerFail: 10 }', '    params: { allow_fail: true }'),
  pl('    params: { allowFail: true, messagesPerFail: 10 }', '    params: { allowFail: [1] }'),
  pl('    params: { allowFail: true, messagesPerFail: 10 }', '    appId: x'),
  pl('    fault: { kind: job-kill }', '    fault: { kind: job-kill, params: { a: 1 } }'),
  pl('    fault: { kind: job-kill }', '    fault: { kind: job-kill, target: n1 }'),
  pl('    fault: { kind: job-kill }', '    fault: { kind: job-update }'),
  pl('    fault: { kind: job-kill }', '    fault: { kind: job-update, params: {} }'),
  pl('    fault: { kind: job-kill }', '    fault: { kind: job-update, params: { allow-fail: 0 } }'),
  pl('    fault: { kind: job-kill }', '    fault: { kind: state-delete, version: v2 }'),
  pl('  - at: { outputCount: 100 }', '  - at: { outputCount: 0 }'),
  pl('  duplicates: some', '  duplicates: many'),
  pl('    fault: { kind: job-kill }', '    fault: { kind: job-partition, version: v2 }'),
  pl('    fault: { kind: job-kill }', '    fault: { kind: job-kill, from: n1 }'),
  pl('    fault: { kind: job-kill }', '    fault: { kind: job-partition, from: [] }'),
];

test('the schema rejects the invalid files the loader rejects for their shape', () => {
  for (const text of INVALID) {
    assert.throws(() => parseFile(text, 'x.yaml'), { name: 'UsageError' });
    assert.equal(schemaAccepts(text).ok, false, `the schema accepts what the loader rejects:\n${text}`);
  }
});

test('the schema names the same keys, kinds and measures as the loader', () => {
  assert.deepEqual(Object.keys(schema.properties).sort(), [...new Set([...SCENARIO_KEYS, ...EXPERIMENT_KEYS])].sort());
  const step = schema.definitions['step']?.properties ?? {};
  assert.deepEqual(Object.keys(step).filter((k) => k !== 'name' && k !== 'healAfterMs').sort(), [...STEP_KINDS].sort());
  const budgets = (schema.properties['budgets'] as { properties: Record<string, unknown> }).properties;
  assert.deepEqual(Object.keys(budgets), [...RECOVERY_MEASURES]);
  assert.deepEqual(schema.definitions['fault']?.properties?.['kind']?.anyOf?.[0]?.enum, [...FAULT_KINDS]);
  assert.deepEqual(Object.keys(schema.definitions['queueWorkload']?.properties ?? {}), QUEUE_WORKLOAD_KEYS);
  assert.deepEqual(Object.keys(schema.definitions['pipelineWorkload']?.properties ?? {}), PIPELINE_WORKLOAD_KEYS);
  assert.deepEqual(Object.keys(schema.definitions['pipelineWorkload']?.properties?.['job']?.properties ?? {}), PIPELINE_JOB_KEYS);
  assert.deepEqual(Object.keys(schema.definitions['pipelineWorkload']?.properties?.['windows']?.properties ?? {}).sort(), [...PIPELINE_WINDOWS_KEYS].sort());
  const expect = (schema.properties['expect'] as { properties: Record<string, { enum?: string[] }> }).properties;
  assert.deepEqual(expect['lost']?.enum, [...LOSS_EXPECTATIONS]);
  assert.deepEqual(expect['duplicates']?.enum, [...DUPLICATE_EXPECTATIONS]);
  assert.deepEqual(expect['lateDrops']?.enum, [...LOSS_EXPECTATIONS]);
  assert.deepEqual(expect['keyCounts']?.enum, [...KEY_COUNT_EXPECTATIONS]);
  assert.deepEqual(Object.keys(expect).sort(), [...EXPECT_KEYS].sort());
  const anomalies = (schema.properties['expect'] as { properties: { anomalies: { propertyNames: { enum: string[] } } } }).properties.anomalies;
  assert.deepEqual(anomalies.propertyNames.enum, [...QUEUE_ANOMALY_NAMES]);
});

test('the schema allows each fault kind exactly the keys the nemesis parser allows', () => {
  const fault = schema.definitions['fault'] as unknown as { allOf: { if: { properties: { kind: { const: string } } }; then: { propertyNames: { enum: string[] } } }[] };
  const byKind = Object.fromEntries(fault.allOf.map((rule) => [rule.if.properties.kind.const, rule.then.propertyNames.enum]));
  assert.deepEqual(byKind, Object.fromEntries(FAULT_KINDS.map((kind) => [kind, ['kind', ...FAULT_KEYS[kind]]])));
});

test('the schema tells job faults from broker faults by the same kinds, and allows each job fault kind the keys its parser allows', () => {
  const scheduled = schema.definitions['scheduledFault'] as unknown as { properties: { at: { oneOf: { required: string[] }[] }; fault: { if: { properties: { kind: { enum: string[] } } } } } };
  assert.deepEqual(scheduled.properties.fault.if.properties.kind.enum, [...JOB_FAULT_KINDS]);
  assert.deepEqual(scheduled.properties.at.oneOf.map((o) => o.required[0]), [...PIPELINE_TRIGGER_KEYS]);
  const jobFault = schema.definitions['jobFault'] as unknown as { properties: { kind: { enum: string[] } }; allOf: { if: { properties: { kind: { const: string } } }; then: { propertyNames: { enum: string[] } } }[] };
  assert.deepEqual(jobFault.properties.kind.enum, [...JOB_FAULT_KINDS]);
  const byKind = Object.fromEntries(jobFault.allOf.map((rule) => [rule.if.properties.kind.const, rule.then.propertyNames.enum]));
  assert.deepEqual(byKind, Object.fromEntries(JOB_FAULT_KINDS.map((kind) => [kind, ['kind', 'target', ...JOB_FAULT_KEYS[kind]]])));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateJobSpec } from '../../../src/job/job-spec.js';
import { pipelineJobSpec } from '../../../src/scenario/read-pipeline-workload.js';
import { loadScenarioDir, parseScenario } from '../../../src/scenario/load-scenario.js';
import { applyFullSize, keyCountExpectation, totalTriggerUnits } from '../../../src/scenario/scenario.js';
import { scenarioErrorOf, VALID_PIPELINE_SCENARIO as VALID, withLine, withPipelineLine as p } from './fixtures.js';

const assertError = (text: string, expected: string): void => assert.equal(scenarioErrorOf(text, 'p.yaml'), `p.yaml:${expected}`);
const PARAMS_LINE = '    params: { allowFail: true, messagesPerFail: 10 }';
const RATE_LINE = '  rateMsgsPerSec: 100';
const JOB_FAULT_LINE = '    fault: { kind: job-kill }';

test('a pipeline scenario loads with its defaults filled in', () => {
  const scenario = parseScenario(VALID, 'p.yaml');
  assert.deepEqual(scenario.workload, {
    kind: 'pipeline', count: 300, fullCount: 300, rateMsgsPerSec: 100, fullRateMsgsPerSec: 100, producers: 1, keys: 10, poisonEvery: 0,
    job: { engine: 'kafka-streams', guarantee: 'at-least-once', params: { allowFail: true, messagesPerFail: 10 }, version: 'v1', readyState: 'RUNNING' },
    outputTopic: 'in1-out', dlqTopic: 'in1-dlq', quietMs: 10_000, maxWaitMs: 120_000,
  });
  assert.deepEqual(scenario.faults, [
    { at: { outputCount: 100 }, fault: { kind: 'job-kill', target: 'job' }, healAfterMs: 3000 },
    { at: { sentFraction: 0.8 }, fault: { kind: 'kill', target: { kind: 'leader', topic: 'in1-out', partition: 0 } } },
  ]);
  assert.deepEqual(scenario.expect, { lost: 'none', duplicates: 'some' });
  assert.equal(totalTriggerUnits(scenario.workload), 300);
  const full = applyFullSize(parseScenario(p('  count: 300', '  count: 300\n  fullCount: 3000\n  fullRateMsgsPerSec: 500\n  producers: 2'), 'p.yaml'));
  assert.ok(full.workload.kind === 'pipeline');
  assert.deepEqual([full.workload.count, full.workload.rateMsgsPerSec, totalTriggerUnits(full.workload)], [3000, 500, 6000]);
});

test('a command job: its command, no ready state (up once alive); every setting given is kept', () => {
  const text = p('    engine: kafka-streams', '    engine: command\n    command: [python3, job.py]\n    guarantee: exactly-once\n    version: v7')
    .replace(RATE_LINE, `${RATE_LINE}\n  producers: 2\n  keys: 4\n  poisonEvery: 5\n  outputTopic: o1\n  dlqTopic: d1\n  quietMs: 100\n  maxWaitMs: 1000`)
    .replace('"leader:in1-out/0"', '"leader:d1"');
  const scenario = parseScenario(text, 'p.yaml');
  assert.ok(scenario.workload.kind === 'pipeline');
  assert.deepEqual(scenario.workload.job, { engine: 'command', command: ['python3', 'job.py'], guarantee: 'exactly-once', params: { allowFail: true, messagesPerFail: 10 }, version: 'v7' });
  assert.deepEqual([scenario.workload.producers, scenario.workload.keys, scenario.workload.poisonEvery, scenario.workload.outputTopic, scenario.workload.dlqTopic, scenario.workload.quietMs, scenario.workload.maxWaitMs], [2, 4, 5, 'o1', 'd1', 100, 1000]);
  const spec = pipelineJobSpec(scenario.workload, 'in1', 'faultline-p1');
  assert.deepEqual(spec, {
    name: 'j1', engine: 'command', command: ['python3', 'job.py'], params: { allowFail: true, messagesPerFail: 10 }, guarantee: 'exactly-once',
    appId: 'faultline-p1', version: 'v7', inputTopic: 'in1', outputTopic: 'o1', dlqTopic: 'd1',
  });
  validateJobSpec(spec);
  assert.equal(parseScenario(p('    engine: kafka-streams', '    engine: command\n    command: [./job.sh]\n    readyState: UP'), 'p.yaml').workload.kind, 'pipeline');
});

test('the job section: engine, command and parameters refused at their position', () => {
  assertError(p('    engine: kafka-streams', '    engine: flink'), "14:13: workload.job.engine: unknown job engine 'flink'; expected one of kafka-streams, spark, command");
  assertError(p('    engine: kafka-streams', '    engine: command'), '14:5: workload.job.command: a command job needs a non-empty list of non-empty arguments, e.g. [python3, my_job.py]');
  assertError(p('    engine: kafka-streams', '    engine: command\n    command: []'), '15:14: workload.job.command: a command job needs a non-empty list of non-empty arguments, e.g. [python3, my_job.py]');
  assertError(p('    engine: kafka-streams', '    engine: command\n    command: [python3, ""]'), '15:24: workload.job.command[1]: must not be empty');
  assertError(p(PARAMS_LINE, '    command: [java, -jar, job.jar]'), "15:14: workload.job.command: only a 'command' job takes a command; engine 'kafka-streams' runs its own");
  assertError(p(PARAMS_LINE, '    params: { allow_fail: true }'), '15:15: workload.job.params.allow_fail: parameter names are camelCase (they become FAULTLINE_PARAM_<UPPER_SNAKE>)');
  assertError(p(PARAMS_LINE, '    params: { allowFail: [1] }'), '15:26: workload.job.params.allowFail: expected a string, number or boolean');
  assertError(p(PARAMS_LINE, '    params: { delayMs: .inf }'), '15:24: workload.job.params.delayMs: expected a finite number, got Infinity');
  assertError(p(PARAMS_LINE, '    params: { maxHttp: 1, maxHTTP: 2 }'), "15:27: workload.job.params.maxHTTP: becomes FAULTLINE_PARAM_MAX_HTTP, as 'maxHttp' does: one of them would be lost");
  assertError(p(PARAMS_LINE, '    guarantee: exactly-twice'), "15:16: workload.job.guarantee: unknown guarantee 'exactly-twice'; expected one of at-least-once, exactly-once");
  assertError(p(PARAMS_LINE, '    version: ""'), '15:14: workload.job.version: must not be empty');
  assertError(p(PARAMS_LINE, '    appId: x'), '15:5: workload.job.appId: unknown key; known keys: engine, command, guarantee, params, version, readyState, stateSizeMb');
  assertError(p(PARAMS_LINE, '    stateSizeMb: 8'), '15:18: workload.job.stateSizeMb: expected 16..65536, got 8');
  assertError(p('  job:', '  job: {}').replace('    engine: kafka-streams\n', '').replace(`${PARAMS_LINE}\n`, ''), '13:8: workload.job.engine: missing (required)');
});

test('topic names: a bad output or dead-letter name, a clash, a default too long: each refused at the key that makes it', () => {
  assertError(p(RATE_LINE, `${RATE_LINE}\n  outputTopic: "bad name"`), "13:16: workload.outputTopic: 'bad name' is not a valid topic name (letters, digits, '.', '_', '-'; at most 249)");
  assertError(p(RATE_LINE, `${RATE_LINE}\n  dlqTopic: ".."`), "13:13: workload.dlqTopic: '..' is not a valid topic name ('.' and '..' are reserved)");
  assertError(p(RATE_LINE, `${RATE_LINE}\n  outputTopic: in1`), "13:16: workload.outputTopic: 'in1' is the input topic: input, output and dead-letter topics must differ");
  assertError(p(RATE_LINE, `${RATE_LINE}\n  dlqTopic: in1`), "13:13: workload.dlqTopic: 'in1' is the input topic: input, output and dead-letter topics must differ");
  assertError(p(RATE_LINE, `${RATE_LINE}\n  dlqTopic: in1-out`), "13:13: workload.dlqTopic: 'in1-out' is the output topic: input, output and dead-letter topics must differ");
  assertError(p(RATE_LINE, `${RATE_LINE}\n  outputTopic: in1-dlq`), "13:16: workload.outputTopic: 'in1-dlq' is the default dead-letter topic: input, output and dead-letter topics must differ (give dlqTopic)");
  const long = 't'.repeat(246);
  assertError(p('  name: in1', `  name: ${long}`), `10:9: workload.kind: the default outputTopic '${long}-out' is not a valid topic name (letters, digits, '.', '_', '-'; at most 249); give outputTopic`);
  assert.equal(parseScenario(p('  name: in1', `  name: ${long}`).replace(RATE_LINE, `${RATE_LINE}\n  outputTopic: o\n  dlqTopic: d`).replace('in1-out/0', 'o/0'), 'p.yaml').topic.name, long);
});

test('workload sizes and keys: bounds refused at their key, the full size at fullCount', () => {
  assertError(p('  count: 300', '  count: 300\n  fullCount: 2000000000'), '12:14: workload.fullCount: expected a whole number 1..1000000000, got 2000000000');
  assertError(p('  count: 300', '  count: 2000000000'), '11:10: workload.count: expected a whole number 1..1000000000, got 2000000000');
  assertError(p('  count: 300', '  count: 300\n  producers: 65'), '12:14: workload.producers: expected a whole number 1..64, got 65');
  assertError(p('  count: 300', '  count: 300\n  keys: 0'), '12:9: workload.keys: expected 1..1000000, got 0');
  assertError(p('  count: 300', '  count: 300\n  poisonEvery: -1'), '12:16: workload.poisonEvery: expected a whole number >= 0, got -1');
  assertError(p('  count: 300', '  count: 300\n  quietMs: 50'), '12:12: workload.quietMs: expected at least 100, got 50');
  assertError(p('  count: 300', ''), '10:3: workload.count: missing (required)');
  assertError(p('  count: 300', '  count: 300\n  acks: all'), '12:3: workload.acks: unknown key; known keys: kind, count, fullCount, rateMsgsPerSec, fullRateMsgsPerSec, producers, keys, poisonEvery, job, outputTopic, dlqTopic, quietMs, maxWaitMs, windows');
});

test('faults: job faults and outputCount triggers in a pipeline; targets may name the output and dead-letter topics, no other', () => {
  assert.equal(parseScenario(VALID.replace('"leader:in1-out/0"', '"follower:in1-dlq"'), 'p.yaml').faults.length, 2);
  assert.equal(parseScenario(VALID.replace('"leader:in1-out/0"', '"leader:in1/2"'), 'p.yaml').faults.length, 2);
  assertError(VALID.replace('"leader:in1-out/0"', '"leader:other/0"'), "21:34: faults[1].fault.target: target 'leader:other' names topic 'other', which the pipeline does not declare (topics: in1, in1-out, in1-dlq)");
  assertError(p('  - at: { sentFraction: 0.8 }', '  - at: { outputCount: 50 }'), '20:9: faults[1].at: fires before the fault above it (outputCount 50 < 100); faults fire in order');
  assertError(p('  - at: { outputCount: 100 }', '  - at: { outputCount: 0 }'), '17:24: faults[0].at.outputCount: expected at least 1, got 0');
  assertError(p('  - at: { outputCount: 100 }', '  - at: { outputCount: 100, afterMs: 5 }'), '17:24: faults[0].at.outputCount: give one of sentFraction, afterMs, outputCount, not several');
  assertError(p('  - at: { outputCount: 100 }', '  - at: {}'), '17:9: faults[0].at: expected { sentFraction: 0..1 }, { afterMs: N } or { outputCount: N }');
  for (const kind of ['job-terminate', 'job-pause', 'state-delete']) assert.equal(parseScenario(p(JOB_FAULT_LINE, `    fault: { kind: ${kind} }`), 'p.yaml').faults[0]?.fault.kind, kind);
});

test('job faults: keys, target and job-update parameters refused at their position; healAfterMs refused where nothing heals', () => {
  assertError(p(JOB_FAULT_LINE, '    fault: { kind: job-kill, params: { a: 1 } }'), '18:30: faults[0].fault.params: unknown key for job-kill; keys: kind, target');
  assertError(p(JOB_FAULT_LINE, '    fault: { kind: job-kill, target: n1 }'), '18:38: faults[0].fault.target: a job fault acts on the scenario\'s job: expected \'job\', got "n1"');
  assertError(p(JOB_FAULT_LINE, '    fault: { kind: job-update }'), '18:12: faults[0].fault: job-update needs params or version (what the update changes)');
  assertError(p(JOB_FAULT_LINE, '    fault: { kind: job-update, params: {} }'), '18:40: faults[0].fault.params: expected at least one parameter (or leave params out)');
  assertError(p(JOB_FAULT_LINE, '    fault: { kind: job-update, params: { allow-fail: 0 } }'), '18:42: faults[0].fault.params.allow-fail: parameter names are camelCase (they become FAULTLINE_PARAM_<UPPER_SNAKE>)');
  assertError(p(JOB_FAULT_LINE, '    fault: { kind: job-update, params: { allowFAIL: false } }'), "18:42: faults[0].fault.params.allowFAIL: becomes FAULTLINE_PARAM_ALLOW_FAIL, as 'allowFail' does: one of them would be lost");
  assertError(p(JOB_FAULT_LINE, '    fault: { kind: job-update, params: { allowFail: false } }'), '19:18: faults[0].healAfterMs: job-update is done when it fires: it has nothing to heal');
  assertError(p(JOB_FAULT_LINE, '    fault: { kind: job-cancel-recreate }'), '19:18: faults[0].healAfterMs: job-cancel-recreate is done when it fires: it has nothing to heal');
  const update = parseScenario(p(JOB_FAULT_LINE, '    fault: { kind: job-update, params: { allowFail: false }, version: v2 }').replace('    healAfterMs: 3000\n', ''), 'p.yaml');
  assert.deepEqual(update.faults[0], { at: { outputCount: 100 }, fault: { kind: 'job-update', target: 'job', params: { allowFail: false }, version: 'v2' } });
});

test("job-partition: `from` targets checked against the cluster and the pipeline's topics, as a broker fault's", () => {
  const partition = (from: string): string => p(JOB_FAULT_LINE, `    fault: { kind: job-partition, from: ${from} }`);
  assert.deepEqual(parseScenario(partition('["leader:in1-out/0", n2]'), 'p.yaml').faults[0]?.fault, { kind: 'job-partition', target: 'job', from: [{ kind: 'leader', topic: 'in1-out', partition: 0 }, { kind: 'node', ref: 'n2' }] });
  assert.deepEqual(parseScenario(p(JOB_FAULT_LINE, '    fault: { kind: job-partition }'), 'p.yaml').faults[0]?.fault, { kind: 'job-partition', target: 'job' });
  assertError(partition('[n1, "leader:other"]'), "18:46: faults[0].fault.from[1]: target 'leader:other' names topic 'other', which the pipeline does not declare (topics: in1, in1-out, in1-dlq)");
  assertError(partition('[zookeeper]'), '18:42: faults[0].fault.from[0]: target zookeeper needs a ZooKeeper-mode cluster (this one runs kraft)');
  assertError(partition('"n1,n2"'), "18:41: faults[0].fault.from: expected a list of nodes (e.g. [n1, n2]), got 'n1,n2'");
});

test('two job-updates: the second is checked against the parameters the first left', () => {
  const twoUpdates = (second: string): string => p(JOB_FAULT_LINE, '    fault: { kind: job-update, params: { maxHttp: 1 } }').replace('    healAfterMs: 3000\n', '')
    .replace('    fault: { kind: kill, target: "leader:in1-out/0" }', `    fault: { kind: job-update, params: { ${second} } }`);
  assert.equal(parseScenario(twoUpdates('maxHttp: 2'), 'p.yaml').faults.length, 2);
  assertError(twoUpdates('maxHTTP: 2'), "20:42: faults[1].fault.params.maxHTTP: becomes FAULTLINE_PARAM_MAX_HTTP, as 'maxHttp' does: one of them would be lost");
});

test('outside a pipeline: job faults and outputCount triggers are refused at their position', () => {
  assertError(withLine('    fault: { kind: kill, target: "leader:test1" }', '    fault: { kind: job-kill }'), "16:20: faults[0].fault.kind: job-kill acts on a pipeline's job: it needs workload kind pipeline");
  assertError(withLine('    fault: { kind: kill, target: "leader:test1" }', '    fault: { kind: job-update, version: v2 }'), "16:20: faults[0].fault.kind: job-update acts on a pipeline's job: it needs workload kind pipeline");
  assertError(withLine('  - at: { sentFraction: 0.3 }', '  - at: { outputCount: 5 }'), '15:11: faults[0].at.outputCount: unknown key; known keys: sentFraction, afterMs');
  assertError(withLine('    fault: { kind: kill, target: "leader:test1" }', '    fault: { kind: kill, target: "leader:test1-out" }'), "16:34: faults[0].fault.target: target 'leader:test1-out' names topic 'test1-out', but the scenario's topic is 'test1'");
});

test('expect: lost and duplicates none/some/any; anomalies are for queue workloads', () => {
  assert.deepEqual(parseScenario(p('  duplicates: some', '  duplicates: any'), 'p.yaml').expect, { lost: 'none', duplicates: 'any' });
  assertError(p('  duplicates: some', '  duplicates: many'), "24:15: expect.duplicates: unknown duplicates expectation 'many'; expected one of none, some, any");
  assertError(p('  duplicates: some', '  anomalies: { G0: none }'), '24:3: expect.anomalies: unknown key; known keys: lost, duplicates, lateDrops, keyCounts');
  assert.deepEqual(parseScenario(VALID.split('expect:')[0] ?? '', 'p.yaml').expect, { lost: 'any', duplicates: 'any' });
});

test('expect.keyCounts: consistent, inconsistent or any, refused at its position otherwise; absent: by the guarantee', () => {
  const withKeyCounts = (value: string): string => VALID.replace('duplicates: some', `duplicates: some\n  keyCounts: ${value}`);
  assert.equal(parseScenario(withKeyCounts('inconsistent'), 'p.yaml').expect.keyCounts, 'inconsistent');
  assertError(withKeyCounts('broken'), "25:14: expect.keyCounts: unknown key counts expectation 'broken'; expected one of consistent, inconsistent, any");
  const atLeastOnce = parseScenario(VALID, 'p.yaml');
  assert.equal(atLeastOnce.expect.keyCounts, undefined);
  assert.equal(keyCountExpectation(atLeastOnce), 'any');
  assert.equal(keyCountExpectation(parseScenario(p('    engine: kafka-streams', '    engine: kafka-streams\n    guarantee: exactly-once'), 'p.yaml')), 'consistent');
  assert.equal(keyCountExpectation(parseScenario(withKeyCounts('any'), 'p.yaml')), 'any');
});

test('shipped scenarios that reset the state expect inconsistent key counts', () => {
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const byName = new Map([...loadScenarioDir(join(root, 'scenarios', 'pipeline')), ...loadScenarioDir(join(root, 'scenarios', 'pipeline-spark'))].map((s) => [s.name, s]));
  assert.equal(byName.get('04-cancel-recreate')?.expect.keyCounts, 'inconsistent');
  assert.equal(byName.get('spark-02-checkpoint-deleted')?.expect.keyCounts, 'inconsistent');
  assert.equal(byName.get('03-state-deleted-then-update')?.expect.keyCounts, undefined, 'Kafka Streams restores its store from the changelog');
});

test('every shipped pipeline scenario loads', () => {
  const dir = join(fileURLToPath(new URL('../../../../', import.meta.url)), 'scenarios', 'pipeline');
  const scenarios = loadScenarioDir(dir);
  assert.ok(scenarios.length >= 8, `expected the 8 seed-000/004 scenarios, got ${scenarios.length}`);
  for (const s of scenarios) assert.equal(s.workload.kind, 'pipeline', s.name);
});

test('windows: a spark job gets windowMs and latenessMs and the window topic; a kafka-streams job and bad values are refused at their position', () => {
  const spark = p('    engine: kafka-streams', '    engine: spark').replace(RATE_LINE, `${RATE_LINE}\n  windows: { sizeMs: 1000, latenessMs: 2000, lateEvery: 10, lateByMs: 5000 }`);
  const scenario = parseScenario(spark.replace('duplicates: some', 'duplicates: some\n  lateDrops: some'), 'p.yaml');
  assert.ok(scenario.workload.kind === 'pipeline');
  assert.deepEqual(scenario.workload.windows, { topic: 'in1-windows', sizeMs: 1000, latenessMs: 2000, lateEvery: 10, lateByMs: 5000 });
  assert.equal(scenario.expect.lateDrops, 'some');
  const spec = pipelineJobSpec(scenario.workload, 'in1', 'faultline-p1');
  assert.equal(spec.windowTopic, 'in1-windows');
  assert.deepEqual(spec.params, { allowFail: true, messagesPerFail: 10, windowMs: 1000, latenessMs: 2000 });
  const streams = VALID.replace(RATE_LINE, `${RATE_LINE}\n  windows: { sizeMs: 1000, latenessMs: 2000 }`);
  assert.match(scenarioErrorOf(streams, 'p.yaml'), /^p\.yaml:\d+:\d+: workload\.windows: the kafka-streams reference job computes no windows; use engine 'spark' \(or a command job\)$/);
  assert.match(scenarioErrorOf(spark.replace('sizeMs: 1000', 'sizeMs: 0'), 'p.yaml'), /workload\.windows\.sizeMs: /);
  assert.match(scenarioErrorOf(spark.replace('latenessMs: 2000', 'latenessMs: 2000, step: 1'), 'p.yaml'), /workload\.windows\.step: unknown key/);
  assert.match(scenarioErrorOf(VALID.replace('duplicates: some', 'duplicates: some\n  lateDrops: maybe'), 'p.yaml'), /expect\.lateDrops: unknown late drops expectation 'maybe'/);
});

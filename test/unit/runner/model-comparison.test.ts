import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../../src/errors.js';
import { kafkaVerdictMatrix, lossPrediction, type KafkaLossPrediction, type KafkaVerdict } from '../../../src/model/models/kafka-verdicts.js';
import { kafkaModelRow, type KafkaModelRow } from '../../../src/runner/kafka-model-row.js';
import { compareWithModel, kafkaPredictor, type KafkaPredictor, type ObservedRow } from '../../../src/runner/model-comparison.js';
import { modelComparisonTable, modelSummaryLine } from '../../../src/runner/model-comparison-text.js';
import { readSuiteRows } from '../../../src/runner/read-suite-rows.js';
import { suiteMarkdown, suiteTable, type SuiteResult } from '../../../src/runner/run-suite.js';
import type { ScenarioOutcome, ScenarioRow } from '../../../src/runner/scenario-result.js';
import { loadScenarioDir } from '../../../src/scenario/load-scenario.js';
import type { ProduceScenarioWorkload, Scenario } from '../../../src/scenario/scenario.js';

// dist/test/unit/runner -> repository root
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SEED_001 = loadScenarioDir(join(ROOT, 'scenarios', 'kafka'));
/** The latest real run of the seed-001 suite (scaled sizes), as `faultline suite scenarios/kafka` wrote it. */
const SUITE_2026_12_01 = join(ROOT, 'docs', 'examples', '2026-12-01-kafka-suite.json');
/** The suite run recorded in docs/suite-example.md (2026-11-22): its table is all that was kept. */
const SUITE_EXAMPLE_MD = join(ROOT, 'docs', 'suite-example.md');

/** Every seed-001 scenario: its model row (acks, min.insync.replicas, fault, producer shape) and what the model (200 schedules, seed 1) predicts. */
const EXPECTED: Record<string, [KafkaModelRow['acks'], number, KafkaModelRow['fault'], string, KafkaLossPrediction]> = {
  '01-acks0-leader-killed': ['0', 1, 'leader-crash', 'one producer', 'loss expected'],
  '02-acks1-leader-killed': ['1', 1, 'leader-crash', 'one producer', 'loss possible'],
  '02b-acks1-leader-killed-10-producers': ['1', 1, 'leader-crash', '10 producers', 'loss possible'],
  '03-acksall-leader-killed-10-producers': ['all', 1, 'leader-crash', '10 producers', 'no loss'],
  '04-acks1-leader-isolated': ['1', 1, 'leader-isolated', 'one producer', 'loss expected'],
  '04b-acks1-leader-isolated-slow': ['1', 1, 'leader-isolated', 'slow producer (2/s)', 'loss expected'],
  '05-acksall-leader-isolated': ['all', 1, 'leader-isolated', 'one producer', 'no loss'],
  '05b-acksall-leader-isolated-10-producers': ['all', 1, 'leader-isolated', '10 producers', 'no loss'],
  '06-acks1-leader-isolated-from-zookeeper': ['1', 1, 'leader-quorum-isolated', 'one producer', 'loss expected'],
  '06b-acks1-leader-isolated-from-zookeeper-slow': ['1', 1, 'leader-quorum-isolated', 'slow producer (2/s)', 'loss expected'],
  '07-acksall-leader-isolated-from-zookeeper': ['all', 1, 'leader-quorum-isolated', 'one producer', 'no loss'],
  '08-acks1-leader-isolated-from-controllers': ['1', 1, 'leader-quorum-isolated', 'one producer', 'loss expected'],
  '09-acksall-leader-isolated-from-controllers': ['all', 1, 'leader-quorum-isolated', 'one producer', 'no loss'],
};

/** One model run for the whole file: the default 200 schedules, seed 1, as the suite and the CLI use. */
const predict = kafkaPredictor();

function seedScenario(name: string): Scenario {
  const scenario = SEED_001.find((s) => s.name === name);
  assert.ok(scenario !== undefined, name);
  return scenario;
}

/** A seed-001 scenario with some fields changed (the not-modelled cases). */
function variant(name: string, change: (s: Scenario) => Partial<Scenario>): Scenario {
  const scenario = seedScenario(name);
  return { ...scenario, ...change(scenario) };
}

function produceOf(s: Scenario): ProduceScenarioWorkload {
  assert.ok(s.workload.kind === 'produce' || s.workload.kind === 'slow-produce', s.name);
  return s.workload;
}

/** The rows of the table in docs/suite-example.md: `lost` is '6' or '0 (+71 acks=0)'. */
function exampleTableRows(): ObservedRow[] {
  const lines = readFileSync(SUITE_EXAMPLE_MD, 'utf8').split('\n');
  const header = lines.find((l) => l.startsWith('| scenario |'))?.split('|').map((c) => c.trim());
  assert.ok(header !== undefined);
  const at = (name: string): number => header.indexOf(name);
  const rows: ObservedRow[] = [];
  for (const line of lines.slice(lines.indexOf(lines.find((l) => l.startsWith('| scenario |')) ?? ''))) {
    if (!/^\| \d/.test(line)) {
      if (rows.length > 0) break;
      continue;
    }
    const cells = line.split('|').map((c) => c.trim());
    const lost = /^(\d+)(?: \(\+(\d+) acks=0\))?$/.exec(cells[at('lost')] ?? '');
    assert.ok(lost !== null, line);
    rows.push({ scenario: cells[at('scenario')] ?? '', lost: Number(lost[1]), lostUnconfirmed: Number(lost[2] ?? 0), verdict: cells[at('verdict')] ?? '' });
  }
  return rows;
}

test('every seed-001 scenario maps to its model row: acks, min.insync.replicas, fault and producer shape', () => {
  assert.deepEqual(SEED_001.map((s) => s.name).sort(), Object.keys(EXPECTED).sort(), 'a new scenario in scenarios/kafka needs its expected model row here');
  for (const scenario of SEED_001) {
    const mapping = kafkaModelRow(scenario);
    assert.ok(mapping.modelled, `${scenario.name}: ${mapping.modelled ? '' : mapping.reason}`);
    const [acks, minInsyncReplicas, fault, producerShape] = EXPECTED[scenario.name] ?? [];
    assert.deepEqual(mapping.row, { acks, minInsyncReplicas, fault, producerShape }, scenario.name);
  }
});

test("each model row names the seed-001 scenarios it stands for (kafka-verdicts' seed 001 column)", () => {
  for (const scenario of SEED_001) {
    const mapping = kafkaModelRow(scenario);
    assert.ok(mapping.modelled);
    const [row] = kafkaVerdictMatrix({ schedules: 1, settings: [[mapping.row.acks, mapping.row.minInsyncReplicas]], faults: [mapping.row.fault] });
    const number = scenario.name.slice(0, scenario.name.indexOf('-')).replace(/^0/, '');
    assert.match(row?.seedScenario ?? '', new RegExp(`\\b${number}\\b`), `${scenario.name}: ${row?.seedScenario ?? 'no label'}`);
  }
  const [minIsr2] = kafkaVerdictMatrix({ schedules: 1, settings: [['all', 2]], faults: ['leader-crash'] });
  assert.equal(minIsr2?.seedScenario, null, 'the seed ran with min.insync.replicas=1 only');
});

test('what the model does not cover is not modelled, with the reason', () => {
  const cases: [Scenario, RegExp][] = [
    [variant('04-acks1-leader-isolated', (s) => ({ workload: { ...produceOf(s), idempotent: true } })), /idempotent producer/],
    [variant('04-acks1-leader-isolated', (s) => ({ workload: { ...produceOf(s), retries: undefined } })), /retries left to the client's default; the model producer sends each write once/],
    [variant('04-acks1-leader-isolated', (s) => ({ topic: { ...s.topic, partitions: 3 } })), /^3 partitions; the model has one$/],
    [variant('04-acks1-leader-isolated', (s) => ({ cluster: { ...s.cluster, brokers: 5 }, topic: { ...s.topic, replicationFactor: 5 } })), /5 brokers, replication factor 5; the model has 3 replicas on 3 brokers/],
    [variant('04-acks1-leader-isolated', (s) => ({ topic: { ...s.topic, config: { 'unclean.leader.election.enable': 'true' } } })), /unclean leader election/],
    [variant('05-acksall-leader-isolated', (s) => ({ topic: { ...s.topic, config: { 'min.insync.replicas': '4' } } })), /min.insync.replicas '4'; the model takes 1 to 3/],
    [variant('04-acks1-leader-isolated', (s) => ({ faults: [...s.faults, ...s.faults] })), /^2 faults; the model fires one$/],
    [variant('04-acks1-leader-isolated', (s) => ({ faults: [{ ...s.faults[0], at: { afterMs: 1 }, fault: { kind: 'pause', target: { kind: 'leader', topic: 'test1', partition: 0 } } }] })), /a pause fault/],
    [variant('02-acks1-leader-killed', (s) => ({ faults: [{ ...s.faults[0], at: { afterMs: 1 }, fault: { kind: 'kill', target: { kind: 'random' } } }] })), /a kill fault; the model has a kill of the partition's leader/],
    [variant('06-acks1-leader-isolated-from-zookeeper', (s) => ({ cluster: { ...s.cluster, metadata: 'kraft' } })), /a partition fault/],
  ];
  for (const [scenario, reason] of cases) {
    const mapping = kafkaModelRow(scenario);
    assert.ok(!mapping.modelled, `${scenario.name} should not be modelled`);
    assert.match(mapping.reason, reason);
  }
  const queue = loadScenarioDir(join(ROOT, 'scenarios', 'kafka-queue'))[0];
  assert.ok(queue !== undefined);
  assert.deepEqual(kafkaModelRow(queue), { modelled: false, reason: 'a queue workload; the model has one plain producer' });
  const noFault = kafkaModelRow(variant('03-acksall-leader-killed-10-producers', () => ({ faults: [] })));
  assert.ok(noFault.modelled && noFault.row.fault === 'none', 'a fault-free baseline is the model row without a fault');
});

test('a row predicts loss expected from 90% of its schedules, loss possible from one, else no loss', () => {
  assert.equal(lossPrediction(0, 200), 'no loss');
  assert.equal(lossPrediction(1, 200), 'loss possible');
  assert.equal(lossPrediction(179, 200), 'loss possible');
  assert.equal(lossPrediction(180, 200), 'loss expected');
  assert.equal(lossPrediction(200, 200), 'loss expected');
});

test('the latest real seed-001 suite run (2026-12-01) agrees with the model on all 13 scenarios', () => {
  const suite = readSuiteRows(SUITE_2026_12_01);
  assert.equal(suite.startedAt, '2026-12-01T23:07:09.421Z');
  const comparisons = compareWithModel(SEED_001, suite.rows, predict);
  assert.deepEqual(comparisons.map((c) => c.scenario), Object.keys(EXPECTED));
  for (const c of comparisons) {
    assert.equal(c.agreement, 'agree', `${c.scenario}: ${c.reason}`);
    assert.equal(c.model?.prediction, EXPECTED[c.scenario]?.[4], c.scenario);
  }
  const byName = new Map(comparisons.map((c) => [c.scenario, c]));
  assert.equal(byName.get('01-acks0-leader-killed')?.observedLost, 37, 'acks=0: the sends the client counted as delivered and the log lacks');
  assert.match(byName.get('01-acks0-leader-killed')?.reason ?? '', /200\/200 schedules; the run lost 37 \(acks=0 sends the model counts as delivered\)/);
  assert.equal(byName.get('02-acks1-leader-killed')?.observedLost, 0, 'loss possible, none this run: agree');
  assert.equal(byName.get('02b-acks1-leader-killed-10-producers')?.observedLost, 40);
  assert.equal(byName.get('04-acks1-leader-isolated')?.observedLost, 9768);
  assert.equal(modelSummaryLine(comparisons), 'model kafka-replication (200 random schedules per row): 13 of 13 scenarios modelled; 13 agree, 0 disagree');
});

test('the 2026-11-22 run in docs/suite-example.md agrees with the model too', () => {
  const rows = exampleTableRows();
  assert.equal(rows.length, 13);
  assert.deepEqual(rows.find((r) => r.scenario === '01-acks0-leader-killed'), { scenario: '01-acks0-leader-killed', lost: 0, lostUnconfirmed: 71, verdict: 'valid' });
  const comparisons = compareWithModel(SEED_001, rows, predict);
  assert.deepEqual(comparisons.filter((c) => c.agreement !== 'agree').map((c) => `${c.scenario}: ${c.reason}`), []);
});

/** A fixed verdict for a model row (no model run): the comparison rules on their own. */
function fixedPredictor(prediction: KafkaLossPrediction): KafkaPredictor {
  const lossSchedules = { 'no loss': 0, 'loss possible': 50, 'loss expected': 200 }[prediction];
  return (row): KafkaVerdict => ({ ...row, seedScenario: null, schedules: 200, lossSchedules, losesAcknowledgedWrites: lossSchedules > 0, prediction, maxLost: 3, meanAcknowledged: 25, example: null });
}

test('one run refutes "no loss" by losing and "loss expected" by losing nothing; "loss possible" agrees with both', () => {
  const scenarios = [seedScenario('04-acks1-leader-isolated')];
  const run = (prediction: KafkaLossPrediction, lost: number, verdict = 'invalid'): string => {
    const [c] = compareWithModel(scenarios, [{ scenario: '04-acks1-leader-isolated', lost, lostUnconfirmed: 0, verdict }], fixedPredictor(prediction));
    return c?.agreement ?? 'none';
  };
  assert.equal(run('no loss', 5), 'disagree');
  assert.equal(run('no loss', 0, 'valid'), 'agree');
  assert.equal(run('loss expected', 0, 'valid'), 'disagree');
  assert.equal(run('loss expected', 9), 'agree');
  assert.equal(run('loss possible', 0, 'valid'), 'agree');
  assert.equal(run('loss possible', 9), 'agree');
  assert.equal(run('no loss', 5, 'error'), 'no result', 'a run that did not finish has no loss count to compare');
  assert.equal(run('no loss', 5, 'unknown'), 'no result');
  const [missing] = compareWithModel([], [{ scenario: 'gone', lost: 0, lostUnconfirmed: 0, verdict: 'valid' }], fixedPredictor('no loss'));
  assert.deepEqual(missing, { scenario: 'gone', model: null, observedLost: null, agreement: 'not modelled', reason: 'no scenario of this name to map to a model row' });
});

/** Suite outcomes from the real suite.json rows (only what the suite table and suite.md read). */
function outcomesOf(rows: readonly ObservedRow[]): ScenarioOutcome[] {
  const json = JSON.parse(readFileSync(SUITE_2026_12_01, 'utf8')) as { outcomes: { name: string; title: string; row: Omit<ScenarioRow, 'workload' | 'anomalies' | 'drainComplete'> }[] };
  return json.outcomes.map((o, i) => ({
    name: o.name, title: o.title, runDir: null,
    row: { ...o.row, workload: 'produce', anomalies: {}, drainComplete: null, lost: rows[i]?.lost ?? o.row.lost },
    verdict: null, queueVerdict: null, pipelineVerdict: null, pipelineRecovery: null, windowVerdict: null, availability: null,
    faults: [], slowProducerImpliedLost: null, notes: [], error: null, durationMs: 1000,
  }));
}

test('a disagreement is flagged in the suite table and suite.md, with a summary line', () => {
  // The real 2026-12-01 rows, except that 05 (acks=all, leader isolated: the model loses nothing) lost 3 writes.
  const rows = readSuiteRows(SUITE_2026_12_01).rows.map((r) => (r.scenario === '05-acksall-leader-isolated' ? { ...r, lost: 3, verdict: 'invalid' } : r));
  const model = compareWithModel(SEED_001, rows, predict);
  const outcomes = outcomesOf(rows);
  const { headers, rows: cells } = suiteTable(outcomes, model);
  assert.deepEqual(headers.slice(-3), ['as expected', 'model predicts', 'vs model']);
  const cellOf = (name: string): (string | number)[] => cells.find((c) => c[0] === name) ?? [];
  assert.deepEqual(cellOf('05-acksall-leader-isolated').slice(-2), ['no loss (0/200)', 'DISAGREE']);
  assert.deepEqual(cellOf('02-acks1-leader-killed').slice(-2), ['loss possible (80/200)', 'agree']);
  assert.equal(suiteTable(outcomes).headers.length, 14, 'without comparisons the table is as before');
  const result: SuiteResult = {
    dir: '/tmp/x', startedAt: 't', full: false, client: 'faultline', machine: { cpus: 2, memoryGiB: 4, node: 'v20' }, outcomes, durationMs: 1, allAsExpected: true, errors: 0, model,
  };
  const md = suiteMarkdown(result);
  assert.match(md, /\| scenario \| .* \| as expected \| model predicts \| vs model \|/);
  assert.match(md, /\| 05-acksall-leader-isolated \| .* \| no loss \(0\/200\) \| DISAGREE \|/);
  assert.match(md, /model kafka-replication \(200 random schedules per row\): 13 of 13 scenarios modelled; 12 agree, 1 disagree \(DISAGREE: 05-acksall-leader-isolated\) \(informational: not part of "as expected"\)/);
  assert.match(md, /- DISAGREE: 05-acksall-leader-isolated: the model loses writes in 0\/200 schedules; the run lost 3/);
});

test('a suite without a modelled scenario (queue, pipeline) shows no model columns', () => {
  const queue = loadScenarioDir(join(ROOT, 'scenarios', 'kafka-queue'));
  const model = compareWithModel(queue, queue.map((s) => ({ scenario: s.name, lost: 0, lostUnconfirmed: 0, verdict: 'valid' })), fixedPredictor('no loss'));
  assert.ok(model.every((c) => c.agreement === 'not modelled'));
  const outcomes = outcomesOf([]).slice(0, 1);
  assert.equal(suiteTable(outcomes, model).headers.length, 14);
});

test('the side-by-side table has the same rows as the suite, in its order', () => {
  const comparisons = compareWithModel(SEED_001, readSuiteRows(SUITE_2026_12_01).rows, predict);
  const { headers, rows } = modelComparisonTable(comparisons);
  assert.deepEqual(headers, ['scenario', 'acks', 'min.isr', 'model fault', 'producers', 'model predicts', 'max lost (model)', 'run lost', 'vs model']);
  assert.deepEqual(rows[5], ['04b-acks1-leader-isolated-slow', '1', '1', 'leader-isolated', 'slow producer (2/s)', 'loss expected (199/200)', '13', '45', 'agree']);
  assert.deepEqual(rows.map((r) => r[0]), Object.keys(EXPECTED));
});

test('readSuiteRows: a missing path, a folder without suite.json, bad JSON and a bad row field are usage errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-suite-rows-'));
  try {
    const isUsage = (pattern: RegExp) => (e: unknown) => e instanceof UsageError && pattern.test(e.message);
    assert.throws(() => readSuiteRows(join(dir, 'nope')), isUsage(/nope: no such file or folder/));
    assert.throws(() => readSuiteRows(dir), isUsage(/no suite\.json in this folder/));
    writeFileSync(join(dir, 'suite.json'), '{ not json');
    assert.throws(() => readSuiteRows(dir), isUsage(/suite\.json: not JSON/));
    writeFileSync(join(dir, 'suite.json'), JSON.stringify({ outcomes: [{ row: { scenario: 'a', lost: -1, verdict: 'valid' } }] }));
    assert.throws(() => readSuiteRows(dir), isUsage(/suite\.json: outcomes\[0\]\.row\.lost: expected a whole number >= 0/));
    writeFileSync(join(dir, 'suite.json'), JSON.stringify({ outcomes: {} }));
    assert.throws(() => readSuiteRows(dir), isUsage(/outcomes: expected a list/));
    writeFileSync(join(dir, 'suite.json'), JSON.stringify({ outcomes: [{ row: { scenario: 'a', lost: 2, verdict: 'invalid' } }] }));
    assert.deepEqual(readSuiteRows(dir).rows, [{ scenario: 'a', lost: 2, lostUnconfirmed: 0, verdict: 'invalid' }], 'lostUnconfirmed absent: 0');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

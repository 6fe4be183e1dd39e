import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkModel,
  findModel,
  KAFKA_DEFAULTS,
  kafkaReplicationModel,
  listModels,
  modelVersion,
  resolveParams,
  type ModelEntry,
} from '../../../src/model/index.js';
import { kafkaMinCheckAtMs } from '../../../src/model/models/kafka-replication.js';
import { UsageError } from '../../../src/errors.js';
import { assertSavedScheduleReplays, reductionTree } from './reduction-support.js';

/** Replays per shrink: enough for the reductions and some delta debugging, small enough for a fast test. */
const SHRINK_ATTEMPTS = 600;

const kafkaViolationEntries = (): ModelEntry[] => listModels().filter((e) => e.name.startsWith('kafka') && e.expect === 'violation');

test('every Kafka violation variant shrinks to at most half its steps, and the saved schedule replays on the rebuilt smaller model', () => {
  const entries = kafkaViolationEntries();
  assert.ok(entries.length >= 5, entries.map((e) => e.name).join(', '));
  const dir = mkdtempSync(join(tmpdir(), 'faultline-kafka-reductions-'));
  try {
    for (const entry of entries) {
      const params = resolveParams(entry, {});
      const r = checkModel(entry.build(params), { strategy: 'random', schedules: 100, seed: 1, params, shrinkAttempts: SHRINK_ATTEMPTS, coverage: false });
      const v = r.violation;
      assert.ok(v?.shrink !== undefined && v.shrunk !== undefined, `${entry.name}: a violation, shrunk`);
      assert.match(v.violation.message, /acknowledged writes lost/, entry.name);
      const { steps, original, attempts, reductions } = v.shrink;
      assert.ok(2 * steps <= original.steps, `${entry.name}: ${original.steps} -> ${steps} steps`);
      assert.ok(attempts <= SHRINK_ATTEMPTS, `${entry.name}: ${attempts} replays`);
      assert.ok(reductions.length > 0, `${entry.name}: on a smaller model`);
      // The smaller model's sizes are in the saved parameters, smaller than the defaults.
      assert.ok(Number(v.shrunk.params['writes']) <= KAFKA_DEFAULTS.writes && Number(v.shrunk.params['check-at-ms']) < KAFKA_DEFAULTS.checkAtMs, JSON.stringify(v.shrunk.params));

      assertSavedScheduleReplays(entry, v.shrunk, v.violation, steps, dir);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a reduction is what the registry builds from its parameters (same model version), never a read before the writes settle', () => {
  const entry = findModel('kafka-acks1-quorum-isolated');
  const params = resolveParams(entry, {});
  const tree = reductionTree(entry.build(params), 3);
  assert.ok(tree.length >= 8, `${tree.length} reductions`);
  for (const { params: reduced, model } of tree) {
    const merged = resolveParams(entry, { ...params, ...reduced });
    assert.equal(modelVersion(entry.build(merged), merged), modelVersion(model, merged), JSON.stringify(reduced));
    const writes = Number(merged['writes']);
    const checkAtMs = Number(merged['check-at-ms']);
    assert.ok(writes >= 1 && writes <= KAFKA_DEFAULTS.writes, JSON.stringify(reduced));
    assert.ok(checkAtMs >= kafkaMinCheckAtMs({ ...KAFKA_DEFAULTS, fault: 'leader-quorum-isolated', writes }), JSON.stringify(reduced));
    assert.ok(writes < KAFKA_DEFAULTS.writes || checkAtMs < KAFKA_DEFAULTS.checkAtMs, 'each is smaller');
  }
});

test('at the earliest final read the reductions use, a cluster that loses nothing reports nothing lost, and the read always happens', () => {
  const cases = [
    { acks: 'all', minInsyncReplicas: 2, fault: 'leader-crash' },
    { acks: 'all', minInsyncReplicas: 2, fault: 'leader-isolated' },
    { acks: 'all', minInsyncReplicas: 2, fault: 'leader-quorum-isolated' },
    { acks: '1', minInsyncReplicas: 1, fault: 'none' },
  ] as const;
  for (const c of cases) {
    for (const writes of [1, 5, 30]) {
      const checkAtMs = kafkaMinCheckAtMs({ ...KAFKA_DEFAULTS, ...c, writes });
      const schedules = 150;
      const r = checkModel(kafkaReplicationModel({ ...c, writes, checkAtMs }), { strategy: 'random', schedules, seed: 11, shrink: false, coverage: false });
      assert.equal(r.violation, undefined, `${JSON.stringify(c)} writes ${writes} check ${checkAtMs}: ${r.violation?.violation.message}`);
      assert.equal(r.outcomes.stopped, schedules, 'every run reads the final log');
    }
  }
});

test('bad Kafka sizes: one error naming the parameter', () => {
  const entry = findModel('kafka-acks1-leader-crash');
  for (const [given, pattern] of [
    [{ writes: '0' }, /model kafka-acks1-leader-crash: writes must be a whole number from 1 to 200, got '0'/],
    [{ writes: 'many' }, /writes must be a whole number from 1 to 200, got 'many'/],
    [{ 'check-at-ms': '2.5' }, /check-at-ms must be a whole number from 1 to 500, got '2\.5'/],
  ] as const) {
    assert.throws(() => resolveParams(entry, given), (e: unknown) => e instanceof UsageError && pattern.test(e.message));
  }
  const early = resolveParams(entry, { writes: '5', 'check-at-ms': '20' });
  assert.throws(
    () => entry.build(early),
    (e: unknown) => e instanceof UsageError && /check-at-ms must be at least 33 with writes=5 .*got '20'/.test(e.message),
  );
  assert.throws(() => kafkaReplicationModel({ writes: 30, checkAtMs: 30 }), /checkAtMs: 30 is before the writes and the failover settle \(at least 40/);
  assert.equal(entry.build(resolveParams(entry, { writes: '5', 'check-at-ms': '33' })).name, 'kafka-acks1-leader-crash');
});

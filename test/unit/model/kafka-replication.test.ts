import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkModel } from '../../../src/model/index.js';
import { kafkaReplicationModel, type Acks, type KafkaFault } from '../../../src/model/models/kafka-replication.js';
import { kafkaVerdictMatrix } from '../../../src/model/models/kafka-verdicts.js';

function verdict(acks: Acks, minIsr: number, fault: KafkaFault, schedules: number) {
  return checkModel(kafkaReplicationModel({ acks, minInsyncReplicas: minIsr, fault }), { strategy: 'random', schedules, seed: 1001, shrink: false, coverage: false });
}

test('acks=1 with the leader isolated loses acknowledged writes (seed 001 scenario 4)', () => {
  const r = verdict('1', 1, 'leader-isolated', 200);
  assert.equal(r.violation?.violation.kind, 'safety');
  assert.match(r.violation.violation.message, /acknowledged writes lost: \d+ \(values [\d,-]+\); acknowledged \d+, high watermark \d+/);
});

test('acks=0 loses acknowledged writes when the leader is killed or isolated', () => {
  for (const fault of ['leader-crash', 'leader-isolated'] as const) {
    const r = verdict('0', 1, fault, 200);
    assert.equal(r.violation?.violation.kind, 'safety', fault);
    assert.match(r.violation.violation.message, /acknowledged writes lost/);
  }
});

test('acks=1 with the leader killed can lose a write acknowledged just before the crash', () => {
  const r = verdict('1', 1, 'leader-crash', 1000);
  assert.match(r.violation?.violation.message ?? '', /acknowledged writes lost/);
});

test('acks=all with min.insync.replicas=2 loses nothing under any leader fault', () => {
  for (const fault of ['none', 'leader-crash', 'leader-isolated', 'leader-quorum-isolated'] as const) {
    const r = verdict('all', 2, fault, 150);
    assert.equal(r.violation, undefined, `${fault}: ${r.violation?.violation.message}`);
    assert.equal(r.outcomes.stopped, 150, 'every run reaches the final read of the log');
  }
});

test('no fault, no loss, whatever the acks', () => {
  for (const acks of ['0', '1'] as const) assert.equal(verdict(acks, 1, 'none', 50).violation, undefined);
});

test('verdict matrix: isolation is worse than a crash for acks=1 (the old leader keeps acknowledging)', () => {
  const rows = kafkaVerdictMatrix({ schedules: 120, seed: 7, settings: [['1', 1]], faults: ['leader-crash', 'leader-isolated'] });
  const crash = rows.find((r) => r.fault === 'leader-crash');
  const isolated = rows.find((r) => r.fault === 'leader-isolated');
  assert.ok(crash !== undefined && isolated !== undefined);
  assert.equal(crash.seedScenario, 'seed 001 scenarios 2, 2b (acks=1, leader killed)');
  assert.equal(crash.prediction, 'loss possible', `${crash.lossSchedules}/120`);
  assert.equal(isolated.prediction, 'loss expected', `${isolated.lossSchedules}/120`);
  assert.ok(crash.losesAcknowledgedWrites && isolated.losesAcknowledgedWrites);
  assert.ok(isolated.lossSchedules > crash.lossSchedules, `${isolated.lossSchedules} vs ${crash.lossSchedules}`);
  assert.ok(isolated.maxLost > crash.maxLost, `${isolated.maxLost} vs ${crash.maxLost}`);
  assert.equal(isolated.schedules, 120, 'every schedule runs when counting losses');
});

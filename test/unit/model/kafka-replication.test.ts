import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkModel } from '../../../src/model/index.js';
import { kafkaReplicationModel, type Acks, type KafkaFault } from '../../../src/model/models/kafka-replication.js';

function verdict(acks: Acks, minIsr: number, fault: KafkaFault, schedules: number) {
  return checkModel(kafkaReplicationModel({ acks, minInsyncReplicas: minIsr, fault }), { strategy: 'random', schedules, seed: 1001, shrink: false, coverage: false });
}

test('acks=1 with the leader isolated loses acknowledged writes (seed 001 scenario 4)', () => {
  const r = verdict('1', 1, 'leader-isolated', 200);
  assert.equal(r.violation?.violation.kind, 'safety');
  assert.match(r.violation?.violation.message ?? '', /acknowledged writes lost: \d+ \(values [\d,-]+\); acknowledged \d+, high watermark \d+/);
});

test('acks=0 loses acknowledged writes when the leader is killed or isolated', () => {
  for (const fault of ['leader-crash', 'leader-isolated'] as const) {
    const r = verdict('0', 1, fault, 200);
    assert.equal(r.violation?.violation.kind, 'safety', fault);
    assert.match(r.violation?.violation.message ?? '', /acknowledged writes lost/);
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

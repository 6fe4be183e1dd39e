import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { UsageError } from '../../../src/errors.js';
import { consumerGroupOptionProblems, MAX_CONSUMER_MEMBERS, validateConsumerGroupOptions, type ConsumerLimitsInput } from '../../../src/workload/consumer-limits.js';
import { startConsumerGroup } from '../../../src/workload/consumer-group.js';
import { MemorySink } from '../../../src/workload/op-sink.js';

const ok: ConsumerLimitsInput = { topic: 't', group: 'g', members: 3, commit: 'sync' };

test('consumer group options: errors name fields, not command-line flags', () => {
  assert.deepEqual(consumerGroupOptionProblems(ok), []);
  assert.throws(() => validateConsumerGroupOptions({ ...ok, members: MAX_CONSUMER_MEMBERS + 1 }), (e: unknown) => e instanceof UsageError && e.message === 'members: expected a whole number 1..16, got 17');
  assert.throws(() => validateConsumerGroupOptions({ ...ok, members: 0 }), /^UsageError: members: /);
  assert.throws(() => validateConsumerGroupOptions({ ...ok, commit: 'manual' as 'sync' }), /^UsageError: commit: expected sync or auto, got "manual"$/);
  assert.throws(() => validateConsumerGroupOptions({ ...ok, group: '' }), /^UsageError: group: required$/);
  assert.throws(() => validateConsumerGroupOptions({ ...ok, group: 'a\nb' }), /^UsageError: group: control characters are not allowed$/);
  assert.throws(() => validateConsumerGroupOptions({ ...ok, topic: 'a b' }), /^UsageError: topic: 'a b' is not a valid topic name/);
  assert.throws(() => validateConsumerGroupOptions({ ...ok, durationMs: 0 }), /^UsageError: durationMs: /);
  assert.throws(() => validateConsumerGroupOptions({ ...ok, sessionTimeoutMs: 1000 }), /^UsageError: sessionTimeoutMs: expected a whole number 6000\.\.300000, got 1000$/);
  assert.throws(() => validateConsumerGroupOptions({ ...ok, pollRecords: 1.5 }), /^UsageError: pollRecords: /);
  const many = consumerGroupOptionProblems({ ...ok, members: -1, commitTimeoutMs: 0, drainTimeoutMs: -5 });
  assert.deepEqual(many.map((p) => p.field), ['members', 'drainTimeoutMs', 'commitTimeoutMs']);
});

test('startConsumerGroup validates before it opens any client', () => {
  assert.throws(() => startConsumerGroup({ ...ok, members: 17, bootstrap: '127.0.0.1:1', sink: new MemorySink() }), /^UsageError: members: /);
});

test('property: in-range options have no problem; members out of range gives exactly that field', () => {
  const inRange = fc.record({ members: fc.integer({ min: 1, max: MAX_CONSUMER_MEMBERS }), commit: fc.constantFrom('sync' as const, 'auto' as const), durationMs: fc.integer({ min: 1, max: 86_400_000 }) });
  fc.assert(fc.property(inRange, (o) => consumerGroupOptionProblems({ ...ok, ...o }).length === 0));
  const bad = fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: MAX_CONSUMER_MEMBERS + 1 }), fc.double({ min: 1.01, max: 15.99, noNaN: true }));
  fc.assert(fc.property(bad, (members) => {
    const problems = consumerGroupOptionProblems({ ...ok, members });
    return problems.length === 1 && problems[0]?.field === 'members' && !problems[0].message.includes('--');
  }));
});

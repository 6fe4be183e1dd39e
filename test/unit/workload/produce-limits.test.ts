import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Command } from 'commander';
import { UsageError } from '../../../src/errors.js';
import { MAX_COUNT_PER_PRODUCER, MAX_PRODUCERS, produceOptionProblems, validateProduceOptions, type ProduceLimitsInput } from '../../../src/workload/produce-limits.js';
import { registerWorkloadCommands } from '../../../src/cli/workload-command.js';

const ok: ProduceLimitsInput = { topic: 't', countPerProducer: 100, rateMsgsPerSec: 10, producers: 1 };

test('validateProduceOptions names fields, not command-line flags', () => {
  assert.throws(() => validateProduceOptions({ ...ok, countPerProducer: 1e300 }), (e: unknown) => e instanceof UsageError && e.message === `countPerProducer: expected a whole number 1..${MAX_COUNT_PER_PRODUCER}, got 1e+300`);
  assert.throws(() => validateProduceOptions({ ...ok, producers: MAX_PRODUCERS + 1 }), /^UsageError: producers: expected a whole number 1\.\.64, got 65$/);
  assert.throws(() => validateProduceOptions({ ...ok, rateMsgsPerSec: 0 }), /^UsageError: rateMsgsPerSec: expected messages per second > 0, got 0$/);
  assert.throws(() => validateProduceOptions({ ...ok, rateMsgsPerSec: Number.NaN }), /rateMsgsPerSec/);
  assert.throws(() => validateProduceOptions({ ...ok, valueSizeBytes: 0 }), /^UsageError: valueSizeBytes: /);
  assert.throws(() => validateProduceOptions({ ...ok, timeoutMs: 1.5 }), /^UsageError: timeoutMs: /);
  assert.throws(() => validateProduceOptions({ ...ok, idempotent: true, retries: 0 }), /^UsageError: retries: an idempotent producer needs retries > 0/);
  assert.throws(() => validateProduceOptions({ ...ok, topic: '' }), /^UsageError: topic: required$/);
  assert.doesNotThrow(() => validateProduceOptions({ ...ok, rateMsgsPerSec: Infinity, producers: MAX_PRODUCERS, countPerProducer: MAX_COUNT_PER_PRODUCER }));
});

test('validateProduceOptions renames fields for callers that spell them differently', () => {
  assert.throws(() => validateProduceOptions({ ...ok, countPerProducer: 0 }, { countPerProducer: 'count' }), /^UsageError: count: expected a whole number/);
});

test('property: in-range options have no problem; one field out of range gives exactly that field', () => {
  const inRange = fc.record({
    countPerProducer: fc.integer({ min: 1, max: MAX_COUNT_PER_PRODUCER }),
    rateMsgsPerSec: fc.double({ min: 1e-6, max: 1e9, noNaN: true }),
    producers: fc.integer({ min: 1, max: MAX_PRODUCERS }),
  });
  fc.assert(fc.property(inRange, (options) => produceOptionProblems(options).length === 0));
  const badProducers = fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: MAX_PRODUCERS + 1 }), fc.double({ min: 1.01, max: 63.99, noNaN: true }));
  fc.assert(fc.property(inRange, badProducers, (options, producers) => {
    const problems = produceOptionProblems({ ...options, producers });
    return problems.length === 1 && problems[0]?.field === 'producers' && !problems[0].message.includes('--');
  }));
});

test('the produce command takes its producer limit from the workload', async () => {
  const program = new Command().exitOverride();
  registerWorkloadCommands(program);
  await assert.rejects(program.parseAsync(['node', 'faultline', 'produce', '--topic', 't', '--producers', String(MAX_PRODUCERS + 1)]), (e: unknown) => e instanceof UsageError && e.message === `--producers: ${MAX_PRODUCERS + 1} is out of range (1..${MAX_PRODUCERS})`);
});

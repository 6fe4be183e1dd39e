import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyDeliveryError, retriesConfigured } from '../../../src/workload/send-outcome.js';
import { PAYLOAD_SEPARATOR, decodePayloadValue, encodePayload } from '../../../src/workload/payload.js';
import { DEFAULT_DELIVERY_TIMEOUT_MS, producerConfig } from '../../../src/workload/producer-config.js';
import { sendValue } from '../../../src/history/operation.js';

// ---- send-outcome ----

/** Raised before the message left the client: fail whatever the retries. */
const DEFINITE: [number, string][] = [
  [-184, 'ERR__QUEUE_FULL'],
  [-152, 'ERR__PURGE_QUEUE'],
  [4, 'ERR_INVALID_MSG_SIZE'],
  [10, 'ERR_MSG_SIZE_TOO_LARGE'],
  [18, 'ERR_RECORD_LIST_TOO_LARGE'],
];

/** Rejected without append: fail only when it was the only attempt. */
const REJECTED: [number, string][] = [
  [-188, 'ERR__UNKNOWN_TOPIC'],
  [2, 'ERR_INVALID_MSG'],
  [3, 'ERR_UNKNOWN_TOPIC_OR_PART'],
  [29, 'ERR_TOPIC_AUTHORIZATION_FAILED'],
  [32, 'ERR_INVALID_TIMESTAMP'],
];

const MAYBE_WRITTEN: [number, string][] = [
  [-192, 'ERR__MSG_TIMED_OUT'],
  [-195, 'ERR__TRANSPORT'],
  [-151, 'ERR__PURGE_INFLIGHT'],
  [7, 'ERR_REQUEST_TIMED_OUT'],
  [13, 'ERR_NETWORK_EXCEPTION'],
  [20, 'ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND'],
  [-187, 'ERR__ALL_BROKERS_DOWN'],
];

test('definitely-not-written errors are fail, with or without retries', () => {
  for (const [code, name] of DEFINITE) {
    for (const retries of [false, true]) assert.deepEqual(classifyDeliveryError(code, retries), { type: 'fail', codeName: name }, `${code} retries=${retries}`);
  }
});

test('rejections without append are fail without retries and info with them', () => {
  for (const [code, name] of REJECTED) {
    assert.deepEqual(classifyDeliveryError(code, false), { type: 'fail', codeName: name }, `${code}`);
    assert.deepEqual(classifyDeliveryError(code, true), { type: 'info', codeName: name }, `${code}`);
  }
});

test('retriesConfigured reads our option and the extra librdkafka keys', () => {
  assert.equal(retriesConfigured(undefined), true);
  assert.equal(retriesConfigured(0), false);
  assert.equal(retriesConfigured(3), true);
  assert.equal(retriesConfigured(0, { 'message.send.max.retries': 5 }), true);
  assert.equal(retriesConfigured(undefined, { retries: 0 }), false);
});

test('NOT_ENOUGH_REPLICAS is fail only without retries (an earlier attempt may have been appended)', () => {
  assert.deepEqual(classifyDeliveryError(19, false), { type: 'fail', codeName: 'ERR_NOT_ENOUGH_REPLICAS' });
  assert.deepEqual(classifyDeliveryError(19, true), { type: 'info', codeName: 'ERR_NOT_ENOUGH_REPLICAS' });
});

test('leader rejections (NOT_LEADER, STORAGE_ERROR) are fail without retries, info with', () => {
  for (const [code, name] of [[6, 'ERR_NOT_LEADER_FOR_PARTITION'], [56, 'ERR_KAFKA_STORAGE_ERROR']] as const) {
    assert.deepEqual(classifyDeliveryError(code, false), { type: 'fail', codeName: name });
    assert.deepEqual(classifyDeliveryError(code, true), { type: 'info', codeName: name });
  }
});

test('timeouts, transport errors and after-append errors are always info (may have been written)', () => {
  for (const [code, name] of MAYBE_WRITTEN) {
    for (const retries of [false, true]) assert.deepEqual(classifyDeliveryError(code, retries), { type: 'info', codeName: name }, `${code}`);
  }
});

test('an unknown code is info, named by its number', () => {
  assert.deepEqual(classifyDeliveryError(12345, false), { type: 'info', codeName: 'code 12345' });
  assert.deepEqual(classifyDeliveryError(-1, true), { type: 'info', codeName: 'code -1' });
});

test('property: with retries, nothing but the definite table is ever fail', () => {
  const definite = new Set(DEFINITE.map(([c]) => c));
  fc.assert(
    fc.property(fc.integer({ min: -300, max: 200 }), (code) => {
      const outcome = classifyDeliveryError(code, true);
      assert.equal(outcome.type === 'fail', definite.has(code), `code ${code} -> ${outcome.type}`);
      assert.notEqual(outcome.type, 'ok');
    }),
    { numRuns: 500 },
  );
});

// ---- payload ----

test('payload: value, separator, then dots up to the size', () => {
  const buffer = encodePayload('p0-000041', 20);
  assert.equal(buffer.length, 20);
  assert.equal(buffer.toString('utf8'), 'p0-000041|..........');
  assert.equal(decodePayloadValue(buffer), 'p0-000041');
});

test('payload: a size smaller than the value keeps the whole value and the separator', () => {
  const buffer = encodePayload('p12-000000001', 1);
  assert.equal(buffer.toString('utf8'), 'p12-000000001|');
  assert.equal(decodePayloadValue(buffer), 'p12-000000001');
});

test('payload: empty, null and separator-less payloads decode', () => {
  assert.equal(decodePayloadValue(null), '');
  assert.equal(decodePayloadValue(undefined), '');
  assert.equal(decodePayloadValue(Buffer.alloc(0)), '');
  assert.equal(decodePayloadValue(Buffer.from('foreign-record')), 'foreign-record');
  assert.equal(PAYLOAD_SEPARATOR, '|');
});

test('payload: a value containing the separator does not survive (values must not contain |)', () => {
  assert.equal(decodePayloadValue(encodePayload('a|b', 10)), 'a');
});

test('payload property: round trip for separator-free values, length = max(size, value bytes + 1)', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('|')), fc.integer({ min: 1, max: 300 }), (value, size) => {
      const buffer = encodePayload(value, size);
      assert.equal(buffer.length, Math.max(size, Buffer.byteLength(value) + 1));
      assert.equal(decodePayloadValue(buffer), value);
      assert.ok(buffer.subarray(Buffer.byteLength(value) + 1).every((b) => b === 0x2e), 'padding is dots');
    }),
    { numRuns: 300 },
  );
});

test('send values never contain the payload separator', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/), fc.nat(10_000_000), (producer, seq) => {
      const value = sendValue(producer, seq);
      assert.ok(!value.includes(PAYLOAD_SEPARATOR));
      assert.equal(decodePayloadValue(encodePayload(value, 100)), value);
    }),
  );
});

// ---- producer-config ----

test('producerConfig: acks mapping, delivery reports, defaults', () => {
  const base = { bootstrap: '10.0.0.11:9092,10.0.0.12:9092', idempotent: false, clientId: 'faultline-p0' };
  assert.equal(producerConfig({ ...base, acks: 'all' })['request.required.acks'], -1);
  assert.equal(producerConfig({ ...base, acks: '1' })['request.required.acks'], 1);
  assert.equal(producerConfig({ ...base, acks: '0' })['request.required.acks'], 0);
  const config = producerConfig({ ...base, acks: 'all' });
  assert.equal(config['bootstrap.servers'], '10.0.0.11:9092,10.0.0.12:9092');
  assert.equal(config['client.id'], 'faultline-p0');
  assert.equal(config['enable.idempotence'], false);
  assert.equal(config['dr_cb'], true);
  assert.equal(config['message.timeout.ms'], DEFAULT_DELIVERY_TIMEOUT_MS);
  assert.equal(DEFAULT_DELIVERY_TIMEOUT_MS, 30_000);
  assert.equal('message.send.max.retries' in config, false, 'retries unset leaves librdkafka default');
});

test('producerConfig: retries (including 0), timeout, idempotence and extra overrides', () => {
  const base = { bootstrap: 'b:9092', acks: 'all' as const, clientId: 'c' };
  assert.equal(producerConfig({ ...base, idempotent: true, retries: 0 })['message.send.max.retries'], 0);
  assert.equal(producerConfig({ ...base, idempotent: true, retries: 5 })['message.send.max.retries'], 5);
  assert.equal(producerConfig({ ...base, idempotent: true })['enable.idempotence'], true);
  assert.equal(producerConfig({ ...base, idempotent: false, timeoutMs: 1234 })['message.timeout.ms'], 1234);
  const extra = producerConfig({ ...base, idempotent: false, extra: { 'linger.ms': 0, 'batch.size': 1000 } });
  assert.equal(extra['linger.ms'], 0);
  assert.equal(extra['batch.size'], 1000);
  assert.equal(producerConfig({ ...base, idempotent: false })['linger.ms'], 5);
});

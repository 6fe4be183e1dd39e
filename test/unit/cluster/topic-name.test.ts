import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { assertTopicName, MAX_TOPIC_NAME_LENGTH, topicNameProblem } from '../../../src/kafka/topic-name.js';
import { createTopicError, withAdmin } from '../../../src/kafka/admin.js';
import { EXIT_USAGE, FaultlineError, UsageError } from '../../../src/errors.js';

const ALLOWED = Array.from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-');

test("topic names: Kafka's rule, 1..249 of letters, digits, '.', '_', '-', but not '.' or '..'", () => {
  for (const good of ['t', 'rf3', 'my.topic_v-2', '...', '-', '_', 'a'.repeat(MAX_TOPIC_NAME_LENGTH)]) assert.equal(topicNameProblem(good), undefined, good);
  for (const bad of ['', '.', '..', 'bad name!', 'a/b', 'é', 'tab\t', 'a'.repeat(MAX_TOPIC_NAME_LENGTH + 1)]) assert.notEqual(topicNameProblem(bad), undefined, JSON.stringify(bad));
  assert.match(topicNameProblem('..') ?? '', /'\.\.' is not a valid topic name \('\.' and '\.\.' are reserved\)/);
  assert.equal(topicNameProblem('bad name!'), "'bad name!' is not a valid topic name (letters, digits, '.', '_', '-'; at most 249)");
});

test('topic names: every allowed-alphabet name of length 1..249 is valid; one other character makes it invalid', () => {
  const allowedName = fc.string({ unit: fc.constantFrom(...ALLOWED), minLength: 1, maxLength: MAX_TOPIC_NAME_LENGTH }).filter((s) => s !== '.' && s !== '..');
  fc.assert(fc.property(allowedName, (name) => topicNameProblem(name) === undefined));
  const otherChar = fc.string({ minLength: 1, maxLength: 1 }).filter((c) => !ALLOWED.includes(c));
  fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...ALLOWED), maxLength: 50 }), otherChar, fc.nat(50), (name, c, at) => {
    const i = Math.min(at, name.length);
    return topicNameProblem(name.slice(0, i) + c + name.slice(i)) !== undefined;
  }));
});

test('assertTopicName: a UsageError naming the field', () => {
  assert.throws(() => assertTopicName('bad name!'), (e: unknown) => e instanceof UsageError && e.exitCode === EXIT_USAGE && e.message.startsWith("topic: 'bad name!' is not a valid topic name"));
  assert.throws(() => assertTopicName('.', 'name'), (e: unknown) => e instanceof UsageError && e.message.startsWith("name: '.'"));
  assert.doesNotThrow(() => assertTopicName('ok'));
});

test('createTopic refuses a bad name as a UsageError before sending any request', async () => {
  // Nothing listens on port 9: a request would fail as an environment error (exit 3) after the timeout.
  await assert.rejects(
    withAdmin('127.0.0.1:9', (admin) => admin.createTopic({ name: 'bad name!', partitions: 1, replicationFactor: 1 }), 2000),
    (e: unknown) => e instanceof UsageError && e.message.startsWith("name: 'bad name!' is not a valid topic name"),
  );
});

test('topic create with a bad name exits 2 before looking for a cluster', () => {
  // An empty FAULTLINE_HOME has no cluster: looking for one would exit 3.
  const home = mkdtempSync(join(tmpdir(), 'faultline-topic-'));
  const result = spawnSync(process.execPath, ['dist/src/cli/main.js', 'topic', 'create', 'bad name!', '--partitions', '1', '--replication-factor', '1'], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, FAULTLINE_HOME: home },
  });
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /name: 'bad name!' is not a valid topic name/);
});

test("a CreateTopics refusal: Kafka's INVALID_TOPIC_EXCEPTION (17) and a name collision are usage errors naming the field; a timeout is the environment", () => {
  const invalid = createTopicError('x', { code: 17, message: 'Broker: Invalid topic' });
  assert.ok(invalid instanceof UsageError);
  assert.match(invalid.message, /^name: Kafka refused the topic name 'x': Broker: Invalid topic$/);
  const collision = createTopicError('col.x', { message: "Topic 'col.x' collides with existing topic: col_x" });
  assert.ok(collision instanceof UsageError);
  assert.ok(createTopicError('x', { code: 36, message: 'Topic already exists' }) instanceof UsageError);
  const timeout = createTopicError('x', { code: -185, message: 'Local: Timed out' });
  assert.ok(timeout instanceof FaultlineError && !(timeout instanceof UsageError));
});

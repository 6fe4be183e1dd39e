import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySendError, exceptionSimpleName } from '../../../src/peer/send-error-class.js';

const E = 'class org.apache.kafka.common.errors.';

test('simple names from Class.toString()', () => {
  assert.equal(exceptionSimpleName(`${E}TimeoutException`), 'TimeoutException');
  assert.equal(exceptionSimpleName('class java.lang.IllegalStateException'), 'IllegalStateException');
  assert.equal(exceptionSimpleName('class org.example.Outer$InnerException'), 'InnerException');
  assert.equal(exceptionSimpleName(''), 'UnknownException');
});

test('the classification table', () => {
  const cases: [string, string, 'fail' | 'info', number?][] = [
    [`${E}TimeoutException`, 'Topic t not present in metadata after 60000 ms.', 'fail'],
    [`${E}TimeoutException`, 'Failed to allocate memory within the configured max blocking time 60000 ms.', 'fail'],
    [`${E}TimeoutException`, 'Expiring 3 record(s) for t-0:120000 ms has passed since batch creation', 'info'],
    [`${E}TimeoutException`, 'The request timed out.', 'info'],
    [`${E}NetworkException`, 'The server disconnected before a response was received.', 'info'],
    [`${E}DisconnectException`, '', 'info'],
    [`${E}NotEnoughReplicasAfterAppendException`, 'Messages are written to the log, but to fewer in-sync replicas than required.', 'info'],
    [`${E}NotEnoughReplicasException`, 'Messages are rejected since there are fewer in-sync replicas than required.', 'fail'],
    [`${E}NotLeaderOrFollowerException`, 'not the leader', 'fail'],
    [`${E}NotLeaderOrFollowerException`, 'not the leader', 'info', 3],
    [`${E}RecordTooLargeException`, 'The message is 1048677 bytes when serialized which is larger than 1048576, which is the value of the max.request.size configuration.', 'fail', 3],
    [`${E}RecordTooLargeException`, 'The request included a message larger than the max message size the server will accept.', 'fail'],
    [`${E}UnknownTopicOrPartitionException`, 'This server does not host this topic-partition.', 'fail'],
    [`${E}KafkaStorageException`, 'Disk error when trying to access log file on the disk.', 'info'],
    ['class java.lang.IllegalStateException', 'Cannot perform operation after producer has been closed', 'fail'],
    ['class org.apache.kafka.common.KafkaException', 'Producer is closed forcefully.', 'info'],
    ['class org.example.SomethingNew', 'who knows', 'info'],
  ];
  for (const [cls, msg, expected, retries] of cases) {
    const got = classifySendError(cls, msg, { retries: retries ?? 0 });
    assert.equal(got.outcome, expected, `${cls} "${msg}" retries=${retries ?? 0}: ${got.reason}`);
    assert.ok(got.reason.length > 0);
  }
  assert.equal(classifySendError(`${E}NetworkException`, null).code, 'NetworkException');
});

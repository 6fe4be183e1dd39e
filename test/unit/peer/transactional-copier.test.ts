import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FaultlineError, UsageError } from '../../../src/errors.js';
import type { QueueOpRecord } from '../../../src/history/queue-op.js';
import { toJournalRecord } from '../../../src/history/record-validate.js';
import { TRANSACTIONAL_COPIER_CLASS, copierTimeEpochMs, parseCopierOutput, transactionalCopierCommand } from '../../../src/peer/transactional-copier.js';
import { copierQueueRecords } from '../../../src/peer/copier-history.js';

const dist3 = { libDir: '/cache/kafka/3.9.2/libs', major: 3 };
const START = Date.UTC(2026, 10, 22, 10, 0, 0, 0);

// Sample lines written from what older TransactionalMessageCopier versions print, per the helper's reading (apache/kafka
// tools/src/main/java/org/apache/kafka/tools/TransactionalMessageCopier.java, 3.9.2/4.3.1 form: statusAsJson and
// shutDownString are Jackson dumps of a HashMap, so key order is the map's; "time" is SimpleDateFormat
// "yyyy/MM/dd HH:mm:ss:SSS" in the JVM zone, which the command pins to UTC).
const status = (total: number, consumed: number, remaining: number, time: string, stage = 'ProcessLoop'): string =>
  `{"stage":"${stage}","consumed":${consumed},"progress":"copier-0","time":"2026/11/22 ${time}","remaining":${remaining},"totalProcessed":${total}}`;
const shutdown = (total: number, remaining: number, time: string): string =>
  `{"consumed":${total},"shutdown_complete":"copier-0","time":"2026/11/22 ${time}","remaining":${remaining},"totalProcessed":${total}}`;

test('command: --broker-list and the copier options; the JVM zone pinned to UTC', () => {
  const cmd = transactionalCopierCommand({
    dist: dist3, bootstrapServers: 'b:9092', inputTopic: 'in', inputPartition: 1, outputTopic: 'out', transactionalId: 'copier-1', consumerGroup: 'cg',
    transactionSize: 50, transactionTimeoutMs: 40_000, enableRandomAborts: true, useGroupMetadata: true, logConfigFile: '/l',
  });
  assert.deepEqual(cmd.args, [
    '-Xmx256m', '-Duser.language=en', '-Duser.country=US', '-Duser.timezone=UTC', '-Dlog4j.configuration=file:/l', '-cp', '/cache/kafka/3.9.2/libs/*', TRANSACTIONAL_COPIER_CLASS,
    '--broker-list', 'b:9092', '--input-topic', 'in', '--input-partition', '1', '--output-topic', 'out', '--transactional-id', 'copier-1', '--consumer-group', 'cg',
    '--max-messages', '-1', '--transaction-size', '50', '--transaction-timeout', '40000', '--enable-random-aborts', '--use-group-metadata',
  ]);
  assert.throws(() => transactionalCopierCommand({ dist: dist3, bootstrapServers: 'b', inputTopic: 'in', inputPartition: -1, outputTopic: 'o', transactionalId: 't', consumerGroup: 'g' }), UsageError);
  assert.throws(() => transactionalCopierCommand({ dist: dist3, bootstrapServers: 'b', inputTopic: 'in', inputPartition: 0, outputTopic: 'o', transactionalId: 't', consumerGroup: 'g', transactionSize: 0 }), /transactionSize/);
});

test('time stamps: the tool format in UTC; anything else is null', () => {
  assert.equal(copierTimeEpochMs('2026/11/22 10:00:01:250'), START + 1250);
  assert.equal(copierTimeEpochMs('2026-11-22T10:00:01Z'), null);
  assert.equal(copierTimeEpochMs(12), null);
});

test('progress: each increase of totalProcessed between two lines is one committed transaction; aborts and empty polls leave none', () => {
  const lines = [
    'log noise on stdout',
    status(0, 0, 5, '10:00:00:100'),
    status(0, 0, 5, '10:00:00:300'), // empty poll, or an aborted transaction
    status(3, 3, 2, '10:00:00:500'),
    status(3, 3, 2, '10:00:00:700'),
    shutdown(5, 0, '10:00:00:900'),
  ];
  const p = parseCopierOutput(lines, { runStartEpochMs: START });
  assert.deepEqual(p.transactions, [{ startTimeMs: 300, timeMs: 500, messages: 3 }, { startTimeMs: 700, timeMs: 900, messages: 2 }]);
  assert.equal(p.transactionalId, 'copier-0');
  assert.equal(p.totalProcessed, 5);
  assert.equal(p.remaining, 0);
  assert.equal(p.shutdownTimeMs, 900);
  assert.equal(p.lastStatusTimeMs, 900);
  assert.equal(p.statusLines, 5);
  assert.equal(p.ignoredLines, 1);
  assert.throws(() => parseCopierOutput([status(3, 3, 0, '10:00:00:100'), status(1, 1, 0, '10:00:00:200')], { runStartEpochMs: START }), /went back/);
  assert.equal(parseCopierOutput([status(0, 0, 9, '10:00:00:100', 'RebalanceComplete')], { runStartEpochMs: START }).rebalances, 1);
});

const input: [number, number][] = [[0, 10], [1, 11], [3, 12], [4, 13], [5, 14]];
const base = { process: 'copier0', inputTopic: 'in', outputTopic: 'out', partition: 0, input, transactionSize: 3 };

function brief(r: QueueOpRecord): string {
  return `${r.type} t=${r.timeMs} ${(r.mops ?? []).map((m) => (m.f === 'poll' ? `poll[${m.partitions.flatMap((p) => p.records.map(([o, v]) => `${o}=${v}`)).join(',')}]` : m.f === 'send' ? `${m.value}@${m.offset ?? '-'}` : m.f)).join(' ')}`;
}

test('txn records: the k-th reported transaction is the next output records; its poll the same values in the input', () => {
  const progress = parseCopierOutput([status(0, 0, 5, '10:00:00:100'), status(3, 3, 2, '10:00:00:500'), shutdown(5, 0, '10:00:00:900')], { runStartEpochMs: START });
  // Output offsets skip the transaction markers (offset 3, 6 here).
  const output: [number, number][] = [[0, 10], [1, 11], [2, 12], [4, 13], [5, 14]];
  const h = copierQueueRecords(progress, { ...base, output });
  assert.deepEqual(h.records.map(brief), ['invoke t=100 poll[] 10@- 11@- 12@-', 'ok t=500 poll[0=10,1=11,3=12] 10@0 11@1 12@2', 'invoke t=500 poll[] 13@- 14@-', 'ok t=900 poll[4=13,5=14] 13@4 14@5']);
  assert.deepEqual([h.transactions, h.unreportedMessages, h.missingMessages, h.notInInput], [2, 0, 0, 0]);
  const ok = h.records[1] as QueueOpRecord;
  assert.deepEqual(ok.mops?.[0], { f: 'poll', partitions: [{ partition: 0, topic: 'in', records: [[0, 10], [1, 11], [3, 12]] }] });
  assert.deepEqual((ok.mops ?? [])[1], { f: 'send', topic: 'out', partition: 0, value: 10, offset: 0 });
  for (const r of h.records) assert.deepEqual(toJournalRecord(JSON.parse(JSON.stringify(r))), r);
});

test('txn records: an unreported last commit, a missing copy, a duplicate copy and a foreign value show as they are', () => {
  const killed = parseCopierOutput([status(0, 0, 5, '10:00:00:100'), status(2, 2, 3, '10:00:00:400')], { runStartEpochMs: START });
  const tail = copierQueueRecords(killed, { ...base, output: [[0, 10], [1, 11], [2, 12], [3, 13]] });
  assert.deepEqual(tail.records.map(brief).slice(2), ['invoke t=400 poll[] 12@- 13@-', 'ok t=400 poll[3=12,4=13] 12@2 13@3']);
  assert.equal(tail.unreportedMessages, 2);
  const short = copierQueueRecords(killed, { ...base, output: [[0, 10]] });
  assert.equal(short.missingMessages, 1);
  const dup = copierQueueRecords(killed, { ...base, output: [[0, 10], [1, 10], [2, 99]] });
  assert.deepEqual(dup.records.map(brief).slice(1), ['ok t=400 poll[0=10,0=10] 10@0 10@1', 'invoke t=400 poll[] 99@-', 'ok t=400 poll[] 99@2']);
  assert.equal(dup.notInInput, 1);
  assert.throws(() => copierQueueRecords(killed, { ...base, output: [[0, 10], [1, 11], [2, 12], [3, 13], [4, 14], [5, 15]] }), FaultlineError);
});

test('the real 4.3.1 status lines (captured from the tool on a local cluster, 2026-12-02): transactionalId, stage, time', () => {
  const lines = [
    '{"transactionalId":"t1","stage":"ProcessLoop","time":"2026/11/22 10:00:01:000","totalProcessed":0,"consumed":0,"remaining":200}',
    '{"transactionalId":"t1","stage":"ProcessLoop","time":"2026/11/22 10:00:01:500","totalProcessed":20,"consumed":20,"remaining":180}',
    '{"transactionalId":"t1","stage":"ProcessLoop","time":"2026/11/22 10:00:02:000","totalProcessed":40,"consumed":40,"remaining":160}',
    '{"transactionalId":"t1","stage":"ShutdownComplete","time":"2026/11/22 10:00:03:000","totalProcessed":40,"consumed":40,"remaining":160}',
  ];
  const progress = parseCopierOutput(lines, { runStartEpochMs: START });
  assert.equal(progress.transactionalId, 't1');
  assert.equal(progress.statusLines, 4);
  assert.deepEqual(progress.transactions.map((t) => t.messages), [20, 20]);
  assert.equal(progress.totalProcessed, 40);
  assert.equal(progress.shutdownTimeMs, 3000);
});

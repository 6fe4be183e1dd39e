import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FaultlineError, UsageError } from '../../../src/errors.js';
import type { QueueOpRecord } from '../../../src/history/queue-op.js';
import { toJournalRecord } from '../../../src/history/record-validate.js';
import { VERIFIABLE_CONSUMER_CLASS, verifiableConsumerCommand } from '../../../src/peer/verifiable-consumer.js';
import { VerifiableConsumerConverter, convertVerifiableConsumerOutput } from '../../../src/peer/verifiable-consumer-converter.js';

const START = 1_795_326_195_000;
const dist4 = { libDir: '/cache/kafka/4.3.1/libs', major: 4 };
const dist3 = { libDir: '/cache/kafka/3.9.2/libs', major: 3 };
const OPTIONS = { runStartEpochMs: START, topic: 'q', partitions: 2, process: 'vc0' };

// Sample lines written from what VerifiableConsumer prints (apache/kafka
// tools/src/main/java/org/apache/kafka/tools/VerifiableConsumer.java; 3.9.2 and 4.3.1 have the same event classes,
// 4.3.1 adds shutdown_requested): every event starts with "timestamp" and "name" (@JsonPropertyOrder), topic
// partitions serialise as {"topic","partition"}, RecordSetSummary as {"topic","partition","count","minOffset","maxOffset"},
// CommitData as {"topic","partition","offset"}; "error" only when a commit failed (@JsonInclude NON_NULL).
const tp = (p: number): string => `{"topic":"q","partition":${p}}`;
const L = {
  startup: (t: number) => `{"timestamp":${START + t},"name":"startup_complete"}`,
  assigned: (t: number, ps: number[]) => `{"timestamp":${START + t},"name":"partitions_assigned","partitions":[${ps.map(tp).join(',')}]}`,
  revoked: (t: number, ps: number[]) => `{"timestamp":${START + t},"name":"partitions_revoked","partitions":[${ps.map(tp).join(',')}]}`,
  record: (t: number, p: number, o: number, v: string) => `{"timestamp":${START + t},"name":"record_data","key":null,"value":${JSON.stringify(v)},"topic":"q","partition":${p},"offset":${o}}`,
  consumed: (t: number, parts: [number, number, number, number][]) =>
    `{"timestamp":${START + t},"name":"records_consumed","count":${parts.reduce((s, [, c]) => s + c, 0)},"partitions":[${parts.map(([p, c, lo, hi]) => `{"topic":"q","partition":${p},"count":${c},"minOffset":${lo},"maxOffset":${hi}}`).join(',')}]}`,
  committed: (t: number, offsets: [number, number][], error?: string) =>
    `{"timestamp":${START + t},"name":"offsets_committed","offsets":[${offsets.map(([p, o]) => `{"topic":"q","partition":${p},"offset":${o}}`).join(',')}]${error !== undefined ? `,"error":${JSON.stringify(error)}` : ''},"success":${error === undefined}}`,
  shutdownRequested: (t: number) => `{"timestamp":${START + t},"name":"shutdown_requested"}`,
  shutdown: (t: number) => `{"timestamp":${START + t},"name":"shutdown_complete"}`,
};

function brief(r: QueueOpRecord): string {
  const mops = (r.mops ?? []).map((m) => (m.f === 'poll' ? `poll[${m.partitions.map((p) => `${p.partition}:${p.records.map(([o, v]) => `${o}=${v}`).join(',')}`).join(' ')}]` : m.f)).join(' ');
  const offsets = r.offsets ? ` ${r.offsets.map((o) => `${o.partition}@${o.offset}`).join(',')}` : '';
  const reb = r.rebalances ? ` reb:${r.rebalances.map((b) => `+${b.assigned.join('.')}-${b.revoked.join('.')}`).join('|')}` : '';
  return `${r.type} ${r.f} t=${r.timeMs}${mops ? ` ${mops}` : ''}${offsets}${reb}${r.error ? ` !${r.error.code}` : ''}`;
}

test('command: 4.3.1 always --verbose, never autocommit, --command-config; 3.9.2 --consumer.config', () => {
  const cmd4 = verifiableConsumerCommand({ dist: dist4, bootstrapServers: 'b:9092', topic: 'q', groupId: 'g', consumerConfigFile: '/run/c.properties', groupProtocol: 'consumer', logConfigFile: '/l2' });
  assert.deepEqual(cmd4.args, [
    '-Xmx256m', '-Duser.language=en', '-Duser.country=US', '-Dlog4j2.configurationFile=/l2', '-cp', '/cache/kafka/4.3.1/libs/*', VERIFIABLE_CONSUMER_CLASS,
    '--bootstrap-server', 'b:9092', '--topic', 'q', '--group-id', 'g', '--max-messages', '-1', '--reset-policy', 'earliest', '--verbose',
    '--group-protocol', 'consumer', '--command-config', '/run/c.properties',
  ]);
  const cmd3 = verifiableConsumerCommand({ dist: dist3, bootstrapServers: 'b:9092', topic: 'q', groupId: 'g', maxMessages: 100, sessionTimeoutMs: 10_000, groupInstanceId: 'i1', consumerConfigFile: '/c' });
  assert.deepEqual(cmd3.args.slice(cmd3.args.indexOf(VERIFIABLE_CONSUMER_CLASS) + 1), [
    '--bootstrap-server', 'b:9092', '--topic', 'q', '--group-id', 'g', '--max-messages', '100', '--reset-policy', 'earliest', '--verbose',
    '--session-timeout', '10000', '--group-instance-id', 'i1', '--consumer.config', '/c',
  ]);
  assert.ok(!cmd3.args.includes('--enable-autocommit'));
});

test('command: rejects empty names, bad counts, a session timeout with the consumer protocol', () => {
  const base = { dist: dist4, bootstrapServers: 'b:1', topic: 'q', groupId: 'g' };
  assert.throws(() => verifiableConsumerCommand({ ...base, groupId: '' }), /groupId/);
  assert.throws(() => verifiableConsumerCommand({ ...base, topic: 'a b' }), /topic/);
  assert.throws(() => verifiableConsumerCommand({ ...base, maxMessages: -2 }), /maxMessages/);
  assert.throws(() => verifiableConsumerCommand({ ...base, groupProtocol: 'consumer', sessionTimeoutMs: 10_000 }), UsageError);
  assert.throws(() => verifiableConsumerCommand({ ...base, resetPolicy: 'first' as 'earliest' }), /resetPolicy/);
});

test('a whole run: subscribe, polls with their rebalances, commits; every record passes the journal validator', () => {
  const lines = [
    'SLF4J: a line some classpath prints on stdout',
    L.startup(100),
    L.assigned(400, [1, 0]),
    L.record(410, 0, 0, '7'),
    L.record(410, 0, 1, '9'),
    L.record(411, 1, 0, '8'),
    L.consumed(412, [[0, 2, 0, 1], [1, 1, 0, 0]]),
    L.committed(420, [[0, 2], [1, 1]]),
    L.revoked(900, [0, 1]),
    L.assigned(950, [0]),
    L.record(960, 0, 2, '11'),
    L.consumed(961, [[0, 1, 2, 2]]),
    L.committed(970, [[0, 3]]),
    L.shutdownRequested(1000),
    L.revoked(1010, [0]),
    L.shutdown(1020),
  ];
  const { records, summary } = convertVerifiableConsumerOutput(lines, OPTIONS);
  assert.deepEqual(records.map(brief), [
    'invoke subscribe t=100',
    'ok subscribe t=100',
    'invoke poll t=100 poll[]',
    'ok poll t=412 poll[0:0=7,1=9 1:0=8] reb:+0.1-',
    'invoke commit t=412 0@2,1@1',
    'ok commit t=420 0@2,1@1',
    'invoke poll t=420 poll[]',
    'ok poll t=961 poll[0:2=11] reb:+-0.1|+0-',
    'invoke commit t=961 0@3',
    'ok commit t=970 0@3',
  ]);
  assert.deepEqual(records[1], { kind: 'queue', type: 'ok', f: 'subscribe', process: 'vc0', timeMs: 100, topic: 'q', partitions: [0, 1] });
  for (const r of records) assert.deepEqual(toJournalRecord(JSON.parse(JSON.stringify(r))), r);
  assert.equal(summary.polls, 2);
  assert.equal(summary.recordsPolled, 4);
  assert.equal(summary.commitsOk, 2);
  assert.equal(summary.rebalances, 4);
  assert.equal(summary.closeRebalances, 1);
  assert.equal(summary.crashed, false);
  assert.equal(summary.shutdownTimeMs, 1020);
  assert.equal(summary.ignoredLines, 1);
});

test('a failed commit is info with its message; an empty commit after an empty poll is not recorded', () => {
  const msg = 'Commit cannot be completed since the group has already rebalanced and assigned the partitions to another member.';
  const { records, summary } = convertVerifiableConsumerOutput(
    [L.startup(0), L.consumed(50, []), L.committed(51, []), L.record(60, 1, 4, '3'), L.consumed(61, [[1, 1, 4, 4]]), L.committed(70, [[1, 5]], msg), L.shutdown(80)],
    OPTIONS,
  );
  assert.deepEqual(records.slice(2).map(brief), ['invoke poll t=0 poll[]', 'ok poll t=50 poll[]', 'invoke poll t=50 poll[]', 'ok poll t=61 poll[1:4=3]', 'invoke commit t=61 1@5', 'info commit t=70 1@5 !COMMIT_FAILED']);
  assert.equal(records.at(-1)?.error?.message, msg);
  assert.equal(summary.emptyCommits, 1);
  assert.equal(summary.commitsFailed, 1);
});

test('a killed tool: records printed without their summary become a last poll, then a crash (no shutdown_complete)', () => {
  const converter = new VerifiableConsumerConverter(OPTIONS);
  const out = [L.startup(0), L.assigned(10, [0, 1]), L.record(20, 0, 0, '1'), L.record(20, 0, 1, '2')].flatMap((l) => converter.line(l));
  out.push(...converter.finish());
  assert.deepEqual(out.slice(2).map(brief), ['invoke poll t=0 poll[]', 'ok poll t=20 poll[0:0=1,1=2] reb:+0.1-', 'info crash t=20']);
  assert.equal(converter.summary().crashed, true);
  assert.deepEqual(converter.finish(), []);
  assert.throws(() => converter.line(L.shutdown(30)), /after finish/);
  for (const r of out) toJournalRecord(JSON.parse(JSON.stringify(r)));
});

test('values that are not integers are left out and counted; the summary still has to match the records printed', () => {
  const { records, summary } = convertVerifiableConsumerOutput([L.startup(0), L.record(5, 0, 0, '3.41'), L.record(5, 0, 1, '42'), L.consumed(6, [[0, 2, 0, 1]]), L.shutdown(9)], OPTIONS);
  assert.equal(brief(records[3] as QueueOpRecord), 'ok poll t=6 poll[0:1=42]');
  assert.equal(summary.foreignValues, 1);
});

test('misconfigured runs are errors: no --verbose, a summary that does not match, another topic', () => {
  assert.throws(() => convertVerifiableConsumerOutput([L.startup(0), L.consumed(5, [[0, 2, 0, 1]])], OPTIONS), /--verbose/);
  assert.throws(() => convertVerifiableConsumerOutput([L.startup(0), L.record(5, 0, 0, '1'), L.consumed(6, [[0, 2, 0, 1]])], OPTIONS), FaultlineError);
  assert.throws(() => convertVerifiableConsumerOutput([L.startup(0), L.record(5, 0, 0, '1'), L.consumed(6, [[1, 1, 0, 0]])], OPTIONS), /partition/);
  assert.throws(() => convertVerifiableConsumerOutput([L.startup(0), L.record(5, 0, 0, '1').replace('"q"', '"other"')], OPTIONS), /topic "other"/);
  assert.throws(() => new VerifiableConsumerConverter({ ...OPTIONS, partitions: 0 }), UsageError);
});

test('times never go back (stamps taken before the stdout lock) and count from the run start', () => {
  const { records } = convertVerifiableConsumerOutput([L.startup(100), L.record(205, 0, 0, '1'), L.consumed(200, [[0, 1, 0, 0]]), L.committed(199, [[0, 1]]), L.shutdown(300)], OPTIONS);
  const times = records.map((r) => r.timeMs);
  assert.deepEqual(times, [100, 100, 100, 205, 205, 205]);
});

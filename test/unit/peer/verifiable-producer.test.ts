import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OpRecord } from '../../../src/history/operation.js';
import { FaultlineError, UsageError } from '../../../src/errors.js';
import {
  VERIFIABLE_PRODUCER_CLASS,
  VerifiableProducerConverter,
  convertVerifiableProducerLine,
  verifiableProducerCommand,
} from '../../../src/peer/verifiable-producer.js';

const START = 1_795_326_195_000;
const dist4 = { libDir: '/cache/kafka/4.3.1/libs', major: 4 };
const dist3 = { libDir: '/cache/kafka/3.9.2/libs', major: 3 };

/** Lines in the exact shape the 4.3.1 tool prints (startup/error/shutdown/tool_data captured from a real run). */
const line = {
  startup: `{"timestamp":${START + 850},"name":"startup_complete"}`,
  ok: (v: string, p: number, o: number, t: number) =>
    `{"timestamp":${START + t},"name":"producer_send_success","key":null,"value":"${v}","topic":"t1","partition":${p},"offset":${o}}`,
  err: (v: string, cls: string, msg: string, t: number) =>
    `{"timestamp":${START + t},"name":"producer_send_error","topic":"t1","key":null,"value":"${v}","exception":"class org.apache.kafka.common.errors.${cls}","message":${JSON.stringify(msg)}}`,
  shutdown: `{"timestamp":${START + 9000},"name":"shutdown_complete"}`,
  toolData: (sent: number, acked: number) =>
    `{"timestamp":${START + 9010},"name":"tool_data","sent":${sent},"acked":${acked},"target_throughput":-1,"avg_throughput":1234.5}`,
};

function brief(r: OpRecord): string {
  const where = r.partition !== undefined ? `@${r.partition}:${r.offset ?? '-'}` : '';
  const err = r.error !== undefined ? `!${r.error.code}` : '';
  return `${r.type} ${r.value}${where}${err} t=${r.timeMs}`;
}

test('command: 4.3.1 option names, acks all → -1, --command-config, log4j2 config, classpath', () => {
  const cmd = verifiableProducerCommand({
    dist: dist4, bootstrapServers: '10.77.0.2:9092,10.77.0.3:9092', topic: 't1', maxMessages: 1000, throughputPerSec: 500, acks: 'all',
    producerConfigFile: '/run/p.properties', valuePrefix: 3, logConfigFile: '/run/tools-log4j2.properties',
  });
  assert.match(cmd.command, /java$/);
  assert.deepEqual(cmd.args, [
    '-Xmx256m', '-Duser.language=en', '-Duser.country=US',
    '-Dlog4j2.configurationFile=/run/tools-log4j2.properties',
    '-cp', '/cache/kafka/4.3.1/libs/*', VERIFIABLE_PRODUCER_CLASS,
    '--bootstrap-server', '10.77.0.2:9092,10.77.0.3:9092', '--topic', 't1', '--max-messages', '1000', '--throughput', '500', '--acks', '-1',
    '--command-config', '/run/p.properties', '--value-prefix', '3',
  ]);
});

test('command: 3.9.2 uses --producer.config and log4j 1; defaults: unthrottled, no prefix', () => {
  const cmd = verifiableProducerCommand({ dist: dist3, bootstrapServers: 'b:9092', topic: 't', maxMessages: -1, acks: '1', producerConfigFile: '/p', logConfigFile: '/l.properties', heapMb: 128 });
  assert.deepEqual(cmd.args, [
    '-Xmx128m', '-Duser.language=en', '-Duser.country=US', '-Dlog4j.configuration=file:/l.properties',
    '-cp', '/cache/kafka/3.9.2/libs/*', VERIFIABLE_PRODUCER_CLASS,
    '--bootstrap-server', 'b:9092', '--topic', 't', '--max-messages', '-1', '--throughput', '-1', '--acks', '1', '--producer.config', '/p',
  ]);
});

test('command: rejects bad acks, negative prefix, out-of-range counts', () => {
  const base = { dist: dist4, bootstrapServers: 'b:1', topic: 't', maxMessages: 10, acks: 'all' };
  assert.throws(() => verifiableProducerCommand({ ...base, acks: '2' }), UsageError);
  assert.throws(() => verifiableProducerCommand({ ...base, valuePrefix: -1 }), UsageError);
  assert.throws(() => verifiableProducerCommand({ ...base, maxMessages: -2 }), UsageError);
  assert.throws(() => verifiableProducerCommand({ ...base, maxMessages: 2 ** 31 }), UsageError);
  assert.throws(() => verifiableProducerCommand({ ...base, topic: ' ' }), UsageError);
});

test('converter: success → invoke then ok with partition/offset, value mapped to vp<prefix>-<seq>', () => {
  const c = new VerifiableProducerConverter({ runStartEpochMs: START, valuePrefix: 3, topic: 't1' });
  assert.deepEqual(c.line(line.startup), []);
  const out = c.line(line.ok('3.0', 1, 17, 1000));
  assert.deepEqual(out, [
    { kind: 'op', type: 'invoke', f: 'send', process: 'vp3', value: 'vp3-000000', timeMs: 1000 },
    { kind: 'op', type: 'ok', f: 'send', process: 'vp3', value: 'vp3-000000', timeMs: 1000, partition: 1, offset: 17 },
  ]);
  assert.equal(c.summary().startupTimeMs, 850);
});

test('converter: out-of-order reports still invoke in seq (send) order, times never go back', () => {
  const c = new VerifiableProducerConverter({ runStartEpochMs: START, valuePrefix: 0 });
  const a = c.line(line.ok('0.2', 0, 5, 2000)).map(brief);
  assert.deepEqual(a, ['invoke vp0-000000 t=2000', 'invoke vp0-000001 t=2000', 'invoke vp0-000002 t=2000', 'ok vp0-000002@0:5 t=2000']);
  // Stamped 1 ms earlier than the last line (stamp taken before the stdout lock): clamped.
  const b = c.line(line.ok('0.0', 1, 9, 1999)).map(brief);
  assert.deepEqual(b, ['ok vp0-000000@1:9 t=2000']);
  const d = c.line(line.ok('0.1', 0, 4, 2100)).map(brief);
  assert.deepEqual(d, ['ok vp0-000001@0:4 t=2100']);
});

test('converter: delivery timeout → info; NotLeaderOrFollower with retries=0 → fail; metadata timeout → fail', () => {
  const c = new VerifiableProducerConverter({ runStartEpochMs: START, valuePrefix: 1 });
  const expiry = c.line(line.err('1.0', 'TimeoutException', 'Expiring 12 record(s) for t1-0:120000 ms has passed since batch creation', 3000));
  assert.deepEqual(expiry.map(brief), ['invoke vp1-000000 t=3000', 'info vp1-000000!TimeoutException t=3000']);
  assert.equal(expiry[1]?.error?.message, 'Expiring 12 record(s) for t1-0:120000 ms has passed since batch creation');
  const notLeader = c.line(line.err('1.1', 'NotLeaderOrFollowerException', 'For requests intended only for the leader, this error indicates that the broker is not the current leader.', 3001));
  assert.equal(notLeader[1]?.type, 'fail');
  const meta = c.line(line.err('1.2', 'TimeoutException', 'Topic t1 not present in metadata after 1500 ms.', 3002));
  assert.equal(meta[1]?.type, 'fail');
  const net = c.line(line.err('1.3', 'NetworkException', 'The server disconnected before a response was received.', 3003));
  assert.equal(net[1]?.type, 'info');
  const tooLarge = c.line(line.err('1.4', 'RecordTooLargeException', 'The request included a message larger than the max message size the server will accept.', 3004));
  assert.equal(tooLarge[1]?.type, 'fail');
  const s = c.summary();
  assert.deepEqual([s.ok, s.fail, s.info], [0, 3, 2]);
});

test('converter: with producer retries a broker rejection is only info', () => {
  const c = new VerifiableProducerConverter({ runStartEpochMs: START, valuePrefix: 1, retries: 5 });
  const out = c.line(line.err('1.0', 'NotLeaderOrFollowerException', 'not the leader', 10));
  assert.equal(out[1]?.type, 'info');
});

test('converter: acks=0 success (offset -1) → ok without offset', () => {
  const c = new VerifiableProducerConverter({ runStartEpochMs: START });
  const out = c.line(line.ok('0', 2, -1, 10));
  assert.deepEqual(out[1], { kind: 'op', type: 'ok', f: 'send', process: 'vp', value: 'vp-000000', timeMs: 10, partition: 2 });
});

test('converter: non-JSON lines, deprecation notice and tool_data carry no ops; tool_data kept in summary', () => {
  const c = new VerifiableProducerConverter({ runStartEpochMs: START, valuePrefix: 2 });
  assert.deepEqual(c.line('Option --producer.config has been deprecated and will be removed in a future version. Use --command-config instead.'), []);
  assert.deepEqual(c.line('[2026-11-22 05:43:16,380] WARN [Producer clientId=producer-1] Connection to node -1 could not be established.'), []);
  assert.deepEqual(c.line('{"truncated":'), []);
  assert.deepEqual(c.line(line.ok('2.0', 0, 0, 100)).length, 2);
  assert.deepEqual(c.line(line.shutdown), []);
  assert.deepEqual(c.line(line.toolData(1, 1)), []);
  const s = c.summary();
  assert.equal(s.ignoredLines, 3);
  assert.equal(s.firstIgnoredLines.length, 3);
  assert.deepEqual(s.toolData, { sent: 1, acked: 1, targetThroughput: -1, avgThroughputPerSec: 1234.5 });
  assert.equal(s.shutdownTimeMs, 9000);
  assert.deepEqual(c.finish(), []);
});

test('finish: sends never reported (tool killed) → info up to --max-messages', () => {
  const c = new VerifiableProducerConverter({ runStartEpochMs: START, valuePrefix: 5, maxMessages: 4 });
  c.line(line.ok('5.0', 0, 0, 100));
  c.line(line.ok('5.2', 0, 1, 200));
  const out = c.finish({ timeMs: 5000 }).map(brief);
  assert.deepEqual(out, ['invoke vp5-000003 t=5000', 'info vp5-000001!UNREPORTED t=5000', 'info vp5-000003!UNREPORTED t=5000']);
  const s = c.summary();
  assert.equal(s.unreported, 2);
  assert.equal(s.invoked, 4);
  assert.deepEqual(c.finish(), [], 'finish is idempotent');
  assert.throws(() => c.line(line.ok('5.1', 0, 2, 300)), FaultlineError);
});

test('finish: tool_data sent count bounds the unreported range; explicit sentCount wins', () => {
  const c = new VerifiableProducerConverter({ runStartEpochMs: START, maxMessages: -1 });
  c.line(line.ok('0', 0, 0, 100));
  c.line(line.toolData(3, 1));
  assert.deepEqual(c.finish().map(brief), ['invoke vp-000001 t=9010', 'invoke vp-000002 t=9010', 'info vp-000001!UNREPORTED t=9010', 'info vp-000002!UNREPORTED t=9010']);
  const k = new VerifiableProducerConverter({ runStartEpochMs: START, maxMessages: -1 });
  k.line(line.ok('1', 0, 0, 100));
  assert.deepEqual(k.finish({ sentCount: 3 }).map(brief), ['invoke vp-000002 t=100', 'info vp-000000!UNREPORTED t=100', 'info vp-000002!UNREPORTED t=100']);
});

test('converter: a repeated report is dropped and counted; wrong prefix or topic is an error', () => {
  const c = new VerifiableProducerConverter({ runStartEpochMs: START, valuePrefix: 1, topic: 't1' });
  c.line(line.ok('1.0', 0, 0, 10));
  assert.deepEqual(c.line(line.ok('1.0', 0, 0, 11)), []);
  assert.equal(c.summary().repeatedReports, 1);
  assert.throws(() => c.line(line.ok('2.1', 0, 1, 12)), FaultlineError);
  assert.throws(() => c.line(line.ok('abc', 0, 1, 12)), FaultlineError);
  const other = `{"timestamp":${START},"name":"producer_send_success","key":null,"value":"1.1","topic":"t2","partition":0,"offset":1}`;
  assert.throws(() => c.line(other), FaultlineError);
});

test('convertVerifiableProducerLine: functional form over the same state; 100k lines stay fast', () => {
  const c = new VerifiableProducerConverter({ runStartEpochMs: START, valuePrefix: 0 });
  const t0 = performance.now();
  let records = 0;
  for (let i = 0; i < 100_000; i++) records += convertVerifiableProducerLine(line.ok(`0.${i}`, i % 3, i, 1000 + i), c).length;
  const ms = performance.now() - t0;
  assert.equal(records, 200_000);
  assert.equal(c.summary().ok, 100_000);
  assert.ok(ms < 5000, `100k lines took ${ms} ms`);
});

test('runVerifiableProducer: streams records while the tool runs, then finish() closes unreported sends', async () => {
  const { runVerifiableProducer } = await import('../../../src/peer/run-verifiable-producer.js');
  const lines = [line.startup, line.ok('4.0', 0, 0, 1000), line.err('4.1', 'NetworkException', 'The server disconnected before a response was received.', 1100)];
  // A stand-in for the JVM that prints real-format lines and then dies without its shutdown hook.
  const script = `for (const l of ${JSON.stringify(lines)}) console.log(l); process.exit(137);`;
  const records: OpRecord[] = [];
  const run = await runVerifiableProducer(
    { dist: dist4, bootstrapServers: 'b:1', topic: 't1', maxMessages: 3, acks: 'all', valuePrefix: 4 },
    { runStartEpochMs: START, timeoutMs: 10_000, onRecord: (r) => records.push(r), command: { command: process.execPath, args: ['-e', script] } },
  );
  assert.deepEqual(records.map(brief), [
    'invoke vp4-000000 t=1000', 'ok vp4-000000@0:0 t=1000',
    'invoke vp4-000001 t=1100', 'info vp4-000001!NetworkException t=1100',
    'invoke vp4-000002 t=1100', 'info vp4-000002!UNREPORTED t=1100',
  ]);
  assert.equal(run.tool.exitCode, 137);
  assert.equal(run.summary.unreported, 1);
  await assert.rejects(
    runVerifiableProducer({ dist: dist4, bootstrapServers: 'b:1', topic: 't1', maxMessages: 3, acks: 'all' }, { runStartEpochMs: START, timeoutMs: 10_000, onRecord: () => undefined, command: { command: process.execPath, args: ['-e', 'console.error("Exception in thread main"); process.exit(1)'] } }),
    (e: unknown) => e instanceof FaultlineError && e.message.includes('did not start') && e.message.includes('Exception in thread main'),
  );
});

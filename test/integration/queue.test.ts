import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterDown, clusterUp, type ClusterSummary } from '../../src/cluster/local-cluster.js';
import type { JournalRecord } from '../../src/history/operation.js';
import type { QueueOpRecord } from '../../src/history/queue-op.js';
import { withAdmin } from '../../src/kafka/admin.js';
import { rdkafka, settle, type RdKafkaTypes } from '../../src/kafka/rdkafka.js';
import { healAll, injectFault, parseFault } from '../../src/nemesis/index.js';
import { MemorySink } from '../../src/workload/op-sink.js';
import { runQueueWorkload } from '../../src/workload/queue/queue-workload.js';
import type { QueueWorkloadOptions } from '../../src/workload/queue/queue-options.js';
import { faultResidue, residue, runCli } from './support.js';

const PARTITIONS = 3;

function queueRecords(records: readonly JournalRecord[]): QueueOpRecord[] {
  return records.filter((r): r is QueueOpRecord => r.kind === 'queue');
}

/** Values sent by completions of the given type and function (from their send micro-ops). */
function sentValues(records: readonly QueueOpRecord[], type: string, f: string): number[] {
  return records.filter((r) => r.type === type && r.f === f && r.process !== 'drain').flatMap((r) => (r.mops ?? []).flatMap((m) => (m.f === 'send' ? [m.value] : [])));
}

/** Reads the whole topic with a client of the test's own (not faultline's workload code): every value, by isolation. */
async function readAll(bootstrap: string, topic: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<Set<number>> {
  const ends = await withAdmin(bootstrap, (admin) => admin.offsets(topic));
  const { KafkaConsumer } = rdkafka();
  const consumer = new KafkaConsumer({ 'bootstrap.servers': bootstrap, 'group.id': `test-reader-${Date.now()}`, 'enable.auto.commit': false, 'isolation.level': isolation, log_level: 0 }, { 'auto.offset.reset': 'earliest' });
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 15_000 }, settle(() => resolve(), reject)));
  const values = new Set<number>();
  try {
    consumer.assign(ends.map((p) => ({ topic, partition: p.partition, offset: 0 })));
    const deadline = performance.now() + 60_000;
    let idleSince = performance.now();
    while (performance.now() < deadline && performance.now() - idleSince < 5000) {
      const batch = await new Promise<RdKafkaTypes.Message[]>((resolve, reject) => consumer.consume(500, settle(resolve, reject)));
      for (const m of batch) values.add(Number(m.value?.toString()));
      if (batch.length > 0) idleSince = performance.now();
    }
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
  return values;
}

describe('the queue workload on a real 3-node KRaft cluster', () => {
  let cluster: ClusterSummary;
  let topics = 0;

  async function freshTopic(): Promise<string> {
    const name = `queue-${topics++}`;
    await withAdmin(cluster.bootstrap, (admin) => admin.createTopic({ name, partitions: PARTITIONS, replicationFactor: 3, config: { 'min.insync.replicas': '2' } }));
    return name;
  }

  function options(topic: string, sink: MemorySink, overrides: Partial<QueueWorkloadOptions> = {}): QueueWorkloadOptions {
    return {
      bootstrap: cluster.bootstrap, topic, partitions: PARTITIONS, sink, processes: 3, opsPerProcess: 40, durationMs: 60_000, rateOpsPerSec: 20,
      mix: { send: 1, poll: 1, txn: 2 }, transactional: true, isolation: 'read_committed', consumerMode: 'assign', group: `g-${topic}`,
      maxSendsPerOp: 3, abortProbability: 0.25, crashProbability: 0, seed: 7, drainTimeoutMs: 60_000, ...overrides,
    };
  }

  before(async () => {
    await clusterDown();
    cluster = await clusterUp({ brokers: 3, metadata: 'kraft', diskMb: 256 });
  });

  after(async () => {
    await healAll().catch(() => undefined);
    await clusterDown();
    assert.deepEqual(await residue(), []);
  });

  test('transactions with aborts: committed values are in the log for a fresh read_committed reader, aborted ones are not', async () => {
    const topic = await freshTopic();
    const sink = new MemorySink();
    const summary = await runQueueWorkload(options(topic, sink));
    assert.ok(summary.ok > 30, JSON.stringify(summary));
    assert.ok(summary.fail > 0, 'some transactions were aborted on purpose');
    assert.equal(summary.drain.complete, true, JSON.stringify(summary.drain));
    const records = queueRecords(sink.records);
    const committed = sentValues(records, 'ok', 'txn');
    const aborted = sentValues(records, 'fail', 'txn');
    assert.ok(committed.length > 0 && aborted.length > 0);
    const seen = await readAll(cluster.bootstrap, topic, 'read_committed');
    assert.deepEqual(committed.filter((v) => !seen.has(v)), [], 'every committed value is readable');
    assert.deepEqual(aborted.filter((v) => seen.has(v)), [], 'no aborted value is readable with read_committed');
    const raw = await readAll(cluster.bootstrap, topic, 'read_uncommitted');
    assert.ok(aborted.some((v) => raw.has(v)), 'aborted values were written (read_uncommitted sees them): the aborts were real');
    const drained = new Set(records.filter((r) => r.process === 'drain' && r.type === 'ok' && r.f === 'poll').flatMap((r) => (r.mops ?? []).flatMap((m) => (m.f === 'poll' ? m.partitions.flatMap((p) => p.records.map(([, v]) => v)) : []))));
    assert.deepEqual([...seen].filter((v) => !drained.has(v)), [], 'the drain read what an independent reader reads');
  });

  test('subscribed processes crash and a broker is killed: crashes journalled, rebalances recorded, the drain still completes', async () => {
    const topic = await freshTopic();
    const sink = new MemorySink();
    const run = runQueueWorkload(options(topic, sink, { consumerMode: 'subscribe', crashProbability: 0.05, opsPerProcess: 80, abortProbability: 0.1 }));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await injectFault(parseFault({ kind: 'kill', target: 'n2' }));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await healAll();
    const summary = await run;
    assert.ok(summary.crashes > 0, JSON.stringify(summary));
    const records = queueRecords(sink.records);
    assert.equal(records.filter((r) => r.f === 'crash' && r.type === 'info').length, summary.crashes);
    assert.ok(records.some((r) => (r.rebalances ?? []).some((b) => b.assigned.length > 0)), 'rebalance callbacks are recorded on ops');
    assert.equal(summary.drain.complete, true, JSON.stringify(summary.drain));
    assert.deepEqual(await faultResidue(), []);
  });

  test('bad input is refused before anything runs: a topic that holds records, txn operations without transactions', async () => {
    const topic = await freshTopic();
    await runQueueWorkload(options(topic, new MemorySink(), { opsPerProcess: 2, processes: 1, transactional: false, isolation: 'read_uncommitted', mix: { send: 1, poll: 0, txn: 0 } }));
    await assert.rejects(runQueueWorkload(options(topic, new MemorySink())), /topic: queue-\d+ already holds \d+ records/);
    const cli = runCli(['queue', '--topic', await freshTopic(), '--mix', 'txn=1', '--runs-dir', '/tmp/faultline-queue-test-runs']);
    assert.equal(cli.code, 2, cli.stderr);
    assert.match(cli.stderr, /--mix: txn operations need transactional: true/);
  });
});

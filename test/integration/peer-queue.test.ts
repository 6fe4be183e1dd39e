import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultEventSink } from '../../src/history/active-run.js';
import type { JournalRecord } from '../../src/history/operation.js';
import type { QueueOpRecord } from '../../src/history/queue-op.js';
import { toJournalRecord } from '../../src/history/record-validate.js';
import { QueueChecker } from '../../src/checker/queue-checker.js';
import { clusterDown, clusterUp, type ClusterSummary } from '../../src/cluster/local-cluster.js';
import { resolveKafkaDistribution } from '../../src/cluster/kafka-distribution.js';
import { withAdmin } from '../../src/kafka/admin.js';
import { healAll, healFault, injectFault, parseFault } from '../../src/nemesis/index.js';
import { writeProducerConfig, writeToolLogConfig } from '../../src/peer/java-tool.js';
import { runVerifiableConsumer } from '../../src/peer/run-verifiable-consumer.js';
import { runTransactionalCopier } from '../../src/peer/run-transactional-copier.js';
import { copierQueueRecords } from '../../src/peer/copier-history.js';
import { MemorySink } from '../../src/workload/op-sink.js';
import { DRAIN_PROCESS, drainQueue } from '../../src/workload/queue/queue-drain.js';
import { runQueueWorkload } from '../../src/workload/queue/queue-workload.js';
import { sleep } from '../../src/util/time.js';
import { faultResidue, residue, waitFor } from './support.js';

const IN = 'peer-in';
const OUT = 'peer-out';
const PARTITIONS = 2;
const TRANSACTION_SIZE = 50;
/** Bound on each Java tool's run. */
const TOOL_TIMEOUT_MS = 180_000;

function isQueue(r: JournalRecord): r is QueueOpRecord {
  return r.kind === 'queue';
}

/** `[offset, value]` per partition from the ok polls of `process` (the drain's read-back). */
function polledBy(records: readonly JournalRecord[], process: string): Map<number, [number, number][]> {
  const byPartition = new Map<number, [number, number][]>();
  for (const r of records) {
    if (!isQueue(r) || r.process !== process || r.type !== 'ok' || r.f !== 'poll') continue;
    for (const mop of r.mops ?? []) {
      if (mop.f !== 'poll') continue;
      for (const p of mop.partitions) byPartition.set(p.partition, [...(byPartition.get(p.partition) ?? []), ...p.records]);
    }
  }
  return byPartition;
}

/** Values our queue workload got acknowledged (send ok with an offset). */
function acknowledgedValues(records: readonly JournalRecord[]): Set<number> {
  const values = new Set<number>();
  for (const r of records) {
    if (!isQueue(r) || r.type !== 'ok' || r.f !== 'send') continue;
    for (const mop of r.mops ?? []) if (mop.f === 'send' && mop.offset !== undefined) values.add(mop.value);
  }
  return values;
}

describe("Kafka's VerifiableConsumer and TransactionalMessageCopier as queue peers on a real 3-node KRaft cluster", () => {
  let cluster: ClusterSummary;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-peer-queue-'));
    await clusterDown();
    cluster = await clusterUp({ brokers: 3, metadata: 'kraft', diskMb: 256 });
    await withAdmin(cluster.bootstrap, async (admin) => {
      for (const name of [IN, OUT]) await admin.createTopic({ name, partitions: PARTITIONS, replicationFactor: 3, config: { 'min.insync.replicas': '2' } });
    });
  });

  after(async () => {
    await healAll().catch(() => undefined);
    await clusterDown();
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(await residue(), []);
  });

  test('their output converts into queue records that pass the record validator, through a leader kill', async () => {
    const sink = new MemorySink();
    const events: FaultEventSink = (e) => sink.append({ kind: 'event', timeMs: sink.elapsedMs(), ...e });
    const runStartEpochMs = Date.now() - sink.elapsedMs();
    // 1. Our queue workload writes integer values (send only), then drains the input topic (process 'drain').
    const produced = await runQueueWorkload({
      bootstrap: cluster.bootstrap, topic: IN, partitions: PARTITIONS, sink, processes: 2, opsPerProcess: 150, durationMs: 30_000, rateOpsPerSec: 50,
      mix: { send: 1, poll: 0, txn: 0 }, transactional: false, isolation: 'read_committed', consumerMode: 'assign', group: 'peer-q', maxSendsPerOp: 5,
      abortProbability: 0, crashProbability: 0, seed: 7, drainTimeoutMs: 30_000,
    });
    assert.equal(produced.drain.complete, true, JSON.stringify(produced.drain));
    const acknowledged = acknowledgedValues(sink.records);
    assert.ok(acknowledged.size > 100, `acknowledged ${acknowledged.size}`);
    const input = polledBy(sink.records, DRAIN_PROCESS);

    // 2. VerifiableConsumer (read_committed, its own group) and one copier per input partition (random aborts on).
    const dist = await resolveKafkaDistribution(cluster.kafkaVersion);
    const logConfigFile = writeToolLogConfig(dir, dist.major);
    const consumerConfigFile = writeProducerConfig(join(dir, 'vc.properties'), { 'isolation.level': 'read_committed' });
    const stopConsumer = new AbortController();
    const vcRecords: QueueOpRecord[] = [];
    const consuming = runVerifiableConsumer(
      { dist, bootstrapServers: cluster.bootstrap, topic: IN, groupId: 'peer-vc', sessionTimeoutMs: 10_000, consumerConfigFile, logConfigFile },
      { runStartEpochMs, partitions: PARTITIONS, process: 'vc', onRecord: (r) => { vcRecords.push(r); sink.append(r); }, timeoutMs: TOOL_TIMEOUT_MS, signal: stopConsumer.signal },
    );
    const started = Array.from({ length: PARTITIONS }, () => false);
    const copying = Array.from({ length: PARTITIONS }, (_, p) =>
      runTransactionalCopier(
        { dist, bootstrapServers: cluster.bootstrap, inputTopic: IN, inputPartition: p, outputTopic: OUT, transactionalId: `peer-copier-${p}`, consumerGroup: 'peer-copier', transactionSize: TRANSACTION_SIZE, transactionTimeoutMs: 20_000, enableRandomAborts: true, logConfigFile },
        { runStartEpochMs, timeoutMs: TOOL_TIMEOUT_MS, onStdoutLine: () => (started[p] = true) },
      ),
    );
    try {
      // The leader is killed once every copier is copying (a copier whose group coordinator is gone at its start is another test).
      await waitFor('every copier printing its status', () => (started.every(Boolean) ? true : undefined), 60_000);
      await sleep(1000);
      const fault = await injectFault(parseFault({ kind: 'kill', target: `leader:${IN}` }), { events });
      await sleep(8000);
      await healFault(fault.id, { events });
      const copiers = await Promise.all(copying);
      // VerifiableConsumer runs until it has seen every acknowledged value (bounded), then SIGTERM.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && [...acknowledged].some((v) => !polledValues(vcRecords).has(v))) await sleep(500);
      stopConsumer.abort();
      const vc = await consuming;

      assert.equal(vc.summary.crashed, false, 'SIGTERM lets VerifiableConsumer close and print shutdown_complete');
      assert.ok(vc.summary.polls > 0 && vc.summary.commitsOk > 0, JSON.stringify(vc.summary));
      assert.equal(vc.summary.foreignValues, 0);
      const missed = [...acknowledged].filter((v) => !polledValues(vcRecords).has(v));
      assert.deepEqual(missed.slice(0, 10), [], `VerifiableConsumer never polled ${missed.length} acknowledged values`);

      // 3. The copiers' output partitions, read with read_committed, and their txn records.
      const outSink = new MemorySink();
      const outDrain = await drainQueue({ bootstrap: cluster.bootstrap, topic: OUT, partitions: PARTITIONS, isolation: 'read_committed', group: 'peer-out', timeoutMs: 60_000, sink: outSink });
      assert.equal(outDrain.complete, true, JSON.stringify(outDrain));
      const output = polledBy(outSink.records, DRAIN_PROCESS);
      copiers.forEach((copier, p) => {
        assert.equal(copier.tool.exitCode, 0, copier.tool.stderrTail);
        assert.equal(copier.progress.remaining, 0, JSON.stringify(copier.progress));
        const inputValues = (input.get(p) ?? []).map(([, v]) => v);
        const outputValues = (output.get(p) ?? []).map(([, v]) => v);
        assert.deepEqual(outputValues, inputValues, `partition ${p}: the output is one copy of the input, in order`);
        const history = copierQueueRecords(copier.progress, { process: `copier${p}`, inputTopic: IN, outputTopic: OUT, partition: p, input: input.get(p) ?? [], output: output.get(p) ?? [], transactionSize: TRANSACTION_SIZE });
        assert.deepEqual([history.missingMessages, history.notInInput], [0, 0], JSON.stringify({ ...history, records: history.records.length }));
        assert.ok(history.transactions >= Math.ceil(inputValues.length / TRANSACTION_SIZE), `${history.transactions} transactions`);
        for (const r of history.records) sink.append(r);
      });
    } finally {
      stopConsumer.abort();
      await Promise.allSettled([consuming, ...copying]);
    }

    // 4. The whole history, peers included, passes the journal's record validator.
    for (const r of sink.records) toJournalRecord(JSON.parse(JSON.stringify(r)));
    assert.ok(sink.records.some((r) => r.kind === 'event' && r.event === 'fault-start' && r.fault === 'kill'));
    // 5. Our checker's verdict on the peers' history agrees with theirs (VerifiableConsumer saw every value; each
    // copier's output is one copy of its input): no anomaly that fails the run. The copiers' output topic is
    // another topic than the drain's, so their sends stand outside the drain's evidence; only failures count here.
    const checker = new QueueChecker();
    sink.records.forEach((r, i) => checker.add(r, i + 1));
    const verdict = checker.result();
    const failing = Object.entries(verdict.anomalies).filter(([, a]) => a.severity === 'failure').map(([name, a]) => `${name}: ${a.count} (${a.cases[0]?.detail ?? ''})`);
    assert.deepEqual(failing, [], verdict.evidence);
    assert.deepEqual(await faultResidue(), []);
  });
});

function polledValues(records: readonly QueueOpRecord[]): Set<number> {
  const values = new Set<number>();
  for (const r of records) {
    if (r.type !== 'ok' || r.f !== 'poll') continue;
    for (const mop of r.mops ?? []) if (mop.f === 'poll') for (const p of mop.partitions) for (const [, v] of p.records) values.add(v);
  }
  return values;
}

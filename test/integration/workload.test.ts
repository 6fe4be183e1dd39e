import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFault } from '../../src/nemesis/index.js';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterDown, clusterUp } from '../../src/cluster/local-cluster.js';
import { withAdmin } from '../../src/kafka/admin.js';
import { runScenario } from '../../src/runner/run-scenario.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { readBack } from '../../src/workload/read-back.js';
import { MemorySink } from '../../src/workload/op-sink.js';
import { checkHistory } from '../../src/checker/check-history.js';
import { runProduceWorkload } from '../../src/workload/produce-workload.js';
import { residue, runCli, waitFor } from './support.js';

const runsRoot = mkdtempSync(join(tmpdir(), 'faultline-runs-'));

function scenario(overrides: Partial<Scenario> & Pick<Scenario, 'name' | 'workload' | 'faults' | 'expect'>): Scenario {
  return {
    title: overrides.name,
    seed: 1,
    description: '',
    cluster: { metadata: 'kraft', brokers: 3, settings: {} },
    topic: { name: 'test1', partitions: 1, replicationFactor: 3, config: { 'min.insync.replicas': '1' } },
    ...overrides,
  };
}

describe('workloads, histories and the exact checker on a real cluster', () => {
  after(async () => {
    await clusterDown();
    assert.deepEqual(await residue(), []);
  });

  test('acks=all with min.insync.replicas=2 and the leader killed mid-run loses nothing', async () => {
    const outcome = await runScenario(
      scenario({
        name: 'acksall-minisr2-kill',
        topic: { name: 'test1', partitions: 1, replicationFactor: 3, config: { 'min.insync.replicas': '2' } },
        workload: { kind: 'produce', acks: 'all', producers: 2, count: 4000, fullCount: 4000, rateMsgsPerSec: 1000, fullRateMsgsPerSec: 1000, idempotent: false, timeoutMs: 20000 },
        faults: [{ at: { sentFraction: 0.3 }, fault: parseFault({ kind: 'kill', target: 'leader:test1' }) }],
        expect: { lost: 'none', duplicates: 'any' },
      }),
      { runsRoot },
    );
    assert.equal(outcome.error, null, outcome.error ?? '');
    assert.equal(outcome.faults.length, 1, 'the kill fired');
    const verdict = outcome.verdict;
    assert.ok(verdict);
    assert.ok(verdict.counts.acknowledged > 6000, `acknowledged ${verdict.counts.acknowledged}`);
    assert.equal(verdict.anomalies.lost.length, 0, `lost: ${verdict.anomalies.lost.slice(0, 5).map((l) => l.value).join(', ')}`);
    assert.equal(verdict.counts.readBack >= verdict.counts.acknowledged, true);
    assert.ok(outcome.row.asExpected);
  });

  test('acks=1 with the leader isolated from all loses acknowledged values, and they are truly absent from the topic', async () => {
    const outcome = await runScenario(
      scenario({
        name: 'acks1-isolated',
        workload: { kind: 'produce', acks: '1', producers: 1, count: 24000, fullCount: 24000, rateMsgsPerSec: 2000, fullRateMsgsPerSec: 2000, idempotent: false, retries: 0, timeoutMs: 10000 },
        faults: [{ at: { sentFraction: 0.3 }, fault: parseFault({ kind: 'partition', target: 'leader:test1', from: 'all' }), healAfterMs: 10000 }],
        expect: { lost: 'some', duplicates: 'none' },
      }),
      { runsRoot, keepCluster: true },
    );
    assert.equal(outcome.error, null, outcome.error ?? '');
    const verdict = outcome.verdict;
    assert.ok(verdict);
    const lost = verdict.anomalies.lost;
    assert.ok(lost.length > 0, 'an isolated acks=1 leader keeps acknowledging writes that are truncated later');
    // Independent observation: read the topic again with a fresh consumer; no lost value may be there.
    const sink = new MemorySink();
    const bootstrap = (await import('../../src/cluster/cluster-state.js')).requireClusterState().bootstrap;
    const reread = await readBack({ bootstrap, topic: 'test1', sink, untilIdleMs: 10_000 });
    assert.ok(reread.complete);
    const present = new Set(sink.records.filter((r) => r.kind === 'op' && r.f === 'read' && r.type === 'ok').map((r) => (r as { value: string }).value));
    assert.ok(present.size > 0);
    for (const l of lost) assert.equal(present.has(l.value), false, `${l.value} is reported lost but present`);
    // The seed's measure agrees: more acknowledged than the high watermark holds.
    assert.ok((verdict.partitions[0]?.ackedAboveHighWatermark ?? 0) > 0);
    await clusterDown();
  });

  test('the checker sees an injected anomaly in a real history (a read-back without one partition)', async () => {
    const cluster = await clusterUp({ brokers: 3 });
    await withAdmin(cluster.bootstrap, (admin) => admin.createTopic({ name: 'two', partitions: 2, replicationFactor: 3 }));
    const sink = new MemorySink();
    const produced = await runProduceWorkload({ bootstrap: cluster.bootstrap, topic: 'two', countPerProducer: 500, rateMsgsPerSec: 5000, acks: 'all', producers: 1, sink });
    assert.equal(produced.delivered, 500);
    await readBack({ bootstrap: cluster.bootstrap, topic: 'two', sink });
    assert.equal(checkHistory(sink.records).verdict, 'valid');
    const withoutPartition1 = sink.records.filter((r) => !(r.kind === 'op' && r.f === 'read' && r.partition === 1));
    const verdict = checkHistory(withoutPartition1);
    assert.equal(verdict.verdict, 'invalid');
    assert.ok(verdict.anomalies.lost.length > 0);
    assert.ok(verdict.anomalies.lost.every((l) => l.partition === 1));
  });

  test('CLI: produce, consume, check end to end, with JSON output', () => {
    const runs = mkdtempSync(join(tmpdir(), 'faultline-cli-'));
    assert.equal(runCli(['topic', 'create', 'cli', '--partitions', '1', '--replication-factor', '3']).code, 0);
    const produced = runCli(['produce', '--topic', 'cli', '--count', '300', '--rate', '1000', '--acks', 'all', '--run', 'r1', '--runs-dir', runs, '--json']);
    assert.equal(produced.code, 0, produced.stderr);
    const summary = JSON.parse(produced.stdout) as { sent: number; delivered: number; runDir: string; highWatermark: number[] };
    assert.equal(summary.sent, 300);
    assert.equal(summary.delivered, 300);
    assert.deepEqual(summary.highWatermark, [300]);
    const consumed = runCli(['consume', '--topic', 'cli', '--run', summary.runDir, '--json']);
    assert.equal(consumed.code, 0, consumed.stderr);
    assert.equal((JSON.parse(consumed.stdout) as { records: number }).records, 300);
    const checked = runCli(['check', summary.runDir, '--json']);
    assert.equal(checked.code, 0, checked.stderr);
    const result = JSON.parse(checked.stdout) as { valid: unknown; evidence: string; checkers: { exact: { verdict: string; counts: { acknowledged: number; readBack: number } }; availability: { valid: unknown } } };
    assert.equal(result.valid, true);
    assert.match(result.evidence, /300 acknowledged values; read back to the end offsets of 1 partition/);
    assert.equal(result.checkers.exact.verdict, 'valid');
    assert.equal(result.checkers.exact.counts.acknowledged, 300);
    assert.equal(result.checkers.availability.valid, true);
    const slow = runCli(['produce', '--topic', 'cli', '--slow', '--count', '5', '--rate', '20', '--acks', '1', '--runs-dir', runs]);
    assert.equal(slow.code, 0, slow.stderr);
    assert.match(slow.stdout, /Value: 4 Offset: 304/);
  });

  test('faults fired from another process while produce runs land in that run\'s journal', async () => {
    const runs = mkdtempSync(join(tmpdir(), 'faultline-events-'));
    const producer = spawn(process.execPath, ['dist/src/cli/main.js', 'produce', '--topic', 'cli', '--count', '60', '--rate', '20', '--acks', 'all', '--run', 'ev', '--runs-dir', runs, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number>((resolve) => producer.on('exit', (code) => resolve(code ?? -1)));
    await waitFor('the run to be active', () => (existsSync(join(runs, 'ev', 'history.jsonl')) ? true : undefined), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const pause = runCli(['fault', 'pause', 'n2', '--json']);
    assert.equal(pause.code, 0, pause.stderr);
    const id = (JSON.parse(pause.stdout) as { id: string }).id;
    assert.equal(runCli(['heal', id]).code, 0);
    assert.equal(await exited, 0);
    const events = readFileSync(join(runs, 'ev', 'history.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"kind":"event"')).map((l) => JSON.parse(l) as { event: string; faultId: string; timeMs: number });
    assert.deepEqual(events.filter((e) => e.faultId === id).map((e) => e.event), ['fault-start', 'fault-heal']);
    assert.ok(events.every((e) => e.timeMs > 0 && e.timeMs < 60_000), 'stamped on the run clock');
  });

  test('bad input: unknown topic, rate 0 or negative, count not a number, a directory that is not a run', () => {
    const unknown = runCli(['produce', '--topic', 'nope', '--count', '10']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown topic nope/);
    for (const rate of ['0', '-5']) {
      const bad = runCli(['produce', '--topic', 'cli', '--rate', rate]);
      assert.equal(bad.code, 2, `rate ${rate}`);
      assert.match(bad.stderr, /--rate: .*out of range|--rate: expected/);
    }
    const count = runCli(['produce', '--topic', 'cli', '--count', 'lots']);
    assert.equal(count.code, 2);
    assert.match(count.stderr, /--count: expected a whole number, got 'lots'/);
    const notRun = mkdtempSync(join(tmpdir(), 'faultline-notrun-'));
    writeFileSync(join(notRun, 'x.txt'), 'hello');
    const check = runCli(['check', notRun]);
    assert.equal(check.code, 2);
    assert.match(check.stderr, /is not a faultline run directory/);
  });
});


import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterDown, clusterUp, type ClusterSummary } from '../../src/cluster/local-cluster.js';
import { withAdmin } from '../../src/kafka/admin.js';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultlineJvmPids, produceAcknowledged, residue, runCli } from './support.js';

/** The smallest suite scenario: one broker, a few hundred acks=all messages, no fault. */
const TINY_SCENARIO = `apiVersion: faultline/v1
name: tiny
title: one broker, no fault
cluster: { metadata: kraft, brokers: 1 }
topic: { name: tiny, partitions: 1, replicationFactor: 1 }
workload: { kind: produce, acks: all, count: 200, rateMsgsPerSec: 400 }
expect: { lost: none, duplicates: none }
`;

describe('local KRaft cluster (3 combined nodes)', () => {
  let cluster: ClusterSummary;

  before(async () => {
    await clusterDown();
    cluster = await clusterUp({ brokers: 3, metadata: 'kraft' });
  });

  after(async () => {
    await clusterDown();
  });

  test('every node runs in its own namespace with its own address', () => {
    assert.equal(cluster.nodes.length, 3);
    assert.deepEqual(new Set(cluster.nodes.map((n) => n.host)).size, 3);
    for (const node of cluster.nodes) assert.equal(node.state, 'running');
    assert.equal(cluster.bootstrap.split(',').length, 3);
  });

  test('metadata sees all three brokers', async () => {
    const brokers = await withAdmin(cluster.bootstrap, (admin) => admin.brokers());
    assert.deepEqual(brokers.map((b) => b.id), [1, 2, 3]);
  });

  test('an RF=3 topic has a leader and a full ISR on every partition; acks=all records are counted by the high watermark', async () => {
    const created = runCli(['topic', 'create', 'rf3', '--partitions', '3', '--replication-factor', '3', '--config', 'min.insync.replicas=2']);
    assert.equal(created.code, 0, created.stderr);
    const described = runCli(['topic', 'describe', 'rf3', '--json']);
    assert.equal(described.code, 0, described.stderr);
    const { partitions } = JSON.parse(described.stdout) as { partitions: { partition: number; leader: number; replicas: number[]; isr: number[] }[] };
    assert.equal(partitions.length, 3);
    for (const p of partitions) {
      assert.ok([1, 2, 3].includes(p.leader), `partition ${p.partition} has leader ${p.leader}`);
      assert.deepEqual([...p.isr].sort(), [1, 2, 3]);
      assert.deepEqual([...p.replicas].sort(), [1, 2, 3]);
    }
    const acknowledged = await produceAcknowledged(cluster.bootstrap, 'rf3', 3000, 'all');
    assert.equal(acknowledged, 3000);
    const offsets = runCli(['offsets', 'rf3', '--json']);
    assert.equal(offsets.code, 0, offsets.stderr);
    const parsed = JSON.parse(offsets.stdout) as { partitions: { partition: number; highWatermark: number; lastStableOffset: number }[] };
    assert.equal(parsed.partitions.reduce((sum, p) => sum + p.highWatermark, 0), 3000);
    for (const p of parsed.partitions) assert.equal(p.lastStableOffset, p.highWatermark);
  });

  test('cluster status --json lists nodes with id, role, host, pid, state', () => {
    const status = runCli(['cluster', 'status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    const parsed = JSON.parse(status.stdout) as { bootstrap: string; nodes: { id: number; role: string; host: string; pid: number; state: string }[] };
    assert.equal(parsed.bootstrap, cluster.bootstrap);
    assert.deepEqual(parsed.nodes.map((n) => n.id), [1, 2, 3]);
    for (const n of parsed.nodes) {
      assert.equal(n.role, 'broker+controller');
      assert.equal(n.state, 'running');
      assert.ok(n.pid > 0);
    }
  });

  test('a second cluster up while one runs is refused with a clear message', () => {
    const second = runCli(['cluster', 'up']);
    assert.equal(second.code, 3);
    assert.match(second.stderr, /a cluster is already running/);
  });

  test('unknown topic and bad numbers give one clear error each', () => {
    const unknown = runCli(['topic', 'describe', 'no-such-topic']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown topic no-such-topic/);
    const bad = runCli(['topic', 'create', 'x', '--partitions', 'many', '--replication-factor', '3']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--partitions: expected a whole number, got 'many'/);
  });

  test('cluster logs prints a node log', () => {
    const logs = runCli(['cluster', 'logs', 'n1', '--tail', '50']);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /INFO/);
  });

  test('topic names: a name Kafka refuses exits 2 before any request; a name Kafka refuses on its own (a collision) exits 2 too', () => {
    const bad = runCli(['topic', 'create', 'bad name!', '--partitions', '1', '--replication-factor', '1']);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /name: 'bad name!' is not a valid topic name/);
    // Kafka refuses a name that differs from an existing one only by '.' versus '_' (INVALID_TOPIC_EXCEPTION).
    assert.equal(runCli(['topic', 'create', 'col_x', '--partitions', '1', '--replication-factor', '1']).code, 0);
    const collision = runCli(['topic', 'create', 'col.x', '--partitions', '1', '--replication-factor', '1']);
    assert.equal(collision.code, 2, collision.stderr);
    assert.match(collision.stderr, /name: Kafka refused the topic name 'col\.x'/);
  });

  test('cluster status says the cluster was started by hand', () => {
    const status = runCli(['cluster', 'status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    assert.equal((JSON.parse(status.stdout) as { owner: { kind: string } }).owner.kind, 'user');
  });

  test('suite refuses to replace the hand-started cluster, makes nothing, and leaves every node running', () => {
    const runsDir = mkdtempSync(join(tmpdir(), 'faultline-suite-refused-'));
    const refused = runCli(['suite', 'scenarios/kafka', '--only', '02-acks1-leader-killed', '--runs-dir', runsDir]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /replaceCluster: a cluster started by hand is running/);
    assert.deepEqual(readdirSync(runsDir), []);
    const jvms = faultlineJvmPids();
    for (const node of cluster.nodes) assert.ok(jvms.includes(node.pid), `node ${node.name} (pid ${node.pid}) still runs`);
    const status = JSON.parse(runCli(['cluster', 'status', '--json']).stdout) as { clusterId: string };
    assert.equal(status.clusterId, cluster.clusterId);
  });

  test('suite --replace-cluster replaces the hand-started cluster and runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-suite-replace-'));
    writeFileSync(join(dir, 'tiny.yaml'), TINY_SCENARIO);
    const result = runCli(['suite', join(dir, 'tiny.yaml'), '--replace-cluster', '--runs-dir', join(dir, 'runs'), '--json'], 300_000);
    assert.equal(result.code, 0, result.stderr);
    const suite = JSON.parse(result.stdout) as { outcomes: { name: string; error: string | null }[] };
    assert.deepEqual(suite.outcomes.map((o) => [o.name, o.error]), [['tiny', null]]);
    const jvms = faultlineJvmPids();
    for (const node of cluster.nodes) assert.equal(jvms.includes(node.pid), false, `old node ${node.name} (pid ${node.pid}) is gone`);
  });

  test('cluster down leaves no namespace, veth or JVM', async () => {
    const down = runCli(['cluster', 'down', '--json']);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(await residue(), []);
  });
});

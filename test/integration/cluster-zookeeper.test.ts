import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterDown, clusterUp, type ClusterSummary } from '../../src/cluster/local-cluster.js';
import { withAdmin } from '../../src/kafka/admin.js';
import { canConnect, faultResidue, produceAcknowledged, residue } from './support.js';
import { healAll, healFault, injectFault, parseFault } from '../../src/nemesis/index.js';

describe('local ZooKeeper-mode cluster (1 ZooKeeper + 3 brokers, Kafka 3.9)', () => {
  let cluster: ClusterSummary;

  before(async () => {
    await clusterDown();
    cluster = await clusterUp({ brokers: 3, metadata: 'zookeeper' });
  });

  after(async () => {
    await clusterDown();
  });

  test('ZooKeeper and three brokers run, each in its own namespace', () => {
    assert.equal(cluster.kafkaVersion.split('.')[0], '3');
    assert.deepEqual(cluster.nodes.map((n) => n.role), ['zookeeper', 'broker', 'broker', 'broker']);
    for (const node of cluster.nodes) assert.equal(node.state, 'running');
  });

  test('an RF=3 topic has a full ISR and acks=all records are counted by the high watermark', async () => {
    await withAdmin(cluster.bootstrap, (admin) => admin.createTopic({ name: 'zk-rf3', partitions: 2, replicationFactor: 3 }));
    const partitions = await withAdmin(cluster.bootstrap, async (admin) => {
      // ZooKeeper mode propagates leadership asynchronously; wait briefly for it.
      for (let attempt = 0; attempt < 50; attempt++) {
        const described = await admin.describeTopic('zk-rf3');
        if (described.every((p) => p.leader > 0 && p.isr.length === 3)) return described;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return admin.describeTopic('zk-rf3');
    });
    for (const p of partitions) {
      assert.ok(p.leader > 0);
      assert.deepEqual([...p.isr].sort(), [1, 2, 3]);
    }
    assert.equal(await produceAcknowledged(cluster.bootstrap, 'zk-rf3', 2000, 'all'), 2000);
    const offsets = await withAdmin(cluster.bootstrap, (admin) => admin.offsets('zk-rf3'));
    assert.equal(offsets.reduce((sum, p) => sum + p.highWatermark, 0), 2000);
  });

  test('partition leader --from zookeeper cuts only ZooKeeper; brokers still talk; the controller is resolvable', async () => {
    const fault = await injectFault(parseFault({ kind: 'partition', target: 'leader:zk-rf3/0', from: 'zookeeper' }));
    const node = cluster.nodes.find((n) => n.name === fault.nodes[0]);
    const zk = cluster.nodes.find((n) => n.role === 'zookeeper');
    const other = cluster.nodes.find((n) => n.role === 'broker' && n.name !== node?.name);
    assert.ok(node && zk && other);
    assert.equal(canConnect(`fl-${node.name}`, zk.host, 2181), false, 'the leader cannot reach ZooKeeper');
    assert.ok(canConnect(`fl-${node.name}`, other.host, 9092), 'but still reaches the other brokers');
    assert.ok(canConnect(`fl-${other.name}`, node.host, 9092), 'and they reach it');
    await healFault(fault.id);
    assert.ok(canConnect(`fl-${node.name}`, zk.host, 2181));
    const controller = await injectFault(parseFault({ kind: 'pause', target: 'controller' }));
    assert.equal(controller.nodes.length, 1);
    await healAll();
    assert.deepEqual(await faultResidue(), []);
  });

  test('cluster down leaves nothing behind', async () => {
    await clusterDown();
    assert.deepEqual(await residue(), []);
  });
});

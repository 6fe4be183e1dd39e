import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterDown, clusterReset, clusterUp, type ClusterSummary } from '../../src/cluster/local-cluster.js';
import { requireClusterState } from '../../src/cluster/cluster-state.js';
import { isBroker } from '../../src/cluster/topology.js';
import { withAdmin } from '../../src/kafka/admin.js';
import { describeTopicView } from '../../src/kafka/topic-view.js';
import { healAll, healFault, injectFault, parseFault } from '../../src/nemesis/index.js';
import { canConnect, faultResidue, residue, waitFor } from './support.js';

describe('KRaft with dedicated controllers (3 controllers + 3 brokers)', () => {
  let cluster: ClusterSummary;

  before(async () => {
    await clusterDown();
    cluster = await clusterUp({ brokers: 3, metadata: 'kraft-dedicated' });
  });

  after(async () => {
    await healAll().catch(() => undefined);
    await clusterDown();
    assert.deepEqual(await residue(), []);
  });

  test('three controllers and three brokers, each in its own namespace', async () => {
    assert.deepEqual(cluster.nodes.map((n) => `${n.name}:${n.role}`), ['c1:controller', 'c2:controller', 'c3:controller', 'n1:broker', 'n2:broker', 'n3:broker']);
    const brokers = await withAdmin(cluster.bootstrap, (admin) => admin.brokers());
    assert.deepEqual(brokers.map((b) => b.id), [1, 2, 3]);
  });

  test('the controller target resolves to the active controller; killing it elects another', async () => {
    const first = await injectFault(parseFault({ kind: 'kill', target: 'controller' }));
    assert.equal(first.nodes.length, 1);
    assert.match(first.nodes[0] as string, /^c[123]$/);
    const next = await waitFor('a new active controller', async () => {
      const probe = await injectFault(parseFault({ kind: 'pause', target: 'controller' })).catch(() => undefined);
      if (!probe) return undefined;
      await healFault(probe.id);
      return probe.nodes[0] !== first.nodes[0] ? probe.nodes[0] : undefined;
    }, 30_000);
    assert.notEqual(next, first.nodes[0]);
    await healFault(first.id);
  });

  test('partition --from controllers cuts a broker from every controller but not from the other brokers', async () => {
    const fault = await injectFault(parseFault({ kind: 'partition', target: 'n1', from: 'controllers' }));
    const host = (name: string) => cluster.nodes.find((n) => n.name === name)?.host as string;
    for (const controller of ['c1', 'c2', 'c3']) assert.equal(canConnect('fl-n1', host(controller), 9093), false, `n1 -> ${controller}`);
    assert.ok(canConnect('fl-n1', host('n2'), 9092));
    assert.ok(canConnect('fl-n2', host('n1'), 9092));
    await healFault(fault.id);
    assert.ok(canConnect('fl-n1', host('c1'), 9093));
    assert.deepEqual(await faultResidue(), []);
  });

  test('terminate, start and restart act on real processes', async () => {
    const before = requireClusterState().nodes.find((n) => n.name === 'n2')?.pid;
    const restarted = await injectFault(parseFault({ kind: 'restart', target: 'n2', restartMode: 'terminate', graceMs: 20_000 }));
    const after = requireClusterState().nodes.find((n) => n.name === 'n2')?.pid;
    assert.notEqual(after, before, 'a restart gives a new process');
    assert.equal(restarted.nodes[0], 'n2');
    const terminated = await injectFault(parseFault({ kind: 'terminate', target: 'n3', graceMs: 20_000 }));
    assert.equal(requireClusterState().nodes.find((n) => n.name === 'n3')?.state, 'stopped');
    await injectFault(parseFault({ kind: 'start', target: 'n3' }));
    await healFault(terminated.id);
    await waitFor('all brokers back', async () => ((await withAdmin(cluster.bootstrap, (admin) => admin.brokers()).catch(() => [])).length === 3 ? true : undefined), 30_000);
  });

  test('cluster reset gives a fresh, empty cluster of the same shape', async () => {
    await withAdmin(cluster.bootstrap, (admin) => admin.createTopic({ name: 'before-reset', partitions: 1, replicationFactor: 3 }));
    const reset = await clusterReset();
    assert.equal(reset.mode, 'kraft-dedicated');
    assert.equal(reset.nodes.length, 6);
    assert.notEqual(reset.clusterId, cluster.clusterId);
    const topics = await withAdmin(reset.bootstrap, (admin) => admin.listTopics());
    assert.equal(topics.includes('before-reset'), false);
    await withAdmin(reset.bootstrap, (admin) => admin.createTopic({ name: 'after-reset', partitions: 1, replicationFactor: 3 }));
    const view = await waitFor('a leader', async () => {
      const v = await describeTopicView(requireClusterState().nodes.filter(isBroker), 'after-reset');
      return v.partitions[0] && v.partitions[0].leader > 0 ? v : undefined;
    }, 15_000);
    assert.equal(view.partitions[0]?.isr.length, 3);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { clusterStatePath, removeClusterState, writeClusterState } from '../../../src/cluster/cluster-state.js';
import { faultBelongsTo, getFault, listFaults, registerFault, registryPath, updateFault, type FaultDraft } from '../../../src/nemesis/heal-registry.js';
import { fakeCluster } from '../nemesis/fake-cluster.js';
import { homeWithCluster } from '../nemesis/recording-provider.js';

const DRAFT: FaultDraft = { kind: 'pause', target: 'leader:t', nodes: ['n1'], options: {}, undo: [{ type: 'resume-node', node: 'n1' }] };

function onCluster(clusterId: string): void {
  writeClusterState({ ...fakeCluster('kraft'), clusterId });
}

test('a fault records the cluster it was fired on; a new cluster starts with an empty registry, ids continue', (t) => {
  homeWithCluster(t, undefined);
  onCluster('A');
  const first = registerFault(DRAFT);
  assert.equal(first.clusterId, 'A');
  assert.deepEqual(listFaults().map((f) => f.id), [first.id]);
  assert.equal(getFault(first.id)?.kind, 'pause');

  onCluster('B');
  assert.deepEqual(listFaults({ includeHealed: true }), []);
  assert.equal(getFault(first.id), undefined);
  assert.equal(updateFault(first.id, (r) => (r.status = 'healed')), undefined);
  const second = registerFault(DRAFT);
  assert.equal(second.clusterId, 'B');
  assert.notEqual(second.id, first.id);
  // Written under the lock: the other cluster's record is dropped from the file.
  const onDisk = JSON.parse(readFileSync(registryPath(), 'utf8')) as { faults: { id: string }[] };
  assert.deepEqual(onDisk.faults.map((f) => f.id), [second.id]);
});

test('with no cluster recorded (after cluster down), no fault of a former cluster is listed', (t) => {
  homeWithCluster(t, undefined);
  onCluster('A');
  registerFault(DRAFT);
  removeClusterState();
  assert.deepEqual(listFaults(), []);
});

test('an unreadable cluster state keeps every fault (heal must not lose undo actions); records without a cluster id are kept', (t) => {
  homeWithCluster(t, undefined);
  onCluster('A');
  const record = registerFault(DRAFT);
  writeFileSync(clusterStatePath(), '{ not json');
  assert.deepEqual(listFaults().map((f) => f.id), [record.id]);
  assert.equal(faultBelongsTo({}, 'B'), true);
  assert.equal(faultBelongsTo({ clusterId: 'A' }, 'B'), false);
  assert.equal(faultBelongsTo({ clusterId: 'A' }, undefined), true);
  assert.equal(faultBelongsTo({ clusterId: '' }, ''), true);
});

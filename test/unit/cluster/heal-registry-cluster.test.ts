import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterStatePath, removeClusterState, writeClusterState } from '../../../src/cluster/cluster-state.js';
import { faultBelongsTo, getFault, listFaults, registerFault, registryPath, updateFault, type FaultDraft } from '../../../src/nemesis/heal-registry.js';
import { fakeCluster } from '../nemesis/fake-cluster.js';

const DRAFT: FaultDraft = { kind: 'pause', target: 'leader:t', nodes: ['n1'], options: {}, undo: [{ type: 'resume-node', node: 'n1' }] };

function withHome(t: { after: (fn: () => void) => void }): string {
  const home = mkdtempSync(join(tmpdir(), 'faultline-registry-'));
  const saved = process.env['FAULTLINE_HOME'];
  process.env['FAULTLINE_HOME'] = home;
  t.after(() => {
    if (saved === undefined) delete process.env['FAULTLINE_HOME'];
    else process.env['FAULTLINE_HOME'] = saved;
  });
  return home;
}

function onCluster(clusterId: string): void {
  writeClusterState({ ...fakeCluster('kraft'), clusterId });
}

test('a fault records the cluster it was fired on; a new cluster starts with an empty registry, ids continue', (t) => {
  withHome(t);
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
  withHome(t);
  onCluster('A');
  registerFault(DRAFT);
  removeClusterState();
  assert.deepEqual(listFaults(), []);
});

test('an unreadable cluster state keeps every fault (heal must not lose undo actions); records without a cluster id are kept', (t) => {
  withHome(t);
  onCluster('A');
  const record = registerFault(DRAFT);
  writeFileSync(clusterStatePath(), '{ not json');
  assert.deepEqual(listFaults().map((f) => f.id), [record.id]);
  assert.equal(faultBelongsTo({}, 'B'), true);
  assert.equal(faultBelongsTo({ clusterId: 'A' }, 'B'), false);
  assert.equal(faultBelongsTo({ clusterId: 'A' }, undefined), true);
  assert.equal(faultBelongsTo({ clusterId: '' }, ''), true);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeClusterState } from '../../../src/cluster/cluster-state.js';
import { FILL_FILE } from '../../../src/cluster/disk-fill.js';
import { healFault } from '../../../src/nemesis/heal.js';
import { getFault, registerFault } from '../../../src/nemesis/heal-registry.js';
import { runUndo } from '../../../src/nemesis/run-undo.js';
import { fakeCluster } from './fake-cluster.js';
import { homeWithCluster, recordingProvider } from './recording-provider.js';

const RUNNING = { alive: true, paused: false, recorded: 'running' } as const;

test('rules-sweep goes to the provider with the nodes and the fault id', async () => {
  const { provider, calls } = recordingProvider(fakeCluster('kraft'));
  assert.equal(await runUndo({ type: 'rules-sweep', nodes: ['n1', 'n3'], faultId: 'f7' }, provider), 'removed 3 iptables rules');
  assert.equal(await runUndo({ type: 'rules-sweep', nodes: ['n2'], faultId: '' }, provider), 'removed 3 iptables rules');
  assert.deepEqual(calls, ['sweep n1,n3 f7', 'sweep n2 all']);
});

test('start-node starts only a node observed down; an unknown node is left alone', async () => {
  const { provider, calls, observations } = recordingProvider(fakeCluster('kraft'));
  observations.set('n1', RUNNING);
  observations.set('n2', { alive: false, paused: false, recorded: 'stopped' });
  assert.equal(await runUndo({ type: 'start-node', node: 'n1' }, provider), undefined);
  assert.equal(await runUndo({ type: 'start-node', node: 'n2' }, provider), 'started n2');
  assert.equal(await runUndo({ type: 'start-node', node: 'n9' }, provider), undefined);
  assert.deepEqual(calls, ['observe n1', 'observe n2', 'start n2', 'observe n9']);
});

test('resume-node resumes a node stopped by the kernel or recorded paused, nothing else', async () => {
  const { provider, calls, observations } = recordingProvider(fakeCluster('kraft'));
  observations.set('n1', { alive: true, paused: true, recorded: 'running' });
  observations.set('n2', { alive: true, paused: false, recorded: 'paused' });
  observations.set('n3', RUNNING);
  observations.set('c1', { alive: false, paused: false, recorded: 'paused' });
  for (const node of ['n1', 'n2', 'n3', 'c1']) await runUndo({ type: 'resume-node', node }, provider);
  assert.deepEqual(calls.filter((c) => c.startsWith('resume')), ['resume n1', 'resume n2']);
});

test('free-disk asks the provider and says what it did only when there was a file', async () => {
  const { provider, calls } = recordingProvider(fakeCluster('kraft'));
  assert.equal(await runUndo({ type: 'free-disk', node: 'n2' }, provider), 'removed the fill file of n2');
  const none = recordingProvider(fakeCluster('kraft'), false);
  assert.equal(await runUndo({ type: 'free-disk', node: 'n2' }, none.provider), undefined);
  assert.deepEqual([...calls, ...none.calls], ['free n2', 'free n2']);
});

test('a remove-file action of a record written before providers still removes its file', async (t) => {
  const home = homeWithCluster(t, undefined);
  const path = join(home, 'old-fill');
  writeFileSync(path, 'x');
  const { provider, calls } = recordingProvider(fakeCluster('kraft'));
  assert.equal(await runUndo({ type: 'remove-file', path }, provider), `removed ${path}`);
  assert.equal(existsSync(path), false);
  assert.equal(await runUndo({ type: 'remove-file', path }, provider), undefined);
  assert.deepEqual(calls, []);
});

test('healFault through the recorded (local) provider frees the fill file in the node data directory', async (t) => {
  const base = fakeCluster('kraft');
  const home = homeWithCluster(t, undefined);
  const state = { ...base, nodes: base.nodes.map((n) => ({ ...n, dataDir: join(home, n.name, 'data') })) };
  writeClusterState(state);
  const dataDir = state.nodes[1]?.dataDir ?? '';
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, FILL_FILE), 'full');
  const record = registerFault({ kind: 'fill-disk', target: 'n2', nodes: ['n2'], options: {}, undo: [{ type: 'free-disk', node: 'n2' }] });
  const result = await healFault(record.id, { events: () => undefined });
  assert.deepEqual(result.actions, ['removed the fill file of n2']);
  assert.equal(existsSync(join(dataDir, FILL_FILE)), false);
  assert.equal(getFault(record.id)?.status, 'healed');
});

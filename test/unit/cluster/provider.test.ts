import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterStatePath, writeClusterState, type ClusterState } from '../../../src/cluster/cluster-state.js';
import { FILL_FILE } from '../../../src/cluster/disk-fill.js';
import { localNodeCommand, localProvider, rulesByNamespace } from '../../../src/cluster/local-provider.js';
import { sshProvider } from '../../../src/cluster/ssh/ssh-provider.js';
import { newClusterState } from '../../../src/cluster/new-cluster-state.js';
import { providerOf, recordedProvider } from '../../../src/cluster/provider-of.js';
import { resolveUpOptions } from '../../../src/cluster/cluster-options.js';
import { planTopology } from '../../../src/cluster/topology.js';
import { addressPlan } from '../../../src/net/address-plan.js';
import { cutRules } from '../../../src/net/iptables.js';
import { FaultlineError } from '../../../src/errors.js';
import { fakeCluster } from '../nemesis/fake-cluster.js';
import { homeWithCluster } from '../nemesis/recording-provider.js';

test('a new cluster state records the local provider', () => {
  const plan = addressPlan('10.77.0.0/24');
  const state = newClusterState({
    options: resolveUpOptions({}), plan, nodes: planTopology(plan, 'kraft', 3), libDir: '/lib', dir: '/tmp/fl', clusterId: 'id', ownerPid: 1, createdAt: 'now',
  });
  assert.equal(state.provider, 'local');
  assert.equal(providerOf(state), localProvider);
});

test('providerOf: a state file without the field (written before providers) is local; an unknown provider is an environment error', () => {
  const old: Partial<ClusterState> = { ...fakeCluster('kraft') };
  delete (old as { provider?: unknown }).provider;
  assert.equal(providerOf(old), localProvider);
  assert.equal(providerOf({ provider: 'local' }), localProvider);
  assert.equal(providerOf({ provider: 'ssh' }), sshProvider);
  const future = { provider: 'k8s' } as unknown as ClusterState;
  assert.throws(() => providerOf(future), (e: unknown) => e instanceof FaultlineError && /provider 'k8s'.*knows local, ssh/.test(e.message));
});

test('recordedProvider: local with no cluster and with an unreadable state file (heal must still sweep)', (t) => {
  homeWithCluster(t, undefined);
  assert.equal(recordedProvider(), localProvider);
  writeFileSync(clusterStatePath(), '{ not json');
  assert.equal(recordedProvider(), localProvider);
  writeClusterState({ ...fakeCluster('kraft'), provider: 'ssh' } as unknown as ClusterState);
  assert.equal(recordedProvider(), sshProvider);
  writeClusterState({ ...fakeCluster('kraft'), provider: 'k8s' } as unknown as ClusterState);
  assert.throws(() => recordedProvider(), /provider 'k8s'/);
});

test('local adapter: commands and rules go into the node namespace', () => {
  assert.deepEqual(localNodeCommand('n2', ['iptables-save', '-c']), ['ip', 'netns', 'exec', 'fl-n2', 'iptables-save', '-c']);
  const rules = cutRules({ faultId: 'f1', peerAddress: '10.77.0.12', oneWay: true });
  const byNamespace = rulesByNamespace(new Map([['n1', rules], ['c3', []]]));
  assert.deepEqual([...byNamespace.keys()], ['fl-n1', 'fl-c3']);
  assert.equal(byNamespace.get('fl-n1'), rules);
});

test('local adapter: nodes, bootstrap, observations and logs come from the state file', async (t) => {
  const home = homeWithCluster(t, undefined);
  const base = fakeCluster('kraft-dedicated');
  const ownCommand = readFileSync('/proc/self/cmdline', 'utf8').split('\0')[0] ?? '';
  const nodes = base.nodes.map((n) => ({ ...n, dataDir: join(home, n.name), logFile: join(home, `${n.name}.log`) }));
  // n1 "runs" as this test process (its marker is in our command line); the others have no process.
  const state: ClusterState = { ...base, nodes: nodes.map((n) => (n.name === 'n1' ? { ...n, pid: process.pid, marker: ownCommand } : n)) };
  writeClusterState(state);
  assert.deepEqual(localProvider.nodes().map((n) => `${n.name}:${n.role}:${n.id}@${n.host}:${n.port}`), state.nodes.map((n) => `${n.name}:${n.role}:${n.id}@${n.host}:${n.port}`));
  assert.equal(localProvider.bootstrap(), state.bootstrap);
  assert.deepEqual(await localProvider.observeNode('n1'), { alive: true, paused: false, recorded: 'running' });
  assert.deepEqual(await localProvider.observeNode('n2'), { alive: false, paused: false, recorded: 'running' });
  assert.equal(await localProvider.observeNode('n9'), undefined);
  writeFileSync(join(home, 'c1.log'), 'one\ntwo\nthree\n');
  assert.equal(await localProvider.readLog('c1', 2), 'two\nthree');
  await assert.rejects(localProvider.readLog('n9', 2), /no node n9/);
});

test('local adapter: freeDisk removes the fill file in the data directory, once', async (t) => {
  const home = homeWithCluster(t, undefined);
  const base = fakeCluster('kraft');
  writeClusterState({ ...base, nodes: base.nodes.map((n) => ({ ...n, dataDir: join(home, n.name) })) });
  mkdirSync(join(home, 'n3'));
  writeFileSync(join(home, 'n3', FILL_FILE), 'full');
  assert.equal(await localProvider.freeDisk('n3'), true);
  assert.equal(await localProvider.freeDisk('n3'), false);
});

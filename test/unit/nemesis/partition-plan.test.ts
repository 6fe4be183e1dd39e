import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { claimGroups, planPartition, type Cut } from '../../../src/nemesis/partition-plan.js';
import { cutRules } from '../../../src/net/iptables.js';
import { UsageError } from '../../../src/errors.js';
import { fakeCluster, HOST, nodes } from './fake-cluster.js';

/** `node->peer[:port][ (one-way)]`, sorted, so a plan compares as a set. */
function describe(cuts: readonly Cut[]): string[] {
  return cuts.map((c) => `${c.node.name}->${c.peerName}${c.port !== undefined ? `:${c.port}` : ''}${c.oneWay ? ' (one-way)' : ''}`).sort();
}

test('kraft: --from all isolates one node from every other node, by address', () => {
  const state = fakeCluster('kraft');
  const cuts = planPartition({ state, hostAddress: HOST, isolated: nodes(state, 'n1'), from: 'all', oneWay: false, clients: false });
  assert.deepEqual(describe(cuts), ['n1->n2', 'n1->n3']);
  assert.deepEqual(cuts.map((c) => c.peerAddress).sort(), ['10.77.0.12', '10.77.0.13']);
  assert.ok(cuts.every((c) => c.node.name === 'n1' && c.port === undefined));
});

test('kraft: from defaults to all', () => {
  const state = fakeCluster('kraft');
  const cuts = planPartition({ state, hostAddress: HOST, isolated: nodes(state, 'n2'), oneWay: false, clients: false });
  assert.deepEqual(describe(cuts), ['n2->n1', 'n2->n3']);
});

test('kraft: --from controllers cuts only the controller port to the other voters', () => {
  const state = fakeCluster('kraft');
  const cuts = planPartition({ state, hostAddress: HOST, isolated: nodes(state, 'n3'), from: 'controllers', oneWay: false, clients: false });
  assert.deepEqual(describe(cuts), ['n3->n1:9093', 'n3->n2:9093']);
});

test('kraft-dedicated: --from controllers cuts a broker from all three controllers on 9093', () => {
  const state = fakeCluster('kraft-dedicated');
  const cuts = planPartition({ state, hostAddress: HOST, isolated: nodes(state, 'n1'), from: 'controllers', oneWay: false, clients: false });
  assert.deepEqual(describe(cuts), ['n1->c1:9093', 'n1->c2:9093', 'n1->c3:9093']);
  assert.deepEqual(cuts.map((c) => c.peerAddress).sort(), ['10.77.0.101', '10.77.0.102', '10.77.0.103']);
});

test('kraft-dedicated: a controller isolated --from controllers skips itself', () => {
  const state = fakeCluster('kraft-dedicated');
  const cuts = planPartition({ state, hostAddress: HOST, isolated: nodes(state, 'c2'), from: 'controllers', oneWay: false, clients: false });
  assert.deepEqual(describe(cuts), ['c2->c1:9093', 'c2->c3:9093']);
});

test('kraft-dedicated: --from all includes controllers and brokers', () => {
  const state = fakeCluster('kraft-dedicated');
  const cuts = planPartition({ state, hostAddress: HOST, isolated: nodes(state, 'n1'), from: 'all', oneWay: false, clients: false });
  assert.deepEqual(describe(cuts), ['n1->c1', 'n1->c2', 'n1->c3', 'n1->n2', 'n1->n3']);
});

test('zookeeper: --from zookeeper cuts the ZooKeeper port only', () => {
  const state = fakeCluster('zookeeper');
  const cuts = planPartition({ state, hostAddress: HOST, isolated: nodes(state, 'n2'), from: 'zookeeper', oneWay: false, clients: false });
  assert.deepEqual(describe(cuts), ['n2->zk:2181']);
  assert.equal(cuts[0]?.peerAddress, '10.77.0.2');
});

test('zookeeper: --from all includes zk and the other brokers', () => {
  const state = fakeCluster('zookeeper');
  const cuts = planPartition({ state, hostAddress: HOST, isolated: nodes(state, 'n1'), from: 'all', oneWay: false, clients: false });
  assert.deepEqual(describe(cuts), ['n1->n2', 'n1->n3', 'n1->zk']);
});

test('--from zookeeper on a KRaft cluster is a usage error naming the mode', () => {
  for (const mode of ['kraft', 'kraft-dedicated'] as const) {
    const state = fakeCluster(mode);
    assert.throws(
      () => planPartition({ state, hostAddress: HOST, isolated: nodes(state, 'n1'), from: 'zookeeper', oneWay: false, clients: false }),
      (error: unknown) => error instanceof UsageError && error.message.startsWith('from: ') && error.message.includes(`runs ${mode}`) && error.message.includes('use controllers'),
    );
  }
});

test('--from controllers on a ZooKeeper cluster is a usage error', () => {
  const state = fakeCluster('zookeeper');
  assert.throws(
    () => planPartition({ state, hostAddress: HOST, isolated: nodes(state, 'n1'), from: 'controllers', oneWay: false, clients: false }),
    (error: unknown) => error instanceof UsageError && error.message.includes('ZooKeeper-mode') && error.message.startsWith('from: ') && error.message.includes('use zookeeper'),
  );
});

test('several isolated nodes are cut from the rest but not from each other', () => {
  const state = fakeCluster('kraft', 5);
  const cuts = planPartition({ state, hostAddress: HOST, isolated: nodes(state, 'n1', 'n2'), from: 'all', oneWay: false, clients: false });
  assert.deepEqual(describe(cuts), ['n1->n3', 'n1->n4', 'n1->n5', 'n2->n3', 'n2->n4', 'n2->n5']);
});

test('explicit --from peers: only those, never the node itself', () => {
  const state = fakeCluster('kraft', 5);
  const cuts = planPartition({ state, hostAddress: HOST, isolated: nodes(state, 'n1'), from: nodes(state, 'n1', 'n4', 'n5'), oneWay: false, clients: false });
  assert.deepEqual(describe(cuts), ['n1->n4', 'n1->n5']);
});

test('oneWay and clients: every cut is one-way, and each isolated node also loses the host', () => {
  const state = fakeCluster('kraft');
  const cuts = planPartition({ state, hostAddress: HOST, isolated: nodes(state, 'n1'), from: 'all', oneWay: true, clients: true });
  assert.deepEqual(describe(cuts), ['n1->clients (one-way)', 'n1->n2 (one-way)', 'n1->n3 (one-way)']);
  const hostCut = cuts.find((c) => c.peerName === 'clients');
  assert.equal(hostCut?.peerAddress, HOST);
  assert.equal(hostCut.port, undefined);
});

test('clients with --from zookeeper adds the host cut after the port cut', () => {
  const state = fakeCluster('zookeeper');
  const cuts = planPartition({ state, hostAddress: HOST, isolated: nodes(state, 'n3'), from: 'zookeeper', oneWay: false, clients: true });
  assert.deepEqual(describe(cuts), ['n3->clients', 'n3->zk:2181']);
});

test('no target and no groups is a usage error', () => {
  const state = fakeCluster('kraft');
  assert.throws(() => planPartition({ state, hostAddress: HOST, oneWay: false, clients: false }), UsageError);
  assert.throws(() => planPartition({ state, hostAddress: HOST, isolated: [], oneWay: false, clients: false }), /name a target/);
});

test('groups: each node cut from every node of the other groups, both ways', () => {
  const state = fakeCluster('kraft', 3);
  const cuts = planPartition({ state, hostAddress: HOST, groups: [nodes(state, 'n1'), nodes(state, 'n2', 'n3')], oneWay: false, clients: false });
  assert.deepEqual(describe(cuts), ['n1->n2', 'n1->n3', 'n2->n1', 'n3->n1']);
});

test('groups: nodes in no group are left alone; clients cut only grouped nodes', () => {
  const state = fakeCluster('kraft-dedicated', 3);
  const cuts = planPartition({ state, hostAddress: HOST, groups: [nodes(state, 'n1'), nodes(state, 'n2')], oneWay: false, clients: true });
  assert.deepEqual(describe(cuts), ['n1->clients', 'n1->n2', 'n2->clients', 'n2->n1']);
});

test('claimGroups: overlaps go to the first group that names a node; rest takes the others', () => {
  const state = fakeCluster('kraft', 5);
  const groups = claimGroups([nodes(state, 'n1', 'n2'), nodes(state, 'n2', 'n3'), 'rest'], state.nodes, ['a', 'b', 'rest']);
  assert.deepEqual(groups.map((g) => g.map((n) => n.name)), [['n1', 'n2'], ['n3'], ['n4', 'n5']]);
  const restFirst = claimGroups(['rest', nodes(state, 'n5')], state.nodes, ['rest', 'n5']);
  assert.deepEqual(restFirst.map((g) => g.map((n) => n.name)), [['n1', 'n2', 'n3', 'n4'], ['n5']]);
});

test('claimGroups: a group left empty by earlier groups is an error naming it', () => {
  const state = fakeCluster('kraft', 3);
  assert.throws(() => claimGroups([nodes(state, 'n1', 'n2'), nodes(state, 'n2')], state.nodes, ['n1,n2', 'follower:t']), /group 2 \(follower:t\) has no node left/);
  assert.throws(() => claimGroups([nodes(state, 'n1', 'n2', 'n3'), 'rest'], state.nodes, ['all', 'rest']), /group 2 \(rest\)/);
});

test('groups property: cuts are exactly the cross-group pairs, symmetric, never within a group', () => {
  const state = fakeCluster('kraft', 6);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -1, max: 2 }), { minLength: 6, maxLength: 6 }), (assignment) => {
      const groups: string[][] = [[], [], []];
      assignment.forEach((g, i) => {
        if (g >= 0) groups[g]?.push(`n${i + 1}`);
      });
      const cuts = planPartition({ state, hostAddress: HOST, groups: groups.map((g) => nodes(state, ...g)), oneWay: false, clients: false });
      const expected: string[] = [];
      for (const [i, gi] of assignment.entries()) {
        for (const [j, gj] of assignment.entries()) {
          if (i !== j && gi >= 0 && gj >= 0 && gi !== gj) expected.push(`n${i + 1}->n${j + 1}`);
        }
      }
      assert.deepEqual(describe(cuts), expected.sort());
    }),
    { numRuns: 200 },
  );
});

const TAG = ['-m', 'comment', '--comment', 'faultline:f12'];

test('cutRules: a whole-address cut drops INPUT from and OUTPUT to the peer', () => {
  const rules = cutRules({ peerAddress: '10.77.0.12', oneWay: false, faultId: 'f12' });
  assert.deepEqual(rules, [
    { table: 'filter', args: ['-I', 'INPUT', '-s', '10.77.0.12', ...TAG, '-j', 'DROP'] },
    { table: 'filter', args: ['-I', 'OUTPUT', '-d', '10.77.0.12', ...TAG, '-j', 'DROP'] },
  ]);
});

test('cutRules: one-way whole-address cut drops only what comes in', () => {
  const rules = cutRules({ peerAddress: '10.77.0.1', oneWay: true, faultId: 'f12' });
  assert.deepEqual(rules, [{ table: 'filter', args: ['-I', 'INPUT', '-s', '10.77.0.1', ...TAG, '-j', 'DROP'] }]);
});

for (const port of [9093, 2181]) {
  test(`cutRules: port ${port} cut covers both connection directions (sport and dport, INPUT and OUTPUT)`, () => {
    const rules = cutRules({ peerAddress: '10.77.0.9', port, oneWay: false, faultId: 'f12' });
    const p = String(port);
    assert.deepEqual(rules, [
      { table: 'filter', args: ['-I', 'INPUT', '-s', '10.77.0.9', '-p', 'tcp', '--sport', p, ...TAG, '-j', 'DROP'] },
      { table: 'filter', args: ['-I', 'INPUT', '-s', '10.77.0.9', '-p', 'tcp', '--dport', p, ...TAG, '-j', 'DROP'] },
      { table: 'filter', args: ['-I', 'OUTPUT', '-d', '10.77.0.9', '-p', 'tcp', '--dport', p, ...TAG, '-j', 'DROP'] },
      { table: 'filter', args: ['-I', 'OUTPUT', '-d', '10.77.0.9', '-p', 'tcp', '--sport', p, ...TAG, '-j', 'DROP'] },
    ]);
  });

  test(`cutRules: one-way port ${port} cut keeps only the two INPUT rules`, () => {
    const rules = cutRules({ peerAddress: '10.77.0.9', port, oneWay: true, faultId: 'f12' });
    assert.equal(rules.length, 2);
    assert.ok(rules.every((r) => r.args[1] === 'INPUT' && r.args.includes(String(port)) && r.args.includes('faultline:f12')));
    assert.deepEqual(rules.map((r) => r.args[r.args.indexOf('tcp') + 1]), ['--sport', '--dport']);
  });
}

test('cutRules: a fault id that cannot be a comment is rejected', () => {
  assert.throws(() => cutRules({ peerAddress: '10.77.0.12', oneWay: false, faultId: 'bad id' }), UsageError);
});

test('cutRules over a whole plan: every rule tagged with the fault, one namespace per cut node', () => {
  const state = fakeCluster('kraft-dedicated');
  const cuts = planPartition({ state, hostAddress: HOST, isolated: nodes(state, 'n2'), from: 'controllers', oneWay: false, clients: true });
  const rules = cuts.flatMap((c) => cutRules({ ...c, faultId: 'f3' }));
  // 3 controllers x 4 port rules + 2 host rules
  assert.equal(rules.length, 14);
  assert.ok(rules.every((r) => r.args.join(' ').includes('--comment faultline:f3 -j DROP')));
  assert.deepEqual([...new Set(cuts.map((c) => c.node.namespace))], ['fl-n2']);
});

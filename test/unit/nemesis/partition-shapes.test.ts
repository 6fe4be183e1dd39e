import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bridge, halves, majoritiesRing, minoritySize, minorityWith, randomHalves } from '../../../src/nemesis/partition-shapes.js';
import { planPartition } from '../../../src/nemesis/partition-plan.js';
import { fakeCluster, HOST, node } from './fake-cluster.js';

const names = (groups: readonly (readonly { name: string }[])[]): string[][] => groups.map((g) => g.map((n) => n.name));

test('halves: first floor(n/2) against the rest; random-halves: same sizes, seeded', () => {
  const state = fakeCluster('kraft', 5);
  assert.deepEqual(names(halves(state.nodes)), [['n1', 'n2'], ['n3', 'n4', 'n5']]);
  const a = randomHalves(state.nodes, 7);
  assert.deepEqual(names(a).map((g) => g.length), [2, 3]);
  assert.deepEqual(names(randomHalves(state.nodes, 7)), names(a));
  const seen = new Set(Array.from({ length: 20 }, (_, seed) => names(randomHalves(state.nodes, seed)).join('|')));
  assert.ok(seen.size > 1, 'different seeds give different halves');
});

test('bridge: the first node of the second half is in no group, so it keeps both halves', () => {
  const state = fakeCluster('kraft', 3);
  assert.deepEqual(names(bridge(state.nodes)), [['n1'], ['n3']]);
  const cuts = planPartition({ state, hostAddress: HOST, groups: bridge(state.nodes), oneWay: false, clients: false });
  assert.ok(cuts.every((c) => c.node.name !== 'n2' && c.peerName !== 'n2'));
  assert.deepEqual(cuts.map((c) => `${c.node.name}->${c.peerName}`).sort(), ['n1->n3', 'n3->n1']);
});

test('minority-with: the target plus seeded others up to a minority, against everyone else', () => {
  for (const n of [3, 5, 7, 9]) {
    const state = fakeCluster('kraft', n);
    const [side, rest] = minorityWith(state.nodes, node(state, 'n2'), 3);
    assert.equal(side?.length, minoritySize(n));
    assert.equal(side[0]?.name, 'n2');
    assert.equal(side.length + (rest?.length ?? 0), n);
    assert.ok(side.length < n / 2);
  }
});

test('majorities-ring: every node hears a majority including itself, and no two hear the same majority', () => {
  fc.assert(
    fc.property(fc.integer({ min: 3, max: 9 }), fc.integer({ min: 0, max: 2 ** 31 }), (n, seed) => {
      const state = fakeCluster('kraft', n);
      const grudge = majoritiesRing(state.nodes, seed);
      assert.equal(grudge.size, n, 'every node holds a grudge');
      const heard = state.nodes.map((nd) => state.nodes.filter((p) => !(grudge.get(nd.name) ?? []).some((x) => x.name === p.name)).map((p) => p.name).sort().join(','));
      for (const set of heard) assert.ok(set.split(',').length > n / 2, `${set} is a majority of ${n}`);
      assert.equal(new Set(heard).size, n, 'no two nodes hear the same majority');
      const cuts = planPartition({ state, hostAddress: HOST, grudge, oneWay: false, clients: false });
      assert.ok(cuts.every((c) => c.oneWay), 'grudges are one-way drops');
    }),
    { numRuns: 100 },
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { listeningPorts, planProxiedLinks } from '../../../src/nemesis/degrade-plan.js';
import { activeKraftController, formatTarget, parseTarget, resolveTarget, type Target } from '../../../src/nemesis/target.js';
import { SeededRandom } from '../../../src/util/seeded-random.js';
import { FaultlineError, UsageError } from '../../../src/errors.js';
import { fakeCluster, HOST, node, nodes } from './fake-cluster.js';
import { homeWithCluster } from './recording-provider.js';

// ---- degrade-plan ----

test('listeningPorts per role', () => {
  assert.deepEqual(listeningPorts(node(fakeCluster('kraft'), 'n1')), [9092, 9093]);
  assert.deepEqual(listeningPorts(node(fakeCluster('kraft-dedicated'), 'n1')), [9092]);
  assert.deepEqual(listeningPorts(node(fakeCluster('kraft-dedicated'), 'c1')), [9093]);
  assert.deepEqual(listeningPorts(node(fakeCluster('zookeeper'), 'zk')), [2181]);
  assert.deepEqual(listeningPorts(node(fakeCluster('zookeeper'), 'n2')), [9092]);
});

function links(target: string, peers: string[], host: string | undefined, mode: 'kraft' | 'kraft-dedicated' | 'zookeeper' = 'kraft'): string[] {
  const state = fakeCluster(mode);
  return planProxiedLinks(node(state, target), nodes(state, ...peers), host).map((l) => `${l.to.name}:${l.port}<-${l.fromAddresses.join(',')}`);
}

test('planProxiedLinks: clients only proxies every listening port of the target, from the host', () => {
  assert.deepEqual(links('n1', [], HOST), ['n1:9092<-10.77.0.1', 'n1:9093<-10.77.0.1']);
});

test('planProxiedLinks: nothing to degrade without peers or host', () => {
  assert.deepEqual(links('n1', [], undefined), []);
});

test('planProxiedLinks: peers go both ways (into the target from peers, into each peer from the target)', () => {
  assert.deepEqual(links('n1', ['n2', 'n3'], undefined), [
    'n1:9092<-10.77.0.12,10.77.0.13',
    'n1:9093<-10.77.0.12,10.77.0.13',
    'n2:9092<-10.77.0.11',
    'n2:9093<-10.77.0.11',
    'n3:9092<-10.77.0.11',
    'n3:9093<-10.77.0.11',
  ]);
});

test('planProxiedLinks: dedicated broker vs controller and zookeeper ports', () => {
  assert.deepEqual(links('n1', ['c1'], HOST, 'kraft-dedicated'), ['n1:9092<-10.77.0.101,10.77.0.1', 'c1:9093<-10.77.0.11']);
  assert.deepEqual(links('n2', ['zk'], undefined, 'zookeeper'), ['n2:9092<-10.77.0.2', 'zk:2181<-10.77.0.12']);
});

// ---- target ----

test('parseTarget: every form', () => {
  const cases: [string, Target][] = [
    ['broker:2', { kind: 'node', ref: '2' }],
    ['node:n3', { kind: 'node', ref: 'n3' }],
    ['3', { kind: 'node', ref: '3' }],
    ['n2', { kind: 'node', ref: 'n2' }],
    ['c1', { kind: 'node', ref: 'c1' }],
    ['zk', { kind: 'node', ref: 'zk' }],
    ['leader:orders', { kind: 'leader', topic: 'orders', partition: 0 }],
    ['leader:orders/7', { kind: 'leader', topic: 'orders', partition: 7 }],
    ['follower:a/b/12', { kind: 'follower', topic: 'a/b', partition: 12 }],
    ['controller', { kind: 'controller' }],
    ['  random  ', { kind: 'random' }],
    ['all', { kind: 'all' }],
    ['zookeeper', { kind: 'zookeeper' }],
    ['coordinator:g1', { kind: 'coordinator', group: 'g1' }],
  ];
  for (const [raw, expected] of cases) assert.deepEqual(parseTarget(raw), expected, raw);
});

test('parseTarget: every error is a UsageError that quotes the bad input', () => {
  const bad: [string, RegExp][] = [
    ['broker:', /needs an id or name/],
    ['node:', /needs an id or name/],
    ['leader:', /needs a topic/],
    ['follower:', /needs a topic/],
    ['leader:t/x', /partition must be a whole number, got 'x'/],
    ['leader:t/-1', /got '-1'/],
    ['controller:1', /takes no argument/],
    ['all:yes', /takes no argument/],
    ['coordinator:', /needs a consumer group/],
    ['bogus', /unknown target/],
    ['kafka:1', /unknown target/],
    ['', /unknown target/],
  ];
  for (const [raw, pattern] of bad) {
    assert.throws(
      () => parseTarget(raw),
      (error: unknown) => error instanceof UsageError && error.message.includes(`'${raw}'`) && pattern.test(error.message),
      `parseTarget(${JSON.stringify(raw)})`,
    );
  }
});

const nameArb = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/);
const topicArb = fc.stringMatching(/^[A-Za-z0-9._/-]{0,11}[A-Za-z0-9._-]$/);
const targetArb: fc.Arbitrary<Target> = fc.oneof(
  nameArb.map((ref): Target => ({ kind: 'node', ref })),
  fc.tuple(fc.constantFrom('leader' as const, 'follower' as const), topicArb, fc.nat(10_000)).map(([kind, topic, partition]): Target => ({ kind, topic, partition })),
  fc.constantFrom<Target>({ kind: 'controller' }, { kind: 'random' }, { kind: 'all' }, { kind: 'zookeeper' }),
  nameArb.map((group): Target => ({ kind: 'coordinator', group })),
);

test('formatTarget/parseTarget round trip', () => {
  fc.assert(
    fc.property(targetArb, (target) => {
      const text = formatTarget(target);
      assert.deepEqual(parseTarget(text), target);
      assert.equal(formatTarget(parseTarget(text)), text);
    }),
    { numRuns: 500 },
  );
});

test('resolveTarget: node refs by name and id, all, zookeeper', async () => {
  const kraft = fakeCluster('kraft-dedicated');
  assert.deepEqual((await resolveTarget(kraft, parseTarget('broker:2'))).map((n) => n.name), ['n2']);
  assert.deepEqual((await resolveTarget(kraft, parseTarget('c3'))).map((n) => n.name), ['c3']);
  assert.deepEqual((await resolveTarget(kraft, parseTarget('102'))).map((n) => n.name), ['c2']);
  assert.deepEqual((await resolveTarget(kraft, parseTarget('all'))).map((n) => n.name), ['n1', 'n2', 'n3']);
  await assert.rejects(resolveTarget(kraft, parseTarget('zookeeper')), (e: unknown) => e instanceof UsageError && e.message.includes('kraft-dedicated mode'));
  await assert.rejects(resolveTarget(kraft, parseTarget('node:n9')), (e: unknown) => e instanceof UsageError && e.message.includes("no node 'n9'") && e.message.includes('n1 (id 1)'));
  const zk = fakeCluster('zookeeper');
  assert.deepEqual((await resolveTarget(zk, parseTarget('zookeeper'))).map((n) => n.name), ['zk']);
  // ZooKeeper's id 0 is not a broker id.
  await assert.rejects(resolveTarget(zk, parseTarget('0')), /no node '0'/);
});

test('resolveTarget random: same seed, same broker; only brokers are picked', async () => {
  const state = fakeCluster('kraft-dedicated', 9);
  const picks = new Set<string>();
  for (let seed = 0; seed < 200; seed++) {
    const a = await resolveTarget(state, { kind: 'random' }, { seed });
    const b = await resolveTarget(state, { kind: 'random' }, { seed });
    assert.deepEqual(a.map((n) => n.name), b.map((n) => n.name));
    assert.equal(a.length, 1);
    assert.equal(a[0]?.role, 'broker');
    picks.add(a[0].name);
  }
  assert.equal(picks.size, 9, `200 seeds should reach all 9 brokers, got ${[...picks].join(',')}`);
});

test('activeKraftController: the leader named at the highest epoch across voters', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fl-quorum-'));
  try {
    const base = fakeCluster('kraft-dedicated');
    const state = { ...base, nodes: base.nodes.map((n) => ({ ...n, dataDir: join(dir, n.name) })) };
    homeWithCluster(t, state); // the provider reads the voters' files through the recorded cluster
    const quorum = (name: string, body: unknown) => {
      mkdirSync(join(dir, name, '__cluster_metadata-0'), { recursive: true });
      writeFileSync(join(dir, name, '__cluster_metadata-0', 'quorum-state'), typeof body === 'string' ? body : JSON.stringify(body));
    };
    await assert.rejects(activeKraftController(state), (e: unknown) => e instanceof FaultlineError && e.message.includes('no KRaft controller has been elected'));
    quorum('c1', { leaderId: 101, leaderEpoch: 3 });
    quorum('c2', { leaderId: 102, leaderEpoch: 5 });
    quorum('c3', '{ not json');
    assert.equal((await activeKraftController(state)).name, 'c2');
    quorum('c3', { leaderId: -1, leaderEpoch: 9 });
    assert.equal((await activeKraftController(state)).name, 'c2', 'an epoch without a leader does not win');
    quorum('c1', { leaderId: 7, leaderEpoch: 6 });
    await assert.rejects(activeKraftController(state), /names controller 7, which is not a node/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- the seeded generator (src/util/seeded-random.ts) ----

test('seeded random: same seed, same sequence; different seeds differ', () => {
  const draw = (seed: number) => {
    const r = new SeededRandom(seed);
    return Array.from({ length: 20 }, () => r.next());
  };
  assert.deepEqual(draw(42), draw(42));
  assert.notDeepEqual(draw(42), draw(43));
  // seeds are taken as uint32
  assert.deepEqual(draw(-1), draw(0xffffffff));
  assert.deepEqual(draw(2 ** 32 + 5), draw(5));
});

test('seeded random: known values (mulberry32) so a schedule replays across versions', () => {
  const r = new SeededRandom(1);
  const first = [r.next(), r.next(), r.next()];
  // mulberry32(1) reference output
  assert.deepEqual(first.map((v) => Math.round(v * 1e9)), [627073941, 2735721, 527447040]);
});

test('seeded random: int stays in [0, bound) and covers it evenly', () => {
  fc.assert(
    fc.property(fc.integer(), fc.integer({ min: 1, max: 1000 }), (seed, bound) => {
      const r = new SeededRandom(seed);
      for (let i = 0; i < 50; i++) {
        const v = r.int(bound);
        assert.ok(Number.isInteger(v) && v >= 0 && v < bound, `${v} not in [0, ${bound})`);
      }
    }),
  );
  const r = new SeededRandom(7);
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < 20_000; i++) {
    const k = r.int(10);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  for (const c of counts) assert.ok(c > 1700 && c < 2300, `bucket count ${c} far from 2000`);
});

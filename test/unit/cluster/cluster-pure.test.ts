import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderKafkaConfig, renderZooKeeperConfig } from '../../../src/cluster/node-config.js';
import { DEFAULT_BROKER_SETTINGS } from '../../../src/cluster/cluster-settings.js';
import { MAX_BROKERS, parseMetadataMode, planTopology, type MetadataMode, type NodePlan } from '../../../src/cluster/topology.js';
import { addressPlan, hostVethName, namespaceName } from '../../../src/net/address-plan.js';
import { DEFAULT_KAFKA_VERSION, parseKafkaVersion } from '../../../src/cluster/kafka-distribution.js';
import { UsageError } from '../../../src/errors.js';

const PLAN = addressPlan('10.77.0.0/24');

function parse(text: string): Map<string, string> {
  assert.ok(text.endsWith('\n'));
  const map = new Map<string, string>();
  for (const line of text.trimEnd().split('\n')) {
    const eq = line.indexOf('=');
    assert.ok(eq > 0, `line without '=': ${line}`);
    const key = line.slice(0, eq);
    assert.ok(!map.has(key), `duplicate key ${key}`);
    map.set(key, line.slice(eq + 1));
  }
  return map;
}

function config(mode: MetadataMode, nodeName: string, brokers = 3, settings: Record<string, string> = { ...DEFAULT_BROKER_SETTINGS }): Map<string, string> {
  const nodes = planTopology(PLAN, mode, brokers);
  const node = nodes.find((n) => n.name === nodeName) as NodePlan;
  return parse(renderKafkaConfig({ mode, node, nodes, dataDir: `/data/${nodeName}`, settings }));
}

// ---- topology / address plan ----

test('addressPlan: prefix, host address, bridge; names of namespaces and veths', () => {
  assert.deepEqual(addressPlan('10.213.0.0/24'), { prefix: '10.213.0', bridge: 'flbr0', hostAddress: '10.213.0.1' });
  assert.deepEqual(addressPlan('192.168.255.0/24'), { prefix: '192.168.255', bridge: 'flbr0', hostAddress: '192.168.255.1' });
  assert.equal(namespaceName('n1'), 'fl-n1');
  assert.equal(hostVethName('zk'), 'flh-zk');
  for (const node of planTopology(PLAN, 'kraft-dedicated', MAX_BROKERS)) assert.ok(hostVethName(node.name).length <= 15);
});

test('addressPlan: anything but an x.y.z.0/24 is a usage error quoting it', () => {
  for (const bad of ['10.213.0.0/16', '10.213.0.5/24', '300.1.2.0/24', '10.213.0.0', 'nonsense', '']) {
    assert.throws(() => addressPlan(bad), (e: unknown) => e instanceof UsageError && e.message.includes(`'${bad}'`), bad);
  }
});

test('planTopology kraft: combined nodes n1..N, ids 1..N at .11.., port 9092', () => {
  assert.deepEqual(planTopology(PLAN, 'kraft', 3), [
    { name: 'n1', id: 1, role: 'broker+controller', host: '10.77.0.11', port: 9092 },
    { name: 'n2', id: 2, role: 'broker+controller', host: '10.77.0.12', port: 9092 },
    { name: 'n3', id: 3, role: 'broker+controller', host: '10.77.0.13', port: 9092 },
  ]);
});

test('planTopology kraft-dedicated: three controllers 101..103 at .101.. on 9093, then brokers', () => {
  assert.deepEqual(planTopology(PLAN, 'kraft-dedicated', 2), [
    { name: 'c1', id: 101, role: 'controller', host: '10.77.0.101', port: 9093 },
    { name: 'c2', id: 102, role: 'controller', host: '10.77.0.102', port: 9093 },
    { name: 'c3', id: 103, role: 'controller', host: '10.77.0.103', port: 9093 },
    { name: 'n1', id: 1, role: 'broker', host: '10.77.0.11', port: 9092 },
    { name: 'n2', id: 2, role: 'broker', host: '10.77.0.12', port: 9092 },
  ]);
});

test('planTopology zookeeper: zk first at .2:2181, id 0', () => {
  const nodes = planTopology(PLAN, 'zookeeper', 1);
  assert.deepEqual(nodes, [
    { name: 'zk', id: 0, role: 'zookeeper', host: '10.77.0.2', port: 2181 },
    { name: 'n1', id: 1, role: 'broker', host: '10.77.0.11', port: 9092 },
  ]);
});

test('planTopology: broker counts outside 1..9 are usage errors naming the count; addresses unique at 9', () => {
  for (const bad of [0, 10, -1, 1.5, Number.NaN]) {
    assert.throws(() => planTopology(PLAN, 'kraft', bad), (e: unknown) => e instanceof UsageError && e.message.includes(`got ${bad}`), String(bad));
  }
  const nodes = planTopology(PLAN, 'kraft-dedicated', 9);
  assert.equal(nodes.length, 12);
  assert.equal(new Set(nodes.map((n) => n.host)).size, 12);
  assert.equal(new Set(nodes.map((n) => n.id)).size, 12);
});

test('parseMetadataMode', () => {
  assert.equal(parseMetadataMode('kraft-dedicated'), 'kraft-dedicated');
  assert.throws(() => parseMetadataMode('raft'), (e: unknown) => e instanceof UsageError && e.message.includes("got 'raft'"));
});

// ---- node-config ----

test('kraft combined node: roles, voters, both listeners, ZooKeeper keys dropped', () => {
  const c = config('kraft', 'n2');
  assert.equal(c.get('node.id'), '2');
  assert.equal(c.get('process.roles'), 'broker,controller');
  assert.equal(c.get('controller.quorum.voters'), '1@10.77.0.11:9093,2@10.77.0.12:9093,3@10.77.0.13:9093');
  assert.equal(c.get('controller.listener.names'), 'CONTROLLER');
  assert.equal(c.get('listeners'), 'PLAINTEXT://10.77.0.12:9092,CONTROLLER://10.77.0.12:9093');
  assert.equal(c.get('advertised.listeners'), 'PLAINTEXT://10.77.0.12:9092');
  assert.equal(c.get('inter.broker.listener.name'), 'PLAINTEXT');
  assert.equal(c.get('log.dirs'), '/data/n2');
  assert.equal(c.get('offsets.topic.replication.factor'), '3');
  assert.equal(c.get('transaction.state.log.replication.factor'), '3');
  assert.equal(c.get('default.replication.factor'), '3');
  assert.equal(c.get('transaction.state.log.min.isr'), '2');
  assert.equal(c.get('broker.session.timeout.ms'), '6000');
  assert.equal(c.get('replica.lag.time.max.ms'), '6000');
  assert.ok(![...c.keys()].some((k) => k.startsWith('zookeeper.')), 'no zookeeper.* key in KRaft');
  assert.equal(c.has('broker.id'), false);
});

test('kraft single node: replication factors fall to 1', () => {
  const c = config('kraft', 'n1', 1);
  assert.equal(c.get('controller.quorum.voters'), '1@10.77.0.11:9093');
  assert.equal(c.get('offsets.topic.replication.factor'), '1');
  assert.equal(c.get('transaction.state.log.min.isr'), '1');
});

test('kraft-dedicated controller: controller role and listener only, broker-only settings dropped', () => {
  const c = config('kraft-dedicated', 'c1');
  assert.equal(c.get('node.id'), '101');
  assert.equal(c.get('process.roles'), 'controller');
  assert.equal(c.get('controller.quorum.voters'), '101@10.77.0.101:9093,102@10.77.0.102:9093,103@10.77.0.103:9093');
  assert.equal(c.get('listeners'), 'CONTROLLER://10.77.0.101:9093');
  assert.equal(c.has('advertised.listeners'), false);
  assert.equal(c.has('inter.broker.listener.name'), false);
  assert.equal(c.get('broker.session.timeout.ms'), '6000');
  assert.equal(c.get('broker.heartbeat.interval.ms'), '1000');
  assert.equal(c.get('num.network.threads'), '2');
  assert.equal(c.has('replica.lag.time.max.ms'), false);
  assert.equal(c.has('min.insync.replicas'), false);
  assert.ok(![...c.keys()].some((k) => k.startsWith('zookeeper.')));
});

test('kraft-dedicated broker: broker role, PLAINTEXT listener only, voters are the controllers', () => {
  const c = config('kraft-dedicated', 'n3');
  assert.equal(c.get('node.id'), '3');
  assert.equal(c.get('process.roles'), 'broker');
  assert.equal(c.get('listeners'), 'PLAINTEXT://10.77.0.13:9092');
  assert.equal(c.get('controller.quorum.voters'), '101@10.77.0.101:9093,102@10.77.0.102:9093,103@10.77.0.103:9093');
  assert.equal(c.get('replica.lag.time.max.ms'), '6000');
});

test('zookeeper broker: broker.id, zookeeper.connect, KRaft-only keys absent, broker.session/heartbeat dropped', () => {
  const c = config('zookeeper', 'n1');
  assert.equal(c.get('broker.id'), '1');
  assert.equal(c.get('zookeeper.connect'), '10.77.0.2:2181');
  assert.equal(c.get('zookeeper.session.timeout.ms'), '6000');
  assert.equal(c.get('zookeeper.connection.timeout.ms'), '10000');
  assert.equal(c.get('listeners'), 'PLAINTEXT://10.77.0.11:9092');
  assert.equal(c.get('advertised.listeners'), 'PLAINTEXT://10.77.0.11:9092');
  for (const key of ['node.id', 'process.roles', 'controller.quorum.voters', 'controller.listener.names', 'broker.session.timeout.ms', 'broker.heartbeat.interval.ms']) {
    assert.equal(c.has(key), false, key);
  }
});

test('settings: user values override rendered defaults; faultline.* never reaches Kafka', () => {
  const c = config('kraft', 'n1', 3, { ...DEFAULT_BROKER_SETTINGS, 'offsets.topic.replication.factor': '1', 'faultline.heap.mb': '256', 'log.segment.bytes': '1048576' });
  assert.equal(c.get('offsets.topic.replication.factor'), '1');
  assert.equal(c.get('log.segment.bytes'), '1048576');
  assert.equal(c.has('faultline.heap.mb'), false);
});

test('renderZooKeeperConfig: bound to its address, sessions 2..40 ticks', () => {
  const zk = planTopology(PLAN, 'zookeeper', 1)[0] as NodePlan;
  const c = parse(renderZooKeeperConfig(zk, '/data/zk'));
  assert.equal(c.get('dataDir'), '/data/zk');
  assert.equal(c.get('clientPort'), '2181');
  assert.equal(c.get('clientPortAddress'), '10.77.0.2');
  assert.equal(c.get('tickTime'), '500');
  assert.equal(c.get('minSessionTimeout'), '1000');
  assert.equal(c.get('maxSessionTimeout'), '20000');
});

// ---- kafka-distribution ----

test('parseKafkaVersion: supported 3.7.x to 4.x', () => {
  assert.deepEqual(parseKafkaVersion('3.7.0'), { major: 3, minor: 7 });
  assert.deepEqual(parseKafkaVersion('3.9.2'), { major: 3, minor: 9 });
  assert.deepEqual(parseKafkaVersion('4.3.1'), { major: 4, minor: 3 });
  assert.deepEqual(parseKafkaVersion(DEFAULT_KAFKA_VERSION), { major: 4, minor: Number(DEFAULT_KAFKA_VERSION.split('.')[1]) });
});

test('parseKafkaVersion: malformed and unsupported versions are usage errors quoting the input', () => {
  for (const bad of ['4.3', '4.3.1-rc1', ' 4.3.1', 'v4.3.1', 'latest', '']) {
    assert.throws(() => parseKafkaVersion(bad), (e: unknown) => e instanceof UsageError && e.message.includes(`got '${bad}'`) && e.message.includes(DEFAULT_KAFKA_VERSION), bad);
  }
  for (const old of ['3.6.2', '2.8.1', '5.0.0', '0.11.0']) {
    assert.throws(() => parseKafkaVersion(old), (e: unknown) => e instanceof UsageError && e.message.includes(`${old} is not supported`), old);
  }
});

test('Kafka ids never start with "-" (a tool would read one as an option), are 22 base64url characters, and differ', async () => {
  const { randomKafkaUuid } = await import('../../../src/cluster/kraft-storage.js');
  const ids = Array.from({ length: 5000 }, () => randomKafkaUuid());
  assert.equal(ids.filter((id) => id.startsWith('-')).length, 0);
  assert.ok(ids.every((id) => /^[A-Za-z0-9_-]{22}$/.test(id)));
  assert.equal(new Set(ids).size, ids.length);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../../src/errors.js';
import { matchHostsToCluster } from '../../../src/ssh/cluster-match.js';
import type { AttachedHost, ClusterMetadataView } from '../../../src/ssh/cluster-view.js';
import { kafkaProcess, kraftNode, zooKeeperProcess } from './discovered-fixtures.js';

const ADDR = (id: number): string => `10.0.0.1${id}`;
const METADATA: ClusterMetadataView = { clusterId: 'C1', brokers: [1, 2, 3].map((id) => ({ nodeId: id, host: ADDR(id), port: 9092 })) };
const kraftHosts = (): AttachedHost[] => [1, 2, 3].map((id) => ({ sshHost: `h${id}`, processes: [kraftNode(100 + id, id, ADDR(id))] }));

/** The one error matchHostsToCluster throws: a UsageError with exactly this message. */
function rejects(hosts: readonly AttachedHost[], metadata: ClusterMetadataView, message: string): void {
  assert.throws(() => matchHostsToCluster(hosts, metadata), (e: unknown) => {
    assert.ok(e instanceof UsageError, `a UsageError, got ${String(e)}`);
    assert.equal(e.message, message);
    return true;
  });
}

test('KRaft combined nodes: n<id> at the metadata\'s address, with pid, start time, config file and log dirs', () => {
  const nodes = matchHostsToCluster([...kraftHosts()].reverse(), METADATA);
  assert.deepEqual(nodes.map((n) => [n.name, n.id, n.role, n.host, n.port, n.sshHost, n.pid]), [
    ['n1', 1, 'broker+controller', ADDR(1), 9092, 'h1', 101],
    ['n2', 2, 'broker+controller', ADDR(2), 9092, 'h2', 102],
    ['n3', 3, 'broker+controller', ADDR(3), 9092, 'h3', 103],
  ]);
  assert.deepEqual(nodes[0], {
    name: 'n1', id: 1, role: 'broker+controller', host: ADDR(1), port: 9092, sshHost: 'h1', pid: 101, startTime: 1010,
    configFile: '/opt/kafka/config/server.properties', dataDirs: ['/opt/kafka/data'],
  });
});

test('dedicated controllers are c1.. in id order, checked against the metadata\'s controller ids or else the voters', () => {
  const voters = 'controller.quorum.voters=7@10.0.0.7:9093,5@10.0.0.5:9093';
  const controller = (pid: number, id: number): ReturnType<typeof kafkaProcess> => kafkaProcess(pid, [
    'process.roles=controller', `node.id=${id}`, `listeners=CONTROLLER://10.0.0.${id}:9093`, 'controller.listener.names=CONTROLLER', voters,
  ], { clusterId: 'C1' });
  const broker = (pid: number, id: number): ReturnType<typeof kraftNode> => kraftNode(pid, id, ADDR(id), ['process.roles=broker', voters]);
  const hosts: AttachedHost[] = [
    { sshHost: 'k7', processes: [controller(7, 7)] }, { sshHost: 'k5', processes: [controller(5, 5)] },
    { sshHost: 'h1', processes: [broker(1, 1)] }, { sshHost: 'h2', processes: [broker(2, 2)] },
  ];
  const metadata: ClusterMetadataView = { clusterId: 'C1', brokers: METADATA.brokers.slice(0, 2) };
  const expected = [['c1', 5, 'controller', '10.0.0.5', 9093, 'k5'], ['c2', 7, 'controller', '10.0.0.7', 9093, 'k7'],
    ['n1', 1, 'broker', ADDR(1), 9092, 'h1'], ['n2', 2, 'broker', ADDR(2), 9092, 'h2']];
  const summary = (view: ClusterMetadataView) => matchHostsToCluster(hosts, view).map((n) => [n.name, n.id, n.role, n.host, n.port, n.sshHost]);
  assert.deepEqual(summary(metadata), expected, 'by the voters');
  assert.deepEqual(summary({ ...metadata, controllerIds: [5, 7] }), expected, 'by the controller ids');
  rejects(hosts, { ...metadata, controllerIds: [5, 6] }, 'host k7 runs KRaft controller 7, which is not one of the cluster\'s controllers (5, 6)');
  rejects([...hosts, { sshHost: 'k6', processes: [controller(6, 6)] }], metadata,
    'host k6 runs KRaft controller 6, which is not in the attached nodes\' controller.quorum.voters (5, 7)');
});

test('a controller without voters or controller ids is accepted by its cluster id, refused without one', () => {
  const lone = (disk: { clusterId?: string }): AttachedHost => ({ sshHost: 'k9', processes: [kafkaProcess(9, ['process.roles=controller', 'node.id=9', 'listeners=CONTROLLER://:9093'], disk)] });
  const hosts = [1, 2, 3].map((id) => ({ sshHost: `h${id}`, processes: [kraftNode(100 + id, id, ADDR(id), ['process.roles=broker'])] }));
  const nodes = matchHostsToCluster([...hosts, lone({ clusterId: 'C1' })], METADATA);
  assert.deepEqual(nodes[0], { name: 'c1', id: 9, role: 'controller', host: 'k9', port: 9093, sshHost: 'k9', pid: 9, startTime: 90, configFile: '/opt/kafka/config/server.properties', dataDirs: ['/tmp/kafka-logs'] });
  rejects([...hosts, lone({})], METADATA, 'host k9 runs KRaft controller 9, and nothing tells whether it belongs to the cluster (no controller ids in the metadata, no controller.quorum.voters on the attached nodes, no cluster.id in its log dirs)');
});

test('ZooKeeper mode: the ZooKeeper server is zk, named by a broker\'s zookeeper.connect (or loopback on its own host)', () => {
  const zkBroker = (pid: number, id: number, connect: string): ReturnType<typeof kafkaProcess> =>
    kafkaProcess(pid, [`broker.id=${id}`, `advertised.listeners=PLAINTEXT://${ADDR(id)}:9092`, `zookeeper.connect=${connect}`, 'log.dirs=/var/kafka']);
  const zk = zooKeeperProcess(50, ['dataDir=data', 'clientPort=2182']);
  const metadata = { brokers: METADATA.brokers.slice(0, 2) };
  const hosts: AttachedHost[] = [
    { sshHost: 'zkhost', aliases: ['10.0.0.2'], processes: [zk] },
    { sshHost: 'h1', processes: [zkBroker(1, 1, '10.0.0.2:2182/kafka')] }, { sshHost: 'h2', processes: [zkBroker(2, 2, '10.0.0.2:2182/kafka')] },
  ];
  assert.deepEqual(matchHostsToCluster(hosts, metadata)[0], {
    name: 'zk', id: 0, role: 'zookeeper', host: 'zkhost', port: 2182, sshHost: 'zkhost', pid: 50, startTime: 500, configFile: '/opt/zk/zoo.cfg', dataDirs: ['/opt/zk/data'],
  });
  const together: AttachedHost[] = [{ sshHost: 'h1', processes: [zk, zkBroker(1, 1, 'localhost:2182')] }, { sshHost: 'h2', processes: [zkBroker(2, 2, 'h1:2182')] }];
  assert.deepEqual(matchHostsToCluster(together, metadata).map((n) => n.name), ['zk', 'n1', 'n2']);
  rejects([{ ...hosts[0], aliases: [] } as AttachedHost, ...hosts.slice(1)], metadata,
    'host zkhost runs a ZooKeeper server (pid 50, client port 2182), which no attached broker\'s zookeeper.connect names (10.0.0.2:2182)');
  rejects([{ sshHost: 'zkhost', processes: [zk] }, ...kraftHosts()], METADATA,
    'host zkhost runs a ZooKeeper server (pid 50, client port 2182), but no attached broker uses ZooKeeper (no zookeeper.connect)');
});

test('a ZooKeeper server the cluster does not use is left out on a host that runs one of its brokers', () => {
  const [h1, ...others] = kraftHosts();
  const beside = { ...(h1 as AttachedHost), processes: [zooKeeperProcess(60, ['dataDir=/z']), ...(h1 as AttachedHost).processes] };
  assert.deepEqual(matchHostsToCluster([beside, ...others], METADATA).map((n) => n.name), ['n1', 'n2', 'n3']);
});

test('a listener on every interface matches when the metadata names the host or one of its aliases', () => {
  const wildcard = (id: number) => kafkaProcess(id, [`broker.id=${id}`, 'listeners=PLAINTEXT://:9092', 'zookeeper.connect=z:2181']);
  const metadata: ClusterMetadataView = { brokers: [{ nodeId: 1, host: 'kafka-1.example', port: 9092 }] };
  assert.equal(matchHostsToCluster([{ sshHost: 'h1', aliases: ['Kafka-1.example'], processes: [wildcard(1)] }], metadata)[0]?.host, 'kafka-1.example');
  assert.equal(matchHostsToCluster([{ sshHost: 'kafka-1.example', processes: [wildcard(1)] }], metadata)[0]?.name, 'n1');
  rejects([{ sshHost: 'h1', processes: [wildcard(1)] }], metadata,
    'host h1: the cluster\'s metadata lists broker 1 at kafka-1.example:9092, not at the broker\'s advertised listeners on this host (PLAINTEXT://:9092) (bound to every interface: is kafka-1.example a name of h1? add it to aliases)');
});

test('a host without Kafka, or named twice', () => {
  const hosts = kraftHosts();
  rejects([hosts[0], { sshHost: 'h9', processes: [] }, ...hosts.slice(1)] as AttachedHost[], METADATA, 'host h9 runs no Kafka (no kafka.Kafka or ZooKeeper QuorumPeerMain process)');
  rejects([...hosts, hosts[0]] as AttachedHost[], METADATA, 'host h1 is named twice');
});

test('a host of another cluster: by its log dirs\' cluster id, or by a node id the metadata does not list', () => {
  const hosts = kraftHosts();
  const stranger = { sshHost: 'x1', processes: [{ ...kraftNode(9, 1, ADDR(1)), clusterId: 'C2' }] };
  rejects([stranger, ...hosts.slice(1)], METADATA, 'host x1 belongs to cluster C2, but the cluster\'s metadata says C1');
  rejects([...hosts.slice(1), stranger], { brokers: METADATA.brokers }, 'host x1 belongs to cluster C2, the other hosts to C1');
  rejects([...hosts, { sshHost: 'x5', processes: [kraftNode(9, 5, '10.9.9.9')] }], METADATA,
    'host x5 runs Kafka node 5, which the cluster\'s metadata does not list (brokers 1, 2, 3)');
});

test('a node id that does not match the host: at another broker\'s address, at none, or changed since the start', () => {
  const hosts = kraftHosts();
  rejects([hosts[0], { sshHost: 'h2', processes: [kraftNode(102, 3, ADDR(2))] }, hosts[2]] as AttachedHost[], METADATA,
    'hosts h2 and h3 both run Kafka node 3');
  rejects([hosts[0], { sshHost: 'h2', processes: [kraftNode(102, 4, ADDR(2))] }, hosts[2]] as AttachedHost[], { ...METADATA, brokers: [...METADATA.brokers, { nodeId: 4, host: ADDR(4), port: 9092 }] },
    'host h2: the broker\'s node id is 4, but the cluster\'s metadata says the broker at its address 10.0.0.12:9092 is 2');
  rejects([{ sshHost: 'h1', processes: [kraftNode(101, 1, '10.0.0.99')] }, ...hosts.slice(1)], METADATA,
    'host h1: the cluster\'s metadata lists broker 1 at 10.0.0.11:9092, not at the broker\'s advertised listeners on this host (PLAINTEXT://10.0.0.99:9092)');
  const edited = { ...kraftNode(102, 4, ADDR(2)), metaNodeId: 2 };
  rejects([hosts[0], { sshHost: 'h2', processes: [edited] }, hosts[2]] as AttachedHost[], METADATA,
    'host h2: /opt/kafka/config/server.properties says node 4, but the broker\'s log dirs belong to node 2 (meta.properties): the file changed since the broker started');
  const noId = kafkaProcess(7, ['zookeeper.connect=z:2181']);
  rejects([{ sshHost: 'h1', processes: [noId] }], METADATA, 'host h1: Kafka pid 7 has no node.id or broker.id in /opt/kafka/config/server.properties and no meta.properties in its log dirs');
});

test('two processes with one node id: on two hosts, on one host', () => {
  const hosts = kraftHosts();
  const twin = { sshHost: 'h9', aliases: [ADDR(1)], processes: [kraftNode(109, 1, ADDR(1))] };
  rejects([...hosts, twin], METADATA, 'hosts h1 and h9 both run Kafka node 1');
  rejects([{ sshHost: 'h1', processes: [kraftNode(1, 1, ADDR(1)), kraftNode(2, 1, ADDR(1))] }], METADATA, 'host h1 runs Kafka node 1 twice (pids 1 and 2)');
});

test('a broker or controller of the metadata on no attached host is an error (faults could not reach it)', () => {
  const hosts = kraftHosts();
  rejects(hosts.slice(0, 2), METADATA, 'broker 3 (10.0.0.13:9092) of the cluster\'s metadata runs on none of the attached hosts (h1, h2); attach every host of the cluster');
  rejects(hosts, { ...METADATA, controllerIds: [1, 2, 3, 4] }, 'controller 4 of the cluster runs on none of the attached hosts (h1, h2, h3); attach every host of the cluster');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../../src/errors.js';
import { parseJavaProperties } from '../../../src/ssh/java-properties.js';
import { clientEndpoints, controllerEndpoint, readKafkaServerConfig, readZooKeeperServerConfig } from '../../../src/ssh/kafka-config.js';
import { parseHostPort, parseZooKeeperConnect } from '../../../src/ssh/kafka-endpoints.js';
import { readJvmLaunch } from '../../../src/ssh/jvm-launch.js';

const kafka = (text: string) => readKafkaServerConfig(parseJavaProperties(text, 'f'), 'f');

test('a KRaft combined node: id, roles, log dirs, listeners, advertised listeners, voters', () => {
  const config = kafka([
    'process.roles=broker,controller', 'node.id=2', 'broker.id=9', 'log.dirs=/data/a, /data/b', 'log.dir=/ignored',
    'listeners=PLAINTEXT://0.0.0.0:9092,CONTROLLER://[::1]:9093', 'advertised.listeners=PLAINTEXT://k2.example:9092',
    'controller.listener.names=controller', 'controller.quorum.voters=1@k1:9093,2@k2:9093,3@[fd00::3]:9093',
  ].join('\n'));
  assert.equal(config.nodeId, 2);
  assert.deepEqual(config.roles, ['broker', 'controller']);
  assert.equal(config.metadataMode, 'kraft');
  assert.deepEqual(config.logDirs, ['/data/a', '/data/b']);
  assert.deepEqual(config.listeners, [{ name: 'PLAINTEXT', host: '0.0.0.0', port: 9092 }, { name: 'CONTROLLER', host: '::1', port: 9093 }]);
  assert.deepEqual(config.quorumVoters.map((v) => [v.id, v.host, v.port]), [[1, 'k1', 9093], [2, 'k2', 9093], [3, 'fd00::3', 9093]]);
  assert.deepEqual(clientEndpoints(config), [{ name: 'PLAINTEXT', host: 'k2.example', port: 9092 }]);
  assert.deepEqual(controllerEndpoint(config), { name: 'CONTROLLER', host: '::1', port: 9093 });
  assert.equal(config.zookeeperConnect, undefined);
});

test('a ZooKeeper-mode broker: broker.id, role broker, log.dir, Kafka\'s default listener, zookeeper.connect with a chroot', () => {
  const config = kafka('broker.id=3\nlog.dir=/var/kafka\nzookeeper.connect=zk1:2181,zk2/kafka\n');
  assert.deepEqual([config.nodeId, config.roles, config.metadataMode, config.logDirs], [3, ['broker'], 'zookeeper', ['/var/kafka']]);
  assert.deepEqual(config.listeners, [{ name: 'PLAINTEXT', host: '', port: 9092 }]);
  assert.deepEqual(clientEndpoints(config), config.listeners);
  assert.deepEqual(config.zookeeperConnect, { servers: [{ host: 'zk1', port: 2181 }, { host: 'zk2', port: 2181 }], chroot: '/kafka' });
});

test('defaults and generated ids: no log dir is /tmp/kafka-logs, broker.id=-1 is no id, a controller-only node, bootstrap servers', () => {
  const config = kafka('process.roles=controller\nbroker.id=-1\ncontroller.quorum.bootstrap.servers=c1:9093, c2:9093\nlisteners=CONTROLLER://:9093\n');
  assert.deepEqual([config.nodeId, config.roles, config.logDirs], [undefined, ['controller'], ['/tmp/kafka-logs']]);
  assert.deepEqual(config.quorumBootstrapServers, [{ host: 'c1', port: 9093 }, { host: 'c2', port: 9093 }]);
  assert.deepEqual(controllerEndpoint(config), { name: 'CONTROLLER', host: '', port: 9093 });
});

test('bad values are errors naming the source and the property', () => {
  assert.throws(() => kafka('node.id=two'), { message: "f: node.id: 'two' is not an integer" });
  assert.throws(() => kafka('process.roles=broker,voter'), { message: "f: process.roles: 'voter' is not broker or controller" });
  assert.throws(() => kafka('listeners=localhost:9092'), { message: "f: listeners: 'localhost:9092' is not NAME://host:port" });
  assert.throws(() => kafka('controller.quorum.voters=x@h:1'), { message: "f: controller.quorum.voters: 'x@h:1' is not id@host:port" });
  assert.throws(() => parseHostPort('h:99999', 'p'), UsageError);
  assert.throws(() => parseZooKeeperConnect('/kafka', 'zookeeper.connect'), /names no server/);
});

test('ZooKeeper\'s clientPort and dataDir', () => {
  const zk = (text: string) => readZooKeeperServerConfig(parseJavaProperties(text, 'z'), 'z');
  assert.deepEqual(zk('tickTime=2000\ndataDir=/var/zk\nclientPort=2182\n'), { clientPort: 2182, dataDir: '/var/zk' });
  assert.deepEqual(zk('server.1=a:2888:3888'), { clientPort: undefined, dataDir: undefined });
});

test('readJvmLaunch: a java launcher, the main class exactly, the next argument, Kafka\'s --override pairs', () => {
  const argv = ['/usr/lib/jvm/java-17/bin/java', '-Xmx1G', '-cp', '/opt/kafka/libs/*', 'kafka.Kafka', 'config/server.properties', '--override', 'log.dirs=/x', '--override', 'bad'];
  assert.deepEqual(readJvmLaunch(argv), { kind: 'kafka', configArg: 'config/server.properties', overrides: [['log.dirs', '/x']], serverArgs: argv.slice(5) });
  assert.deepEqual(readJvmLaunch(['java', 'org.apache.zookeeper.server.quorum.QuorumPeerMain', '/etc/zk/zoo.cfg']),
    { kind: 'zookeeper', configArg: '/etc/zk/zoo.cfg', overrides: [], serverArgs: ['/etc/zk/zoo.cfg'] });
  assert.equal(readJvmLaunch(['grep', 'kafka.Kafka', 'x.properties']), undefined, 'not a java launcher');
  assert.equal(readJvmLaunch(['java', '-cp', 'x', 'kafka.KafkaX', 'x.properties']), undefined, 'not the main class exactly');
  assert.equal(readJvmLaunch(['java', 'kafka.Kafka']), undefined, 'no config argument');
  assert.equal(readJvmLaunch(['kafka.Kafka', 'x']), undefined);
});

/** Discovered processes for the matching tests, read from real properties text as discovery reads them. */
import { posix } from 'node:path';
import { parseJavaProperties } from '../../../src/ssh/java-properties.js';
import { readKafkaServerConfig, readZooKeeperServerConfig } from '../../../src/ssh/kafka-config.js';
import type { DiscoveredKafka, DiscoveredZooKeeper } from '../../../src/ssh/discovered-process.js';

const CWD = '/opt/kafka';

export function kafkaProcess(pid: number, lines: readonly string[], disk: { clusterId?: string; metaNodeId?: number } = {}): DiscoveredKafka {
  const configText = lines.join('\n');
  const config = readKafkaServerConfig(parseJavaProperties(configText, 'test'), 'test');
  return {
    kind: 'kafka', pid, startTime: pid * 10, argv: ['java', 'kafka.Kafka', 'config/server.properties'], cwd: CWD,
    configFile: `${CWD}/config/server.properties`, configText, config,
    logDirs: config.logDirs.map((dir) => posix.resolve(CWD, dir)),
    clusterId: disk.clusterId, metaNodeId: disk.metaNodeId,
  };
}

export function zooKeeperProcess(pid: number, lines: readonly string[]): DiscoveredZooKeeper {
  const configText = lines.join('\n');
  return {
    kind: 'zookeeper', pid, startTime: pid * 10, argv: ['java', 'org.apache.zookeeper.server.quorum.QuorumPeerMain', 'zoo.cfg'],
    cwd: '/opt/zk', configFile: '/opt/zk/zoo.cfg', configText,
    config: readZooKeeperServerConfig(parseJavaProperties(configText, 'test'), 'test'),
  };
}

/** A KRaft broker+controller (or what `roles` says) advertising PLAINTEXT://address:9092. */
export function kraftNode(pid: number, id: number, address: string, more: readonly string[] = []): DiscoveredKafka {
  return kafkaProcess(pid, [
    'process.roles=broker,controller', `node.id=${id}`, 'log.dirs=data',
    'listeners=PLAINTEXT://:9092,CONTROLLER://:9093', 'controller.listener.names=CONTROLLER',
    `advertised.listeners=PLAINTEXT://${address}:9092`, ...more,
  ], { clusterId: 'C1', metaNodeId: id });
}

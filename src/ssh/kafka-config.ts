import { UsageError } from '../errors.js';
import {
  parseHostPorts, parseListeners, parseQuorumVoters, parseZooKeeperConnect,
  type HostPort, type ListenerEndpoint, type QuorumVoter, type ZooKeeperConnect,
} from './kafka-endpoints.js';

export type KafkaProcessRole = 'broker' | 'controller';

/** What faultline needs from a Kafka server's properties (after `--override`s). */
export interface KafkaServerConfig {
  /** node.id, else broker.id; undefined when neither is set or it is -1 (ZooKeeper mode's generated id). */
  readonly nodeId: number | undefined;
  /** process.roles; ['broker'] in ZooKeeper mode (no process.roles). */
  readonly roles: readonly KafkaProcessRole[];
  readonly metadataMode: 'kraft' | 'zookeeper';
  /** log.dirs, else log.dir, else Kafka's default. */
  readonly logDirs: readonly string[];
  /** listeners, else Kafka's default `PLAINTEXT://:9092`. */
  readonly listeners: readonly ListenerEndpoint[];
  readonly advertisedListeners: readonly ListenerEndpoint[] | undefined;
  readonly controllerListenerNames: readonly string[];
  readonly quorumVoters: readonly QuorumVoter[];
  readonly quorumBootstrapServers: readonly HostPort[];
  readonly zookeeperConnect: ZooKeeperConnect | undefined;
}

/** ZooKeeper server (QuorumPeerMain) settings faultline needs. */
export interface ZooKeeperServerConfig {
  readonly clientPort: number | undefined;
  readonly dataDir: string | undefined;
}

/** Kafka's default for log.dir. */
const KAFKA_DEFAULT_LOG_DIR = '/tmp/kafka-logs';
const KAFKA_DEFAULT_LISTENERS = 'PLAINTEXT://:9092';
const PROCESS_ROLES: readonly KafkaProcessRole[] = ['broker', 'controller'];

function integer(props: ReadonlyMap<string, string>, key: string, source: string): number | undefined {
  const raw = props.get(key)?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new UsageError(`${source}: ${key}: '${raw}' is not an integer`);
  return value;
}

function list(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((part) => part.trim()).filter((part) => part !== '');
}

function nodeIdOf(props: ReadonlyMap<string, string>, source: string): number | undefined {
  const id = integer(props, 'node.id', source) ?? integer(props, 'broker.id', source);
  return id === undefined || id < 0 ? undefined : id;
}

function rolesOf(props: ReadonlyMap<string, string>, source: string): KafkaProcessRole[] {
  const raw = list(props.get('process.roles'));
  for (const role of raw) {
    if (!(PROCESS_ROLES as readonly string[]).includes(role)) {
      throw new UsageError(`${source}: process.roles: '${role}' is not broker or controller`);
    }
  }
  return raw.length === 0 ? ['broker'] : PROCESS_ROLES.filter((role) => raw.includes(role));
}

/** Reads a Kafka server's properties; `source` (host and file) prefixes every error. */
export function readKafkaServerConfig(props: ReadonlyMap<string, string>, source: string): KafkaServerConfig {
  const at = (key: string): string => `${source}: ${key}`;
  const advertised = props.get('advertised.listeners');
  const zookeeper = props.get('zookeeper.connect');
  return {
    nodeId: nodeIdOf(props, source),
    roles: rolesOf(props, source),
    metadataMode: list(props.get('process.roles')).length > 0 ? 'kraft' : 'zookeeper',
    logDirs: list(props.get('log.dirs') ?? props.get('log.dir') ?? KAFKA_DEFAULT_LOG_DIR),
    listeners: parseListeners(props.get('listeners') ?? KAFKA_DEFAULT_LISTENERS, at('listeners')),
    advertisedListeners: advertised === undefined ? undefined : parseListeners(advertised, at('advertised.listeners')),
    controllerListenerNames: list(props.get('controller.listener.names')).map((name) => name.toUpperCase()),
    quorumVoters: parseQuorumVoters(props.get('controller.quorum.voters') ?? '', at('controller.quorum.voters')),
    quorumBootstrapServers: parseHostPorts(props.get('controller.quorum.bootstrap.servers') ?? '', at('controller.quorum.bootstrap.servers')),
    zookeeperConnect: zookeeper === undefined || zookeeper.trim() === '' ? undefined : parseZooKeeperConnect(zookeeper, at('zookeeper.connect')),
  };
}

export function readZooKeeperServerConfig(props: ReadonlyMap<string, string>, source: string): ZooKeeperServerConfig {
  const dataDir = props.get('dataDir')?.trim();
  return { clientPort: integer(props, 'clientPort', source), dataDir: dataDir === '' ? undefined : dataDir };
}

/**
 * The endpoints clients are told about: advertised.listeners, else listeners, without the controller listeners
 * (Kafka advertises neither those nor, for a wildcard host, anything but the host's name).
 */
export function clientEndpoints(config: KafkaServerConfig): ListenerEndpoint[] {
  return (config.advertisedListeners ?? config.listeners).filter((l) => !config.controllerListenerNames.includes(l.name));
}

/** Where a controller-only node listens: its first controller listener, else its first listener. */
export function controllerEndpoint(config: KafkaServerConfig): ListenerEndpoint | undefined {
  return config.listeners.find((l) => config.controllerListenerNames.includes(l.name)) ?? config.listeners[0];
}

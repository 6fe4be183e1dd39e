import { BROKER_PORT, CONTROLLER_PORT, ZOOKEEPER_PORT, isBroker, isController, type MetadataMode, type NodePlan } from './topology.js';
import { ZOOKEEPER_TICK_MS } from './cluster-settings.js';

export interface NodeConfigInput {
  readonly mode: MetadataMode;
  readonly node: NodePlan;
  readonly nodes: readonly NodePlan[];
  readonly dataDir: string;
  /** Defaults merged with the user's --set values. */
  readonly settings: Readonly<Record<string, string>>;
}

function render(entries: Record<string, string>): string {
  return Object.entries(entries).map(([key, value]) => `${key}=${value}`).join('\n') + '\n';
}

/** server.properties for a broker, controller or combined node. */
export function renderKafkaConfig(input: NodeConfigInput): string {
  const { mode, node, nodes } = input;
  const brokers = nodes.filter(isBroker);
  const replication = String(Math.min(3, brokers.length));
  return render({
    'log.dirs': input.dataDir,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    ...(mode === 'zookeeper' ? zookeeperModeEntries(node, nodes) : kraftEntries(node, nodes)),
    'offsets.topic.replication.factor': replication,
    'transaction.state.log.replication.factor': replication,
    // Topics created without a replication factor (Kafka Streams' changelog and repartition topics) are replicated too.
    'default.replication.factor': replication,
    'transaction.state.log.min.isr': String(Math.min(2, brokers.length)),
    ...settingEntries(mode, node, input.settings),
  });
}

/** Identity and listeners of a ZooKeeper-mode broker. */
function zookeeperModeEntries(node: NodePlan, nodes: readonly NodePlan[]): Record<string, string> {
  const zk = nodes.find((n) => n.role === 'zookeeper');
  return {
    'broker.id': String(node.id),
    'zookeeper.connect': `${zk?.host ?? ''}:${ZOOKEEPER_PORT}`,
    listeners: `PLAINTEXT://${node.host}:${BROKER_PORT}`,
    'advertised.listeners': `PLAINTEXT://${node.host}:${BROKER_PORT}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'zookeeper.connection.timeout.ms': '10000',
  };
}

/** Identity, roles, quorum and listeners of a KRaft node. */
function kraftEntries(node: NodePlan, nodes: readonly NodePlan[]): Record<string, string> {
  const voters = nodes.filter(isController).map((n) => `${n.id}@${n.host}:${CONTROLLER_PORT}`);
  const listeners: string[] = [];
  if (isBroker(node)) listeners.push(`PLAINTEXT://${node.host}:${BROKER_PORT}`);
  if (isController(node)) listeners.push(`CONTROLLER://${node.host}:${CONTROLLER_PORT}`);
  return {
    'node.id': String(node.id),
    'process.roles': node.role === 'broker+controller' ? 'broker,controller' : node.role,
    'controller.quorum.voters': voters.join(','),
    'controller.listener.names': 'CONTROLLER',
    listeners: listeners.join(','),
    ...(isBroker(node) ? { 'advertised.listeners': `PLAINTEXT://${node.host}:${BROKER_PORT}`, 'inter.broker.listener.name': 'PLAINTEXT' } : {}),
  };
}

/** The settings (defaults merged with the user's) that apply to this node; they override faultline's own entries. */
function settingEntries(mode: MetadataMode, node: NodePlan, settings: Readonly<Record<string, string>>): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (key.startsWith('faultline.')) continue;
    // ZooKeeper-only keys make a KRaft broker log warnings; KRaft-only keys are ignored by ZooKeeper brokers.
    if (mode !== 'zookeeper' && key.startsWith('zookeeper.')) continue;
    if (mode === 'zookeeper' && (key.startsWith('broker.session') || key.startsWith('broker.heartbeat'))) continue;
    if (node.role === 'controller' && !isControllerKey(key)) continue;
    entries[key] = value;
  }
  return entries;
}

/** A dedicated controller rejects nothing, but broker-only keys are noise in its config. */
function isControllerKey(key: string): boolean {
  return key.startsWith('broker.session') || key.startsWith('broker.heartbeat') || key.startsWith('controller.') || key.startsWith('metadata.') || key === 'num.network.threads' || key === 'num.io.threads';
}

export function renderZooKeeperConfig(node: NodePlan, dataDir: string): string {
  return render({
    dataDir,
    clientPort: String(ZOOKEEPER_PORT),
    clientPortAddress: node.host,
    tickTime: String(ZOOKEEPER_TICK_MS),
    minSessionTimeout: String(2 * ZOOKEEPER_TICK_MS),
    maxSessionTimeout: String(40 * ZOOKEEPER_TICK_MS),
    maxClientCnxns: '0',
    'admin.enableServer': 'false',
    '4lw.commands.whitelist': 'ruok,stat,srvr,mntr',
  });
}

/** Logging config: everything to stdout, which the node process writes to its log file. */
export function renderLog4j2Config(): string {
  return [
    'status = warn',
    'appender.out.type = Console',
    'appender.out.name = OUT',
    'appender.out.layout.type = PatternLayout',
    'appender.out.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.out.ref = OUT',
    'logger.kafka.name = kafka',
    'logger.kafka.level = INFO',
    'logger.request.name = kafka.request.logger',
    'logger.request.level = WARN',
    'logger.raft.name = org.apache.kafka.raft',
    'logger.raft.level = INFO',
    '',
  ].join('\n');
}

export function renderLog4j1Config(): string {
  return [
    'log4j.rootLogger=INFO, stdout',
    'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
    'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.kafka.request.logger=WARN',
    'log4j.logger.org.apache.zookeeper=INFO',
    '',
  ].join('\n');
}

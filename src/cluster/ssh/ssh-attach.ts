import { FaultlineError, UsageError } from '../../errors.js';
import { withAdmin } from '../../kafka/admin.js';
import { matchHostsToCluster } from '../../ssh/cluster-match.js';
import type { AttachedNode } from '../../ssh/cluster-view.js';
import type { DiscoveredProcess } from '../../ssh/discovered-process.js';
import { readJvmLaunch } from '../../ssh/jvm-launch.js';
import { discoverKafkaProcesses } from '../../ssh/kafka-discovery.js';
import { clientEndpoints } from '../../ssh/kafka-config.js';
import type { RemoteRunner } from '../../ssh/shell-host.js';
import { readClusterState, writeClusterState, type ClusterState, type NodeState } from '../cluster-state.js';
import { clusterIsAlive, summarize, type ClusterSummary } from '../cluster-summary.js';
import type { MetadataMode } from '../topology.js';
import { commandStartMs, withSlowStartWarnings } from './command-start.js';
import { ipv4Of } from './host-probe.js';
import { resolveNodeCommands, startScriptOf, type NodeCommandOptions } from './node-commands.js';
import { openHost, scriptAnswer } from './remote-hosts.js';
import { resolveSshHosts, writeSshHosts, type SshHostsConfig, type SshHostsOptions } from './ssh-config.js';

/** Bound on the metadata request that lists the cluster's brokers. */
const ATTACH_METADATA_TIMEOUT_MS = 10_000;

interface FoundHost {
  readonly name: string;
  readonly host: RemoteRunner;
  readonly address: string;
  readonly clientAddress: string;
  readonly processes: readonly DiscoveredProcess[];
  /** How long a command took to start there (commandStartMs). */
  readonly startMs: number;
}

async function findOnHost(config: SshHostsConfig, name: string, index: number): Promise<FoundHost> {
  const address = await ipv4Of(name, index);
  const host = await openHost(config, name);
  const [clientAddress, startMs] = await Promise.all([scriptAnswer(host, 'reading $SSH_CONNECTION', 'echo "${SSH_CONNECTION%% *}"', []), commandStartMs(host.ssh)]);
  return { name, host, address, clientAddress, processes: await discoverKafkaProcesses(host), startMs };
}

/** The brokers as the cluster's metadata lists them, asked of the brokers found on the hosts. */
async function metadataOf(found: readonly FoundHost[]): Promise<{ nodeId: number; host: string; port: number }[]> {
  const endpoints = found.flatMap((f) => f.processes.flatMap((p) => (p.kind === 'kafka' ? clientEndpoints(p.config).map((e) => `${e.host === '' || e.host === '0.0.0.0' ? f.address : e.host}:${e.port}`) : [])));
  if (endpoints.length === 0) throw new FaultlineError(`hosts: no Kafka broker runs on ${found.map((f) => f.name).join(', ')}`);
  const brokers = await withAdmin(endpoints.join(','), (admin) => admin.brokers(), ATTACH_METADATA_TIMEOUT_MS);
  return brokers.map((b) => ({ nodeId: b.id, host: b.host, port: b.port }));
}

function modeOf(nodes: readonly AttachedNode[]): MetadataMode {
  if (nodes.some((n) => n.role === 'zookeeper')) return 'zookeeper';
  return nodes.some((n) => n.role === 'controller') ? 'kraft-dedicated' : 'kraft';
}

/** The Kafka version in the class path's jar names (kafka_2.13-3.9.1.jar, kafka-server-4.3.1.jar); 'unknown' without one. */
function versionOf(argv: readonly string[]): string {
  return /kafka(?:_[0-9.]+|-server|-clients)-(\d+\.\d+\.\d+)\.jar/.exec(argv.join(' '))?.[1] ?? 'unknown';
}

/** An attached node as the state file keeps it: its process found by its config argument, started again by its own command line. */
async function nodeStateOf(node: AttachedNode, found: FoundHost, index: number): Promise<NodeState> {
  const process = found.processes.find((p) => p.pid === node.pid);
  const argv = process?.argv ?? [];
  const logsDir = argv.find((a) => a.startsWith('-Dkafka.logs.dir='))?.slice('-Dkafka.logs.dir='.length) ?? `${process?.cwd ?? '/'}/logs`;
  return {
    name: node.name, id: node.id, role: node.role, host: await ipv4Of(node.host, index), port: node.port,
    namespace: '', hostVeth: '', dir: process?.cwd ?? '/', dataDir: node.dataDirs[0] ?? '', configFile: node.configFile,
    logFile: `${logsDir}/${node.role === 'zookeeper' ? 'zookeeper.out' : 'server.log'}`,
    marker: readJvmLaunch(argv)?.configArg ?? node.configFile, pid: node.pid, state: 'running', argv,
  };
}

/** With a Kafka installation named, every node's host must have its start script (checked before anything is written). */
async function checkKafkaHome(commands: NodeCommandOptions, found: readonly FoundHost[], nodes: readonly AttachedNode[]): Promise<void> {
  const home = commands.kafkaHome;
  if (home === undefined || commands.startCommand !== undefined) return;
  for (const node of nodes) {
    const script = startScriptOf(home, node.role);
    const host = found.find((f) => f.name === node.sshHost)?.host;
    if (host && (await scriptAnswer(host, `looking for ${script}`, '[ -x "$1" ] && echo yes || echo no', [script])) !== 'yes') {
      throw new UsageError(`kafkaHome: host ${node.sshHost} has no executable ${script} (node ${node.name})`);
    }
  }
}

async function attachedState(config: SshHostsConfig & NodeCommandOptions, found: readonly FoundHost[], nodes: readonly AttachedNode[]): Promise<ClusterState> {
  const byName = new Map(found.map((f) => [f.name, f]));
  const states = await Promise.all(nodes.map((n, i) => nodeStateOf(n, byName.get(n.sshHost) as FoundHost, i)));
  const firstKafka = found.flatMap((f) => f.processes).find((p) => p.kind === 'kafka');
  return {
    formatVersion: 1, status: 'running', createdAt: new Date().toISOString(),
    clusterId: (firstKafka?.kind === 'kafka' ? firstKafka.clusterId : undefined) ?? 'unknown',
    mode: modeOf(nodes), kafkaVersion: versionOf(firstKafka?.argv ?? []), libDir: '', dir: config.remoteDir,
    addressPrefix: '', bridge: '', bootstrap: states.filter((n) => n.role !== 'zookeeper' && n.role !== 'controller').map((n) => `${n.host}:${n.port}`).join(','),
    settings: {}, heapMb: 0, diskMb: 0, owner: { kind: 'user', pid: process.pid }, provider: 'ssh',
    ssh: {
      ...config,
      sshHostByAddress: Object.fromEntries(states.map((n) => [n.host, nodes.find((a) => a.name === n.name)?.sshHost ?? n.host])),
      javaByHost: Object.fromEntries(found.map((f) => [f.name, f.processes[0]?.argv[0] ?? 'java'])),
      clientAddress: found[0]?.clientAddress ?? '',
    },
    nodes: states,
  };
}

/**
 * `cluster attach`: finds each host's Kafka (or ZooKeeper) process and its configuration over SSH, matches them
 * against the brokers the cluster's metadata lists, and records the cluster (and the hosts) so every command
 * works against it. Any mismatch is one error and nothing is written, here or on a host.
 */
export async function clusterAttach(options: SshHostsOptions & NodeCommandOptions): Promise<ClusterSummary> {
  const config = resolveSshHosts(options, true);
  const commands = resolveNodeCommands(options);
  const recorded = readClusterState();
  if (recorded && clusterIsAlive(recorded)) {
    throw new FaultlineError(`a cluster is recorded (bootstrap ${recorded.bootstrap}); run 'faultline cluster down' or 'faultline cluster detach' first`);
  }
  const found = await Promise.all(config.hosts.map((name, i) => findOnHost(config, name, i)));
  const brokers = await metadataOf(found);
  const nodes = matchHostsToCluster(found.map((f) => ({ sshHost: f.name, aliases: [f.address], processes: f.processes })), { brokers });
  await checkKafkaHome(commands, found, nodes);
  const state = await attachedState({ ...config, ...commands }, found, nodes);
  writeSshHosts(config);
  writeClusterState(state);
  return withSlowStartWarnings(summarize(state), found);
}

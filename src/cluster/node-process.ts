import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { FaultlineError } from '../errors.js';
import { isProcessAlive } from '../util/process.js';
import type { ClusterState, NodeState } from './cluster-state.js';
import { DEFAULT_JVM_SETTINGS } from './cluster-settings.js';

/** Prefix of the system property that marks a node JVM (`-Dfaultline.node=<name>@<cluster id>`). */
export const NODE_MARKER_PREFIX = '-Dfaultline.node=';

export function javaCommand(): string {
  const home = process.env['JAVA_HOME'];
  return home ? join(home, 'bin', 'java') : 'java';
}

/** The JVM command line of a node; the marker system property lets us recognise its pid later. */
export function nodeCommandLine(cluster: Pick<ClusterState, 'libDir' | 'kafkaVersion' | 'heapMb'>, node: NodeState): string[] {
  const major = Number(cluster.kafkaVersion.split('.')[0]);
  const logConfig = major >= 4
    ? `-Dlog4j2.configurationFile=${join(node.dir, 'log4j2.properties')}`
    : `-Dlog4j.configuration=file:${join(node.dir, 'log4j.properties')}`;
  const mainClass = node.role === 'zookeeper' ? 'org.apache.zookeeper.server.quorum.QuorumPeerMain' : 'kafka.Kafka';
  return [
    `-Xms${Math.min(256, cluster.heapMb)}m`,
    `-Xmx${cluster.heapMb}m`,
    ...DEFAULT_JVM_SETTINGS.extraArgs,
    node.marker,
    `-Dkafka.logs.dir=${join(node.dir, 'logs')}`,
    '-Dzookeeper.admin.enableServer=false',
    logConfig,
    '-cp',
    `${cluster.libDir}/*`,
    mainClass,
    node.configFile,
  ];
}

/**
 * Starts a node's JVM inside its namespace, detached so it outlives this faultline process.
 * `ip netns exec` execs java in place, so the returned pid is the JVM's.
 */
export function spawnNode(cluster: Pick<ClusterState, 'libDir' | 'kafkaVersion' | 'heapMb'>, node: NodeState): number {
  const logFd = openSync(node.logFile, 'a');
  try {
    const child = spawn('ip', ['netns', 'exec', node.namespace, javaCommand(), ...nodeCommandLine(cluster, node)], {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      cwd: node.dir,
    });
    if (child.pid === undefined) throw new FaultlineError(`could not start node ${node.name}: spawn failed (see ${node.logFile})`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(logFd);
  }
}

export function nodeIsAlive(node: NodeState): boolean {
  return node.pid > 0 && isProcessAlive(node.pid, node.marker);
}

/** The last `lines` lines of a node's log, for error messages. */
export function tailLog(path: string, lines = 8): string {
  try {
    const size = statSync(path).size;
    const text = readFileSync(path, 'utf8').slice(Math.max(0, size - 16_384));
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Byte offset of the log's end, to search only what a (re)start writes. */
export function logSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** True when the log, from byte `fromOffset`, contains the node's started line. */
export function logShowsStarted(node: NodeState, fromOffset: number): boolean {
  let text: string;
  try {
    const buffer = readFileSync(node.logFile);
    text = buffer.subarray(fromOffset).toString('utf8');
  } catch {
    return false;
  }
  return new RegExp(startedPattern(node), 'i').test(text);
}

/**
 * The line a node logs once fully started, as an extended regular expression (JavaScript and `grep -Ei` read it
 * alike): ZooKeeper's, or KRaft's (3.x and 4.x, any role) and ZooKeeper-mode brokers'.
 */
export function startedPattern(node: Pick<NodeState, 'role'>): string {
  if (node.role === 'zookeeper') return 'binding to port|Started .*ZooKeeperServer|serverCnxnFactory|PrepRequestProcessor.*started';
  return '\\] Kafka Server started|\\[KafkaServer id=[0-9]+\\] started';
}

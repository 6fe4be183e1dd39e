import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FaultlineError, UsageError } from '../errors.js';
import { addressPlan, hostVethName, namespaceName, type AddressPlan } from '../net/address-plan.js';
import { execCapture } from '../util/exec.js';
import { mountDataDir, mountsUnder, unmountAllUnder } from './data-mount.js';
import { assertNetworkAdmin, createNodeNamespace, ensureBridge, listFaultlineLinks, listFaultlineNamespaces, removeAllFaultlineNetworking } from '../net/namespace.js';
import { findProcessesByMarker, isProcessAlive, stopProcess, signalProcess } from '../util/process.js';
import { clearRegistry } from '../nemesis/heal-registry.js';
import { pollUntil } from '../util/time.js';
import { withAdmin } from '../kafka/admin.js';
import { DEFAULT_KAFKA_VERSION, DEFAULT_ZOOKEEPER_KAFKA_VERSION, resolveKafkaDistribution, type KafkaDistribution } from './kafka-distribution.js';
import { DEFAULT_BROKER_SETTINGS, DEFAULT_JVM_SETTINGS } from './cluster-settings.js';
import { planTopology, isBroker, type MetadataMode } from './topology.js';
import { renderKafkaConfig, renderLog4j1Config, renderLog4j2Config, renderZooKeeperConfig } from './node-config.js';
import { formatKraftStorage, randomKafkaUuid } from './kraft-storage.js';
import { clusterDir, readClusterState, removeClusterState, writeClusterState, type ClusterState, type NodeState } from './cluster-state.js';
import { logShowsStarted, logSize, NODE_MARKER_PREFIX, nodeIsAlive, spawnNode, tailLog } from './node-process.js';
import { PROXY_MARKER } from '../net/tcp-proxy-process.js';

export interface ClusterUpOptions {
  readonly brokers?: number;
  readonly metadata?: MetadataMode;
  readonly kafkaVersion?: string;
  /** Kafka broker settings merged over the defaults (see DEFAULT_BROKER_SETTINGS). */
  readonly settings?: Readonly<Record<string, string>>;
  readonly heapMb?: number;
  /** Size of each node's tmpfs data directory in MiB (what fill-disk fills). */
  readonly diskMb?: number;
  readonly startTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface NodeSummary {
  readonly id: number;
  readonly name: string;
  readonly role: string;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  readonly state: 'running' | 'stopped' | 'paused' | 'dead';
  readonly logFile: string;
}

export interface ClusterSummary {
  readonly bootstrap: string;
  readonly mode: MetadataMode;
  readonly kafkaVersion: string;
  readonly clusterId: string;
  readonly createdAt: string;
  readonly dir: string;
  readonly nodes: NodeSummary[];
}

const DEFAULT_START_TIMEOUT_MS = 90_000;
export const DEFAULT_DISK_MB = 2048;

export function summarize(state: ClusterState): ClusterSummary {
  return {
    bootstrap: state.bootstrap,
    mode: state.mode,
    kafkaVersion: state.kafkaVersion,
    clusterId: state.clusterId,
    createdAt: state.createdAt,
    dir: state.dir,
    nodes: state.nodes.map((n) => ({
      id: n.id,
      name: n.name,
      role: n.role,
      host: n.host,
      port: n.port,
      pid: n.pid,
      state: n.state === 'stopped' ? 'stopped' : nodeIsAlive(n) ? n.state : 'dead',
      logFile: n.logFile,
    })),
  };
}

/** True when some node of the recorded cluster still runs. */
function clusterIsAlive(state: ClusterState): boolean {
  return state.nodes.some((n) => nodeIsAlive(n));
}

/**
 * Brings a cluster up: namespaces, configs, JVMs; returns once every node logged its start and a
 * metadata request sees every broker. On any failure, everything it made is torn down before it throws.
 */
export async function clusterUp(options: ClusterUpOptions = {}): Promise<ClusterSummary> {
  assertNetworkAdmin();
  const log = options.log ?? (() => {});
  const mode = options.metadata ?? 'kraft';
  const brokerCount = options.brokers ?? 3;
  const kafkaVersion = options.kafkaVersion ?? (mode === 'zookeeper' ? DEFAULT_ZOOKEEPER_KAFKA_VERSION : DEFAULT_KAFKA_VERSION);
  const heapMb = options.heapMb ?? DEFAULT_JVM_SETTINGS.heapMb;
  const diskMb = options.diskMb ?? DEFAULT_DISK_MB;
  if (!Number.isInteger(diskMb) || diskMb < 64 || diskMb > 65536) throw new UsageError(`disk: expected 64..65536 MiB per node, got ${diskMb}`);
  if (!Number.isInteger(heapMb) || heapMb < 128 || heapMb > 8192) throw new UsageError(`heap: expected 128..8192 MiB, got ${heapMb}`);
  const plan = addressPlan();
  const nodes = planTopology(plan, mode, brokerCount);

  const existing = readClusterState();
  if (existing) {
    if (clusterIsAlive(existing)) {
      throw new FaultlineError(`a cluster is already running (started ${existing.createdAt}, bootstrap ${existing.bootstrap}); run 'faultline cluster down' first`);
    }
    log('found leftovers of a cluster whose processes are gone; cleaning them up');
    await clusterDown();
  }
  await assertNetworkFree(plan);

  const dist: KafkaDistribution = await resolveKafkaDistribution(kafkaVersion, log);
  if (mode === 'zookeeper' && !dist.supportsZooKeeper) {
    throw new UsageError(`--metadata zookeeper needs Kafka 3.x (ZooKeeper mode was removed in 4.0); try --kafka-version ${DEFAULT_ZOOKEEPER_KAFKA_VERSION}`);
  }
  const settings = { ...DEFAULT_BROKER_SETTINGS, ...(options.settings ?? {}) };
  const dir = clusterDir();
  await unmountAllUnder(dir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const clusterId = randomKafkaUuid();
  const brokers = nodes.filter(isBroker);
  const state: ClusterState = {
    formatVersion: 1,
    status: 'starting',
    createdAt: new Date().toISOString(),
    clusterId,
    mode,
    kafkaVersion,
    libDir: dist.libDir,
    dir,
    addressPrefix: plan.prefix,
    bridge: plan.bridge,
    bootstrap: brokers.map((b) => `${b.host}:${b.port}`).join(','),
    settings,
    heapMb,
    diskMb,
    nodes: nodes.map((n): NodeState => {
      const nodeDir = join(dir, n.name);
      return {
        ...n,
        namespace: namespaceName(n.name),
        hostVeth: hostVethName(n.name),
        dir: nodeDir,
        dataDir: join(nodeDir, 'data'),
        configFile: join(nodeDir, n.role === 'zookeeper' ? 'zookeeper.properties' : 'server.properties'),
        logFile: join(nodeDir, 'server.log'),
        marker: `${NODE_MARKER_PREFIX}${n.name}@${clusterId}`,
        pid: 0,
        state: 'stopped',
      };
    }),
  };
  // Written before anything is made, so a crash mid-way can still be cleaned up by 'cluster down'.
  writeClusterState(state);

  const teardownOnSignal = () => {
    void clusterDown().finally(() => process.exit(130));
  };
  process.once('SIGINT', teardownOnSignal);
  process.once('SIGTERM', teardownOnSignal);
  try {
    await ensureBridge(plan);
    for (const node of state.nodes) {
      mkdirSync(join(node.dir, 'logs'), { recursive: true });
      mkdirSync(node.dataDir, { recursive: true });
      await mountDataDir(node.dataDir, diskMb);
      await createNodeNamespace(plan, node.name, node.host);
      writeFileSync(join(node.dir, 'log4j2.properties'), renderLog4j2Config());
      writeFileSync(join(node.dir, 'log4j.properties'), renderLog4j1Config());
      if (node.role === 'zookeeper') {
        writeFileSync(node.configFile, renderZooKeeperConfig(node, node.dataDir));
      } else {
        writeFileSync(node.configFile, renderKafkaConfig({ mode, node, nodes, dataDir: node.dataDir, settings }));
        if (mode !== 'zookeeper') await formatKraftStorage(dist, node.dataDir, node.id, clusterId);
      }
    }
    const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const deadline = Date.now() + startTimeoutMs;
    // ZooKeeper first: brokers in ZooKeeper mode give up if it is not there.
    const zk = state.nodes.filter((n) => n.role === 'zookeeper');
    const kafkaNodes = state.nodes.filter((n) => n.role !== 'zookeeper');
    for (const group of [zk, kafkaNodes]) {
      if (group.length === 0) continue;
      const offsets = new Map<string, number>();
      for (const node of group) {
        offsets.set(node.name, logSize(node.logFile));
        node.pid = spawnNode(state, node);
        node.state = 'running';
        log(`started ${node.name} (${node.role}, ${node.host}, pid ${node.pid})`);
      }
      writeClusterState(state);
      await waitForNodesStarted(group, offsets, deadline, startTimeoutMs);
    }
    log('waiting for every broker to register');
    await waitForBrokers(state, brokers.map((b) => b.id), deadline, startTimeoutMs);
    state.status = 'running';
    writeClusterState(state);
    return summarize(state);
  } catch (error) {
    log('start-up failed; tearing down what was made');
    await clusterDown().catch((cleanup: unknown) => {
      // Keep the start-up error as the one the user sees; say what the clean-up could not do.
      if (error instanceof Error) error.message += `\n(clean-up also failed: ${(cleanup as Error).message}; run 'faultline cluster down')`;
    });
    throw error;
  } finally {
    process.removeListener('SIGINT', teardownOnSignal);
    process.removeListener('SIGTERM', teardownOnSignal);
  }
}

/** Refuses to start over networking it did not record, or over a subnet the host already uses elsewhere. */
async function assertNetworkFree(plan: AddressPlan): Promise<void> {
  const leftovers = [
    ...(await listFaultlineNamespaces()).map((n) => `namespace ${n}`),
    ...(await listFaultlineLinks()).map((l) => `link ${l}`),
    ...mountsUnder(clusterDir()).map((m) => `mount ${m}`),
  ];
  if (leftovers.length > 0) {
    throw new FaultlineError(`faultline networking from an earlier run is still there (${leftovers.join(', ')}) but no cluster is recorded; run 'faultline cluster down' to remove it`);
  }
  const addresses = await execCapture('ip', ['-o', '-4', 'addr', 'show']);
  const clash = addresses.stdout.split('\n').find((line) => line.includes(` ${plan.prefix}.`));
  if (clash) {
    const device = clash.split(/\s+/)[1] ?? '?';
    throw new FaultlineError(`the subnet ${plan.prefix}.0/24 is already used by interface ${device}; choose another with FAULTLINE_SUBNET=10.x.y.0/24`);
  }
}

async function waitForNodesStarted(nodes: readonly NodeState[], logOffsets: ReadonlyMap<string, number>, deadline: number, startTimeoutMs: number): Promise<void> {
  const pending = new Set(nodes.map((n) => n.name));
  const ok = await pollUntil(() => {
    for (const node of nodes) {
      if (!pending.has(node.name)) continue;
      if (!isProcessAlive(node.pid)) {
        throw new FaultlineError(`node ${node.name} (${node.role}, ${node.host}) exited during start-up; its log: ${node.logFile}\n${tailLog(node.logFile)}`);
      }
      if (logShowsStarted(node, logOffsets.get(node.name) ?? 0)) pending.delete(node.name);
    }
    return pending.size === 0 ? true : undefined;
  }, Math.max(0, deadline - Date.now()), 100);
  if (!ok) {
    const names = [...pending];
    const first = nodes.find((n) => n.name === names[0]);
    throw new FaultlineError(
      `start-up did not finish within ${startTimeoutMs} ms: ${names.join(', ')} never logged that it started; see ${first?.logFile ?? 'the node logs'}\n${first ? tailLog(first.logFile) : ''}`,
    );
  }
}

/** Waits until a metadata request lists every expected broker. */
async function waitForBrokers(state: ClusterState, expectedIds: readonly number[], deadline: number, timeoutMs: number): Promise<void> {
  let lastSeen: number[] = [];
  let lastError = '';
  const ok = await pollUntil(async () => {
    for (const node of state.nodes) {
      if (node.state === 'running' && !isProcessAlive(node.pid)) {
        throw new FaultlineError(`node ${node.name} exited during start-up; its log: ${node.logFile}\n${tailLog(node.logFile)}`);
      }
    }
    try {
      lastSeen = (await withAdmin(state.bootstrap, (admin) => admin.brokers(), 3000)).map((b) => b.id);
    } catch (error) {
      lastError = (error as Error).message;
      return undefined;
    }
    return expectedIds.every((id) => lastSeen.includes(id)) ? true : undefined;
  }, Math.max(0, deadline - Date.now()), 250);
  if (!ok) {
    throw new FaultlineError(
      `start-up did not finish within ${timeoutMs} ms: metadata lists brokers [${lastSeen.join(', ')}], expected [${expectedIds.join(', ')}]${lastError ? ` (${lastError})` : ''}; logs under ${state.dir}`,
    );
  }
}

export interface ClusterDownResult {
  readonly stopped: string[];
  readonly removed: string[];
}

/**
 * Stops every node (SIGTERM, then SIGKILL after a grace period), removes every namespace, veth and the
 * bridge faultline made, and the state file. Safe to run at any time, any number of times.
 */
export async function clusterDown(options: { graceTimeoutMs?: number } = {}): Promise<ClusterDownResult> {
  assertNetworkAdmin();
  const state = readClusterState();
  const stopped: string[] = [];
  if (state) {
    state.status = 'stopping';
    writeClusterState(state);
    // Brokers before controllers and ZooKeeper, so a controlled shutdown can reach the quorum.
    const order = [...state.nodes].sort((a, b) => rank(a) - rank(b));
    // The data is thrown away, so a graceful shutdown buys nothing; SIGKILL unless asked otherwise.
    const graceTimeoutMs = options.graceTimeoutMs ?? 0;
    await Promise.all(
      order.filter((n) => n.pid > 0 && isProcessAlive(n.pid, n.marker)).map(async (node) => {
        signalProcess(node.pid, 'SIGCONT');
        const how = await stopProcess(node.pid, graceTimeoutMs, node.marker);
        if (how !== 'absent') stopped.push(`${node.name} (${how})`);
      }),
    );
  }
  // Node JVMs no state file knows of (a crash between spawn and save) and degrade proxies, which live in
  // node namespaces: a namespace is only freed once its processes are gone.
  for (const pid of [...findProcessesByMarker(NODE_MARKER_PREFIX), ...findProcessesByMarker(PROXY_MARKER)]) {
    signalProcess(pid, 'SIGKILL');
    stopped.push(`orphan process ${pid}`);
  }
  const removed = [...(await unmountAllUnder(clusterDir())), ...(await removeAllFaultlineNetworking())];
  removeClusterState();
  clearRegistry();
  return { stopped, removed };
}

function rank(node: NodeState): number {
  if (node.role === 'broker') return 0;
  if (node.role === 'broker+controller') return 1;
  if (node.role === 'controller') return 2;
  return 3;
}

/** A fresh, empty cluster with the same shape as the running one (the seed's reset-cluster.sh). */
export async function clusterReset(options: Omit<ClusterUpOptions, 'brokers' | 'metadata' | 'kafkaVersion'> = {}): Promise<ClusterSummary> {
  const state = readClusterState();
  if (!state) throw new FaultlineError("no cluster to reset; start one with 'faultline cluster up'");
  const brokers = state.nodes.filter(isBroker).length;
  const userSettings: Record<string, string> = {};
  for (const [key, value] of Object.entries(state.settings)) {
    if (DEFAULT_BROKER_SETTINGS[key] !== value) userSettings[key] = value;
  }
  await clusterDown();
  return clusterUp({ ...options, brokers, metadata: state.mode, kafkaVersion: state.kafkaVersion, heapMb: state.heapMb, diskMb: state.diskMb, settings: { ...userSettings, ...(options.settings ?? {}) } });
}

export function clusterStatus(): ClusterSummary | undefined {
  const state = readClusterState();
  return state ? summarize(state) : undefined;
}

import { mkdirSync, readlinkSync, rmSync } from 'node:fs';
import { FaultlineError } from '../errors.js';
import { readSshHosts, removeSshHosts, writeSshHosts } from './ssh/ssh-config.js';
import { sshHostsForUp } from './ssh/hosts-for-up.js';
import { sshClusterUp } from './ssh/ssh-cluster-up.js';
import { sshClusterDown } from './ssh/ssh-cluster-down.js';
import { addressPlan, type AddressPlan } from '../net/address-plan.js';
import { execCapture } from '../util/exec.js';
import { interruptedError, throwIfInterrupted } from '../util/interrupt.js';
import { mountsUnder, unmountAllUnder } from './data-mount.js';
import { sweepJobStateMounts } from '../job/state-mount.js';
import { assertNetworkAdmin, listFaultlineLinks, listFaultlineNamespaces, removeAllFaultlineNetworking } from '../net/namespace.js';
import { findProcessesByMarker, isProcessAlive, stopProcess, signalProcess } from '../util/process.js';
import { resolveKafkaDistribution, type KafkaDistribution } from './kafka-distribution.js';
import { DEFAULT_BROKER_SETTINGS } from './cluster-settings.js';
import { planTopology, isBroker, type NodePlan } from './topology.js';
import { randomKafkaUuid } from './kraft-storage.js';
import { clusterDir, readClusterState, removeClusterState, writeClusterState, type ClusterState, type NodeState } from './cluster-state.js';
import { NODE_MARKER_PREFIX } from './node-process.js';
import { findJobProcesses } from '../util/job-marker.js';
import { PROXY_MARKER } from '../net/tcp-proxy-process.js';
import { resolveUpOptions, type ClusterUpOptions, type ResolvedUpOptions } from './cluster-options.js';
import { clusterIsAlive, summarize, type ClusterSummary } from './cluster-summary.js';
import { newClusterState } from './new-cluster-state.js';
import { setUpNodes } from './node-setup.js';
import { startNodeGroups, waitForBrokers, type StartBudget } from './node-start.js';

export type { ClusterSummary } from './cluster-summary.js';

const START_UP = 'cluster start-up';

/**
 * Brings a cluster up: namespaces, configs, JVMs; returns once every node logged its start and a
 * metadata request sees every broker. On any failure, and when `options.signal` fires, everything it
 * made is torn down before it throws.
 */
export async function clusterUp(options: ClusterUpOptions = {}): Promise<ClusterSummary> {
  const hosts = sshHostsForUp(options, readSshHosts);
  if (hosts) {
    resolveUpOptions(options);
    await clearDeadCluster(options.log ?? (() => undefined));
    writeSshHosts(hosts);
    return sshClusterUp(options, hosts, () => clusterDown());
  }
  const summary = await localClusterUp(options);
  // An explicit local cluster ends the use of the recorded hosts: later clusters (a suite's, a reset) stay here.
  if (options.provider === 'local') removeSshHosts();
  return summary;
}

async function localClusterUp(options: ClusterUpOptions): Promise<ClusterSummary> {
  const resolved = resolveUpOptions(options);
  const { signal } = options;
  const log = options.log ?? (() => undefined);
  throwIfInterrupted(signal, START_UP);
  assertNetworkAdmin();
  const plan = addressPlan();
  const nodes = planTopology(plan, resolved.mode, resolved.brokers);
  await clearDeadCluster(log);
  await assertNetworkFree(plan);
  const dist = await fetchDistribution(resolved, signal, log);
  const state = await prepareClusterState(resolved, plan, nodes, dist);
  try {
    await setUpNodes(state, plan, dist, signal);
    const budget: StartBudget = { deadline: Date.now() + resolved.startTimeoutMs, timeoutMs: resolved.startTimeoutMs, signal };
    await startNodeGroups(state, budget, log);
    log('waiting for every broker to register');
    await waitForBrokers(state, budget);
    throwIfInterrupted(signal, START_UP);
    state.status = 'running';
    writeClusterState(state);
    return summarize(state);
  } catch (error) {
    throw await tearDownAfterFailure(error, signal, log);
  }
}

/** Refuses to start over a live cluster; cleans up the leftovers of one whose processes are gone. */
async function clearDeadCluster(log: (line: string) => void): Promise<void> {
  const existing = readClusterState();
  if (!existing) return;
  if (clusterIsAlive(existing)) {
    throw new FaultlineError(`a cluster is already running (started ${existing.createdAt}, bootstrap ${existing.bootstrap}); run 'faultline cluster down' first`);
  }
  log('found leftovers of a cluster whose processes are gone; cleaning them up');
  await clusterDown();
}

/** The jars, fetched once per version (the version was checked with the options); an interruption while Maven runs is reported as one. */
async function fetchDistribution(options: ResolvedUpOptions, signal: AbortSignal | undefined, log: (line: string) => void): Promise<KafkaDistribution> {
  let dist: KafkaDistribution;
  try {
    dist = await resolveKafkaDistribution(options.kafkaVersion, log);
  } catch (error) {
    throwIfInterrupted(signal, START_UP);
    throw error;
  }
  throwIfInterrupted(signal, START_UP);
  return dist;
}

/** Empties the cluster folder and writes the state file before anything is made, so a crash mid-way can still be cleaned up by 'cluster down'. */
async function prepareClusterState(options: ResolvedUpOptions, plan: AddressPlan, nodes: readonly NodePlan[], dist: KafkaDistribution): Promise<ClusterState> {
  const dir = clusterDir();
  await unmountAllUnder(dir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const state = newClusterState({ options, plan, nodes, libDir: dist.libDir, dir, clusterId: randomKafkaUuid(), ownerPid: process.pid, createdAt: new Date().toISOString() });
  writeClusterState(state);
  return state;
}

/** Tears down what start-up made; returns the error to throw (the interruption when the signal fired, else the start-up error). */
async function tearDownAfterFailure(error: unknown, signal: AbortSignal | undefined, log: (line: string) => void): Promise<unknown> {
  const interrupted = signal?.aborted === true;
  log(interrupted ? 'interrupted; tearing down what was made' : 'start-up failed; tearing down what was made');
  const reported = interrupted ? interruptedError(START_UP, 'what it had made is torn down') : error;
  await clusterDown().catch((cleanup: unknown) => {
    // Keep the start-up error as the one the user sees; say what the clean-up could not do.
    if (reported instanceof Error) reported.message += `\n(clean-up also failed: ${(cleanup as Error).message}; run 'faultline cluster down')`;
  });
  return reported;
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

export interface ClusterDownResult {
  readonly stopped: string[];
  readonly removed: string[];
}

/**
 * Stops every node (SIGTERM, then SIGKILL after a grace period), removes every namespace, veth and the
 * bridge faultline made, and the state file. Safe to run at any time, any number of times.
 * Faults recorded for this cluster lose their meaning with it: the heal registry ignores faults of a
 * cluster that is no longer the recorded one.
 */
export async function clusterDown(options: { graceTimeoutMs?: number; yes?: boolean } = {}): Promise<ClusterDownResult> {
  const state = readStateIfReadable();
  if (state?.provider === 'ssh') {
    const result = await sshClusterDown(state, options.yes === true);
    removeClusterState();
    return result;
  }
  assertNetworkAdmin();
  // The data is thrown away, so a graceful shutdown buys nothing; SIGKILL unless asked otherwise.
  const stopped = state ? await stopRecordedNodes(state, options.graceTimeoutMs ?? 0) : [];
  stopped.push(...killOrphans());
  const removed = [...(await unmountAllUnder(clusterDir())), ...(await sweepJobStateMounts()), ...(await removeAllFaultlineNetworking())];
  removeClusterState();
  return { stopped, removed };
}

/** The recorded cluster; undefined when the state file is damaged (the orphan sweep still finds every node by its marker). */
function readStateIfReadable(): ClusterState | undefined {
  try {
    return readClusterState();
  } catch {
    return undefined;
  }
}

async function stopRecordedNodes(state: ClusterState, graceTimeoutMs: number): Promise<string[]> {
  state.status = 'stopping';
  writeClusterState(state);
  const stopped: string[] = [];
  // Brokers before controllers and ZooKeeper, so a controlled shutdown can reach the quorum.
  const order = [...state.nodes].sort((a, b) => rank(a) - rank(b));
  await Promise.all(
    order.filter((n) => n.pid > 0 && isProcessAlive(n.pid, n.marker)).map(async (node) => {
      signalProcess(node.pid, 'SIGCONT');
      const how = await stopProcess(node.pid, graceTimeoutMs, node.marker);
      if (how !== 'absent') stopped.push(`${node.name} (${how})`);
    }),
  );
  return stopped;
}

/**
 * Node JVMs no state file knows of (a crash between spawn and save), degrade proxies and pipeline jobs (and
 * whatever a job started), which live in faultline namespaces: a namespace is only freed once its processes are gone.
 */
function killOrphans(): string[] {
  const killed: string[] = [];
  const own = pidNamespaceOf('self');
  const candidates = [...findProcessesByMarker(NODE_MARKER_PREFIX), ...findProcessesByMarker(PROXY_MARKER), ...findJobProcesses()];
  // Processes in another PID namespace (a lab host's, see src/lab) belong to a remote provider's hosts, not to this machine's cluster.
  for (const pid of candidates.filter((p) => pidNamespaceOf(String(p)) === own)) {
    signalProcess(pid, 'SIGKILL');
    killed.push(`orphan process ${pid}`);
  }
  return killed;
}

function pidNamespaceOf(pid: string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

function rank(node: NodeState): number {
  if (node.role === 'broker') return 0;
  if (node.role === 'broker+controller') return 1;
  if (node.role === 'controller') return 2;
  return 3;
}

/** A fresh, empty cluster with the same shape as the running one (the seed's reset-cluster.sh); `options.owner` says who owns the new one (default 'user'). */
export async function clusterReset(options: Omit<ClusterUpOptions, 'brokers' | 'metadata' | 'kafkaVersion'> = {}): Promise<ClusterSummary> {
  const state = readClusterState();
  if (!state) throw new FaultlineError("no cluster to reset; start one with 'faultline cluster up'");
  const brokers = state.nodes.filter(isBroker).length;
  const userSettings: Record<string, string> = {};
  for (const [key, value] of Object.entries(state.settings)) {
    if (DEFAULT_BROKER_SETTINGS[key] !== value) userSettings[key] = value;
  }
  await clusterDown();
  const again = { ...options, brokers, metadata: state.mode, kafkaVersion: state.kafkaVersion, heapMb: state.heapMb, diskMb: state.diskMb, settings: { ...userSettings, ...(options.settings ?? {}) } };
  // Where the cluster was: a local one stays local even with hosts recorded, an SSH one goes to the recorded hosts.
  return state.provider === 'ssh' ? clusterUp({ ...again, provider: 'ssh' }) : localClusterUp(again);
}

export function clusterStatus(): ClusterSummary | undefined {
  const state = readClusterState();
  return state ? summarize(state) : undefined;
}

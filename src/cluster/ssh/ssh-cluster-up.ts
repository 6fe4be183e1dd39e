import { FaultlineError, UsageError } from '../../errors.js';
import { throwIfInterrupted } from '../../util/interrupt.js';
import type { RemoteRunner } from '../../ssh/shell-host.js';
import { readClusterState, writeClusterState, type ClusterState, type NodeState } from '../cluster-state.js';
import { resolveUpOptions, type ClusterUpOptions, type ResolvedUpOptions } from '../cluster-options.js';
import { summarize, type ClusterSummary } from '../cluster-summary.js';
import { resolveKafkaDistribution } from '../kafka-distribution.js';
import { randomKafkaUuid } from '../kraft-storage.js';
import { newClusterState } from '../new-cluster-state.js';
import { waitForBrokers, type StartBudget } from '../node-start.js';
import { planTopology, type NodePlan } from '../topology.js';
import { commandStartMs, withSlowStartWarnings } from './command-start.js';
import { ipv4Of, probeHost, type HostFacts } from './host-probe.js';
import { installKafka, installNodeFiles, remoteLibDir } from './install.js';
import { openHost } from './remote-hosts.js';
import type { SshHostsConfig } from './ssh-config.js';
import { startSshNode } from './ssh-node-control.js';

const START_UP = 'cluster start-up';

/** The nodes of the shape, one per host in order: ZooKeeper or the dedicated controllers first, then the brokers. */
async function planOnHosts(options: ResolvedUpOptions, config: SshHostsConfig): Promise<{ nodes: NodePlan[]; byAddress: Record<string, string> }> {
  const planned = planTopology({ prefix: '0.0.0', bridge: '', hostAddress: '' }, options.mode, options.brokers);
  if (planned.length > config.hosts.length) {
    const what = options.mode === 'zookeeper' ? ' (one for ZooKeeper)' : options.mode === 'kraft-dedicated' ? ' (three for the controllers)' : '';
    throw new UsageError(`hosts: a ${options.mode} cluster of ${options.brokers} brokers needs ${planned.length} hosts${what}, got ${config.hosts.length}`);
  }
  const byAddress: Record<string, string> = {};
  const nodes = await Promise.all(planned.map(async (node, i) => {
    const name = config.hosts[i] ?? '';
    const address = await ipv4Of(name, i);
    byAddress[address] = name;
    return { ...node, host: address };
  }));
  if (Object.keys(byAddress).length < nodes.length) throw new UsageError('hosts: two hosts resolve to the same address');
  return { nodes, byAddress };
}

/** Connects to every host used and learns what it has; nothing is changed on any host until all of them pass. */
async function probeAll(config: SshHostsConfig, names: readonly string[]): Promise<Map<string, { host: RemoteRunner; facts: HostFacts; startMs: number }>> {
  const probed = await Promise.all(names.map(async (name) => {
    const host = await openHost(config, name);
    const [facts, startMs] = await Promise.all([probeHost(host, config.remoteDir), commandStartMs(host.ssh)]);
    if (facts.faultlineNodes.length > 0) {
      throw new FaultlineError(`host ${name}: faultline nodes of another cluster still run there (pids ${facts.faultlineNodes.join(', ')}); run 'faultline cluster down' first`);
    }
    return [name, { host, facts, startMs }] as const;
  }));
  return new Map(probed);
}

function sshState(options: ResolvedUpOptions, config: SshHostsConfig, nodes: readonly NodePlan[], byAddress: Record<string, string>, facts: ReadonlyMap<string, { facts: HostFacts }>): ClusterState {
  const dir = `${config.remoteDir}/cluster`;
  const base = newClusterState({
    options, plan: { prefix: '', bridge: '', hostAddress: '' }, nodes, libDir: remoteLibDir(config.remoteDir, options.kafkaVersion), dir,
    clusterId: randomKafkaUuid(), ownerPid: process.pid, createdAt: new Date().toISOString(),
  });
  const javaByHost = Object.fromEntries([...facts].map(([name, f]) => [name, f.facts.java]));
  const clientAddress = [...facts.values()][0]?.facts.clientAddress ?? '';
  return {
    ...base, provider: 'ssh', addressPrefix: '', bridge: '',
    ssh: { ...config, sshHostByAddress: byAddress, javaByHost, clientAddress },
    nodes: base.nodes.map((n): NodeState => ({ ...n, namespace: '', hostVeth: '' })),
  };
}

/**
 * `cluster up` on SSH hosts: checks every host, copies the cached Kafka jars to each (no internet needed there),
 * writes each node's configuration, starts ZooKeeper first (in that mode), then the Kafka nodes, and waits until
 * a metadata request lists every broker. On a failure it stops what it started.
 */
export async function sshClusterUp(options: ClusterUpOptions, config: SshHostsConfig, tearDown: () => Promise<unknown>): Promise<ClusterSummary> {
  const resolved = resolveUpOptions(options);
  const log = options.log ?? (() => undefined);
  const { nodes, byAddress } = await planOnHosts(resolved, config);
  const used = nodes.map((n) => byAddress[n.host] ?? '');
  const hosts = await probeAll(config, used);
  const dist = await resolveKafkaDistribution(resolved.kafkaVersion, log);
  throwIfInterrupted(options.signal, START_UP);
  const state = sshState(resolved, config, nodes, byAddress, hosts);
  writeClusterState(state);
  try {
    await Promise.all([...hosts].map(async ([name, { host }]) => {
      if (await installKafka(host, dist, config.remoteDir)) log(`copied Kafka ${dist.version} to ${name}`);
    }));
    await Promise.all(state.nodes.map((node) => installNodeFiles(hosts.get(byAddress[node.host] ?? '')?.host as RemoteRunner, state, dist, node)));
    throwIfInterrupted(options.signal, START_UP);
    const budget: StartBudget = { deadline: Date.now() + resolved.startTimeoutMs, timeoutMs: resolved.startTimeoutMs, signal: options.signal };
    for (const group of [state.nodes.filter((n) => n.role === 'zookeeper'), state.nodes.filter((n) => n.role !== 'zookeeper')]) {
      await Promise.all(group.map(async (node) => {
        const started = await startSshNode(node.name, Math.max(1000, budget.deadline - Date.now()));
        log(`started ${node.name} (${node.role}) on ${byAddress[node.host] ?? node.host}, pid ${started.pid}`);
      }));
    }
    log('waiting for every broker to register');
    const latest = { ...state, nodes: state.nodes.map((n) => ({ ...n, state: 'running' as const })) };
    await waitForBrokers(latest, budget, () => undefined);
    const final = readClusterState() ?? latest;
    final.status = 'running';
    writeClusterState(final);
    return withSlowStartWarnings(summarize(final), [...hosts].map(([name, h]) => ({ name, startMs: h.startMs })));
  } catch (error) {
    log('start-up failed; stopping what was started');
    await tearDown().catch(() => undefined);
    throw error;
  }
}

import { rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { FaultlineError, UsageError } from '../errors.js';
import { requireClusterState, readClusterState, type ClusterState, type NodeState } from '../cluster/cluster-state.js';
import { pauseNode, resumeNode, startNode, stopNode } from '../cluster/node-control.js';
import { nodeIsAlive } from '../cluster/node-process.js';
import { addressPlan } from '../net/address-plan.js';
import { buildLossRule, buildRedirectRule, insertArgs } from '../net/iptables-loss.js';
import { PROXY_MARKER, spawnDetachedTcpProxy } from '../net/tcp-proxy-process.js';
import { execOrThrow } from '../util/exec.js';
import { findProcessesByMarker, isProcessAlive, processState, signalProcess } from '../util/process.js';
import { sleep } from '../util/time.js';
import { activeRunSink, type FaultEventSink } from '../history/active-run.js';
import { isProcessFault, type DegradeFaultRequest, type FaultRequest, type PartitionFaultRequest, type ProcessFaultRequest } from './fault-request.js';
import { getFault, listFaults, registerFault, updateFault, type FaultRecord, type UndoAction } from './heal-registry.js';
import { applyRules, sweepRules } from './iptables.js';
import { cutRules, planPartition, type RuleLine } from './partition-plan.js';
import { planProxiedLinks } from './degrade-plan.js';
import { parseTarget, resolveTarget, type Target } from './target.js';

export interface NemesisOptions {
  /** Where fault-start/heal events go; default: the active run's events file, if a run is active. */
  readonly events?: FaultEventSink;
  /** Seed for `random` targets and follower choice. */
  readonly seed?: number;
}

export interface FaultResult {
  readonly id: string;
  readonly kind: string;
  readonly target: string;
  readonly nodes: string[];
  /** When the fault was in effect (observed), ISO time. */
  readonly effectiveAt: string;
  /** From the command to the fault being in effect, including target resolution. */
  readonly tookMs: number;
  readonly detail: Record<string, unknown>;
}

const FILL_FILE = '.faultline-fill';

function refsOf(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

async function resolveMany(state: ClusterState, refs: readonly string[], seed: number | undefined): Promise<NodeState[]> {
  const nodes: NodeState[] = [];
  for (const ref of refs) {
    for (const node of await resolveTarget(state, parseTarget(ref), seed === undefined ? {} : { seed })) {
      if (!nodes.some((n) => n.name === node.name)) nodes.push(node);
    }
  }
  return nodes;
}

/** Injects one fault: resolves its target now, registers its undo on disk, acts, and returns once it is in effect. */
export async function injectFault(request: FaultRequest, options: NemesisOptions = {}): Promise<FaultResult> {
  const started = performance.now();
  const state = requireClusterState();
  const events = options.events ?? activeRunSink;
  let result: FaultResult;
  try {
    if (isProcessFault(request)) result = await processFault(state, request, options, started);
    else if (request.kind === 'partition') result = await partitionFault(state, request, options, started);
    else if (request.kind === 'degrade') result = await degradeFault(state, request, options, started);
    else result = await fillDiskFault(state, request.target, options, started);
  } catch (error) {
    // A fault that failed half-way (a proxy spawned, a file written) is undone now, not left for heal --all.
    for (const record of listFaults().filter((f) => f.status === 'starting' && f.ownerPid === process.pid)) {
      await healFault(record.id, { events: () => {} }).catch(() => undefined);
    }
    events({ event: 'fault-error', fault: request.kind, target: 'target' in request ? request.target ?? '' : '', detail: { message: (error as Error).message } });
    throw error;
  }
  events({ event: 'fault-start', faultId: result.id, fault: result.kind, target: result.target, node: result.nodes, detail: { tookMs: Math.round(result.tookMs * 10) / 10, ...result.detail } });
  return result;
}

function finish(record: FaultRecord, started: number, detail: Record<string, unknown> = {}): FaultResult {
  const tookMs = performance.now() - started;
  const effectiveAt = new Date().toISOString();
  updateFault(record.id, (r) => {
    r.status = 'active';
    r.effectiveAt = effectiveAt;
    r.tookMs = tookMs;
  });
  return { id: record.id, kind: record.kind, target: record.target, nodes: record.nodes, effectiveAt, tookMs, detail };
}

async function processFault(state: ClusterState, request: ProcessFaultRequest, options: NemesisOptions, started: number): Promise<FaultResult> {
  const target: Target = parseTarget(request.target);
  const nodes = await resolveTarget(state, target, options.seed === undefined ? {} : { seed: options.seed });
  const names = nodes.map((n) => n.name);
  const undo: UndoAction[] =
    request.kind === 'pause' ? names.map((node) => ({ type: 'resume-node', node }))
    : request.kind === 'kill' || request.kind === 'terminate' || request.kind === 'restart' ? names.map((node) => ({ type: 'start-node', node }))
    : [];
  const record = registerFault({ kind: request.kind, target: request.target, nodes: names, options: { ...request }, undo });
  const detail: Record<string, unknown> = {};
  const graceMs = request.graceMs ?? 30_000;
  await Promise.all(
    names.map(async (name) => {
      switch (request.kind) {
        case 'kill':
          detail[name] = await stopNode(name, 'kill');
          break;
        case 'terminate':
          detail[name] = await stopNode(name, 'terminate', graceMs);
          break;
        case 'restart': {
          const stopped = await stopNode(name, request.restartMode === 'kill' ? 'kill' : 'terminate', graceMs);
          if (request.downMs) await sleep(request.downMs);
          const restarted = await startNode(name);
          detail[name] = { stopped, started: restarted };
          break;
        }
        case 'pause':
          detail[name] = await pauseNode(name);
          break;
        case 'resume':
          detail[name] = await resumeNode(name);
          break;
        case 'start':
          detail[name] = await startNode(name);
          break;
      }
    }),
  );
  const result = finish(record, started, detail);
  // A restart, resume or start leaves nothing to heal: it is over once in effect.
  if (request.kind === 'restart' || request.kind === 'resume' || request.kind === 'start') markHealed(record.id);
  return result;
}

async function partitionFault(state: ClusterState, request: PartitionFaultRequest, options: NemesisOptions, started: number): Promise<FaultResult> {
  const seed = options.seed;
  const plan = addressPlan();
  let cuts;
  let targetText: string;
  if (request.groups && request.groups.length > 0) {
    if (request.target) throw new UsageError('partition: give either a target or --groups, not both');
    if (request.groups.length < 2) throw new UsageError('partition --groups: give at least two groups (e.g. --groups 1,2 3)');
    const groups: NodeState[][] = [];
    for (const group of request.groups) groups.push(await resolveMany(state, group, seed));
    cuts = planPartition({ state, hostAddress: plan.hostAddress, groups, oneWay: request.oneWay ?? false, clients: request.clients ?? false });
    targetText = request.groups.map((g) => g.join(',')).join(' | ');
  } else {
    if (!request.target) throw new UsageError('partition: name a target (partition leader:t --from all) or --groups');
    const isolated = await resolveMany(state, [request.target], seed);
    const fromText = request.from ?? 'all';
    const from = fromText === 'all' || fromText === 'controllers' || fromText === 'zookeeper' ? fromText : await resolveMany(state, refsOf(fromText), seed);
    cuts = planPartition({ state, hostAddress: plan.hostAddress, isolated, from, oneWay: request.oneWay ?? false, clients: request.clients ?? false });
    targetText = request.target;
  }
  if (cuts.length === 0) throw new UsageError('partition: nothing to cut (the target has no peers in --from)');
  const namespaces = [...new Set(cuts.map((c) => c.node.namespace))];
  const record = registerFault((id) => ({
    kind: 'partition',
    target: targetText,
    nodes: [...new Set(cuts.map((c) => c.node.name))],
    options: { ...request },
    undo: [{ type: 'iptables-sweep', namespaces, faultId: id }],
  }));
  const byNamespace = new Map<string, RuleLine[]>();
  for (const cut of cuts) byNamespace.set(cut.node.namespace, [...(byNamespace.get(cut.node.namespace) ?? []), ...cutRules(cut, record.id)]);
  await Promise.all([...byNamespace.entries()].map(([ns, rules]) => applyRules(ns, rules)));
  return finish(record, started, { cuts: cuts.map((c) => `${c.node.name}${c.oneWay ? ' <-' : ' <->'} ${c.peerName}${c.port ? `:${c.port}` : ''}`) });
}

async function degradeFault(state: ClusterState, request: DegradeFaultRequest, options: NemesisOptions, started: number): Promise<FaultResult> {
  const hasProxyEffect = (request.latencyMs ?? 0) > 0 || (request.jitterMs ?? 0) > 0 || request.bandwidthBytesPerSec !== undefined || request.flaky !== undefined;
  if (!hasProxyEffect && request.lossPercent === undefined) {
    throw new UsageError('degrade: give at least one of --latency-ms, --jitter-ms, --bandwidth, --loss-percent, --flaky');
  }
  if (request.lossPercent !== undefined && (!(request.lossPercent > 0) || request.lossPercent > 100)) {
    throw new UsageError(`degrade --loss-percent: expected a number in (0, 100], got ${request.lossPercent}`);
  }
  const plan = addressPlan();
  const targets = await resolveMany(state, [request.target], options.seed);
  const peersText = request.peers ?? 'clients';
  const peerNodes = peersText === 'clients' ? [] : peersText === 'all' ? state.nodes : await resolveMany(state, refsOf(peersText), options.seed);
  const withClients = peersText === 'clients';
  const namespaces = [...new Set([...targets, ...peerNodes].map((n) => n.namespace))];
  const record = registerFault((id) => ({ kind: 'degrade', target: request.target, nodes: targets.map((n) => n.name), options: { ...request }, undo: [{ type: 'iptables-sweep', namespaces, faultId: id }] }));
  const detail: Record<string, unknown> = { peers: withClients ? ['clients'] : peerNodes.map((p) => p.name) };
  const rules = new Map<string, RuleLine[]>();
  const add = (ns: string, rule: RuleLine) => rules.set(ns, [...(rules.get(ns) ?? []), rule]);
  const proxies: { node: string; port: number; proxyPort: number; pid: number }[] = [];
  for (const target of targets) {
    const peers = peerNodes.filter((p) => p.name !== target.name);
    if (request.lossPercent !== undefined) {
      const probability = request.lossPercent / 100;
      const addresses = [...peers.map((p) => p.host), ...(withClients ? [plan.hostAddress] : [])];
      for (const address of addresses) {
        for (const rule of [
          buildLossRule({ faultId: record.id, probability, chain: 'INPUT', sourceIp: address }),
          buildLossRule({ faultId: record.id, probability, chain: 'OUTPUT', destinationIp: address }),
        ]) add(target.namespace, { table: rule.table, args: insertArgs(rule) });
      }
    }
    if (hasProxyEffect) {
      for (const link of planProxiedLinks(target, peers, withClients ? plan.hostAddress : undefined)) {
        const proxy = await spawnDetachedTcpProxy(
          {
            listenHost: '0.0.0.0',
            listenPort: 0,
            targetHost: link.to.host,
            targetPort: link.port,
            ...(request.latencyMs !== undefined ? { latencyMs: request.latencyMs } : {}),
            ...(request.jitterMs !== undefined ? { jitterMs: request.jitterMs } : {}),
            ...(request.bandwidthBytesPerSec !== undefined ? { bandwidthBytesPerSec: request.bandwidthBytesPerSec } : {}),
            ...(request.flaky !== undefined ? { flaky: request.flaky } : {}),
            seed: options.seed ?? 1,
          },
          { commandPrefix: ['ip', 'netns', 'exec', link.to.namespace] },
        );
        updateFault(record.id, (r) => r.undo.push({ type: 'kill-process', pid: proxy.pid, marker: PROXY_MARKER }));
        proxies.push({ node: link.to.name, port: link.port, proxyPort: proxy.port, pid: proxy.pid });
        for (const from of link.fromAddresses) {
          const redirect = buildRedirectRule({ faultId: record.id, chain: 'PREROUTING', sourceIp: from, destinationIp: link.to.host, destinationPort: link.port, proxyPort: proxy.port });
          add(link.to.namespace, { table: redirect.table, args: insertArgs(redirect) });
          // Connections open before the redirect would stay direct: reset them so clients reconnect through the proxy.
          add(link.to.namespace, {
            table: 'filter',
            args: ['-I', 'INPUT', '-s', from, '-d', link.to.host, '-p', 'tcp', '--dport', String(link.port), '-m', 'conntrack', '--ctstate', 'ESTABLISHED', '-m', 'comment', '--comment', `faultline:${record.id}`, '-j', 'REJECT', '--reject-with', 'tcp-reset'],
          });
        }
      }
    }
  }
  await Promise.all([...rules.entries()].map(([ns, lines]) => applyRules(ns, lines)));
  detail['proxies'] = proxies;
  return finish(record, started, detail);
}

async function fillDiskFault(state: ClusterState, targetText: string, options: NemesisOptions, started: number): Promise<FaultResult> {
  const nodes = await resolveMany(state, [targetText], options.seed);
  const paths = nodes.map((n) => join(n.dataDir, FILL_FILE));
  // Kafka shuts a broker down once its only log dir fails: healing frees the space and starts it again.
  const undo: UndoAction[] = [...paths.map((path): UndoAction => ({ type: 'remove-file', path })), ...nodes.map((n): UndoAction => ({ type: 'start-node', node: n.name }))];
  const record = registerFault({ kind: 'fill-disk', target: targetText, nodes: nodes.map((n) => n.name), options: { target: targetText }, undo });
  const detail: Record<string, unknown> = {};
  for (const [index, node] of nodes.entries()) {
    const path = paths[index] as string;
    const stats = statfsSync(node.dataDir);
    const freeBytes = Number(stats.bavail) * Number(stats.bsize);
    if (freeBytes > 0) await execOrThrow('fallocate', ['-l', String(freeBytes), path]);
    const after = statfsSync(node.dataDir);
    detail[node.name] = { filledBytes: freeBytes, freeBytesAfter: Number(after.bavail) * Number(after.bsize) };
  }
  return finish(record, started, detail);
}

function markHealed(id: string): void {
  updateFault(id, (r) => {
    r.status = 'healed';
    r.healedAt = new Date().toISOString();
  });
}

async function runUndo(action: UndoAction): Promise<string | undefined> {
  switch (action.type) {
    case 'iptables-sweep': {
      const removed = await sweepRules(action.namespaces, action.faultId || undefined);
      return removed > 0 ? `removed ${removed} iptables rules` : undefined;
    }
    case 'resume-node': {
      const state = readClusterState();
      const node = state?.nodes.find((n) => n.name === action.node);
      if (!node || !nodeIsAlive(node)) return undefined;
      if (processState(node.pid) !== 'T' && node.state !== 'paused') return undefined;
      await resumeNode(action.node);
      return `resumed ${action.node}`;
    }
    case 'start-node': {
      const state = readClusterState();
      const node = state?.nodes.find((n) => n.name === action.node);
      if (!node || nodeIsAlive(node)) return undefined;
      await startNode(action.node);
      return `started ${action.node}`;
    }
    case 'kill-process':
      if (!isProcessAlive(action.pid, action.marker)) return undefined;
      signalProcess(action.pid, 'SIGTERM');
      for (let i = 0; i < 100 && isProcessAlive(action.pid, action.marker); i++) await sleep(10);
      if (isProcessAlive(action.pid, action.marker)) {
        signalProcess(action.pid, 'SIGKILL');
        for (let i = 0; i < 100 && isProcessAlive(action.pid, action.marker); i++) await sleep(10);
        if (isProcessAlive(action.pid, action.marker)) throw new FaultlineError(`proxy ${action.pid} survived SIGKILL`);
      }
      return `stopped proxy ${action.pid}`;
    case 'remove-file':
      try {
        rmSync(action.path);
        return `removed ${action.path}`;
      } catch {
        return undefined;
      }
  }
}

export interface HealResult {
  readonly healed: string[];
  readonly actions: string[];
  readonly tookMs: number;
}

/** Undoes one fault; idempotent (healing a healed fault does nothing). */
export async function healFault(id: string, options: NemesisOptions = {}): Promise<HealResult> {
  const started = performance.now();
  const record = getFault(id);
  if (!record) throw new UsageError(`no fault ${id}; 'faultline fault list' shows the active ones`);
  const actions: string[] = [];
  if (record.status !== 'healed') {
    // Network and signal undos first: a node restarted behind a partition would start cut off.
    const ordered = [...record.undo].sort((a, b) => (a.type === 'start-node' ? 1 : 0) - (b.type === 'start-node' ? 1 : 0));
    const failures: string[] = [];
    for (const action of ordered) {
      try {
        const done = await runUndo(action);
        if (done) actions.push(done);
      } catch (error) {
        failures.push(`${action.type}: ${(error as Error).message}`);
      }
    }
    if (failures.length > 0) {
      (options.events ?? activeRunSink)({ event: 'fault-error', faultId: id, fault: record.kind, target: record.target, node: record.nodes, detail: { heal: failures } });
      throw new FaultlineError(`heal ${id} was incomplete (${failures.join('; ')}); run 'faultline heal --all' to retry`);
    }
    markHealed(id);
    (options.events ?? activeRunSink)({ event: 'fault-heal', faultId: id, fault: record.kind, target: record.target, node: record.nodes, detail: { actions } });
  }
  return { healed: record.status !== 'healed' ? [id] : [], actions, tookMs: performance.now() - started };
}

/**
 * Heals every registered fault, then sweeps for anything a crashed faultline may have left unregistered:
 * faultline-tagged iptables rules in every faultline namespace, degrade proxies, fill files, stopped or
 * paused nodes. Afterwards the cluster is whole again.
 */
export async function healAll(options: NemesisOptions = {}): Promise<HealResult> {
  const started = performance.now();
  const events = options.events ?? activeRunSink;
  const active = listFaults();
  const actions: string[] = [];
  const failures: string[] = [];
  const attempt = async (what: string, action: () => Promise<string | undefined>) => {
    try {
      const done = await action();
      if (done) actions.push(done);
    } catch (error) {
      failures.push(`${what}: ${(error as Error).message}`);
    }
  };
  // Every network, signal and file undo first, then the sweep of what a crashed faultline did not register,
  // and node starts last: a node started behind a leftover cut would hang.
  const undos = active.flatMap((record) => record.undo);
  for (const action of undos.filter((a) => a.type !== 'start-node')) await attempt(action.type, () => runUndo(action));
  await attempt('iptables sweep', async () => {
    const swept = await sweepRules('all');
    return swept > 0 ? `swept ${swept} leftover iptables rules` : undefined;
  });
  for (const pid of findProcessesByMarker(PROXY_MARKER)) await attempt(`proxy ${pid}`, () => runUndo({ type: 'kill-process', pid, marker: PROXY_MARKER }));
  const state = readClusterState();
  for (const node of state?.nodes ?? []) {
    await attempt(`fill file of ${node.name}`, () => runUndo({ type: 'remove-file', path: join(node.dataDir, FILL_FILE) }));
    if (nodeIsAlive(node) && processState(node.pid) === 'T') await attempt(`resume ${node.name}`, async () => (await resumeNode(node.name), `resumed ${node.name}`));
  }
  for (const action of undos.filter((a) => a.type === 'start-node')) await attempt(`start ${action.node}`, () => runUndo(action));
  for (const node of readClusterState()?.nodes ?? []) {
    if (!nodeIsAlive(node)) await attempt(`start ${node.name}`, async () => (await startNode(node.name), `started ${node.name}`));
  }
  for (const record of active) {
    markHealed(record.id);
    events({ event: 'fault-heal', faultId: record.id, fault: record.kind, target: record.target, node: record.nodes, detail: { all: true } });
  }
  if (failures.length > 0) throw new FaultlineError(`heal --all could not undo everything: ${failures.join('; ')}`);
  return { healed: active.map((r) => r.id), actions, tookMs: performance.now() - started };
}

export { listFaults } from './heal-registry.js';

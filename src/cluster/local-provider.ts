import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FaultlineError } from '../errors.js';
import { addressPlan, namespaceName } from '../net/address-plan.js';
import { PROXY_MARKER, spawnDetachedTcpProxy, stopDetachedProxy } from '../net/tcp-proxy-process.js';
import { applyRulesByNamespace, sweepRules, type RuleLine } from '../net/iptables.js';
import { execCapture } from '../util/exec.js';
import { processState } from '../util/process.js';
import { readClusterState, requireClusterState, type NodeState } from './cluster-state.js';
import { fillDataDir, freeDataDir } from './disk-fill.js';
import { pauseNode, resumeNode, startNode, stopNode } from './node-control.js';
import { nodeIsAlive, tailLog } from './node-process.js';
import type { ClusterProvider, NodeObservation } from './provider.js';

/** The argv that runs `argv` inside a local node's network namespace. */
export function localNodeCommand(name: string, argv: readonly string[]): string[] {
  return ['ip', 'netns', 'exec', namespaceName(name), ...argv];
}

/** Rules keyed by node name, re-keyed by the namespace that holds that node's tables. */
export function rulesByNamespace(rulesByNode: ReadonlyMap<string, readonly RuleLine[]>): Map<string, readonly RuleLine[]> {
  return new Map([...rulesByNode].map(([name, rules]) => [namespaceName(name), rules]));
}

function recordedNode(name: string): NodeState {
  const node = requireClusterState().nodes.find((n) => n.name === name);
  if (!node) throw new FaultlineError(`no node ${name} in the cluster`, 2);
  return node;
}

function observe(name: string): NodeObservation | undefined {
  const node = readClusterState()?.nodes.find((n) => n.name === name);
  if (!node) return undefined;
  const alive = nodeIsAlive(node);
  return { alive, paused: alive && processState(node.pid) === 'T', recorded: node.state };
}

/** Runs `fn` inside a promise: what it throws becomes a rejection, as for every provider call. */
function settle<T>(fn: () => T | Promise<T>): Promise<T> {
  return new Promise((resolve) => resolve(fn()));
}

/**
 * The local provider as a ClusterProvider: a thin adapter over node-control, node-process, iptables and the
 * data directory's tmpfs. It keeps no state of its own: every call reads the state file, as node-control does.
 */
export const localProvider: ClusterProvider = {
  kind: 'local',
  nodes: () => requireClusterState().nodes,
  bootstrap: () => requireClusterState().bootstrap,
  clientAddress: () => addressPlan().hostAddress,
  startNode: (name, timeoutMs) => startNode(name, timeoutMs),
  stopNode: (name, how, graceTimeoutMs) => stopNode(name, how, graceTimeoutMs),
  pauseNode: (name) => pauseNode(name),
  resumeNode: (name) => resumeNode(name),
  observeNode: (name) => settle(() => observe(name)),
  runOnNode: (name, argv, options = {}) => {
    const [command = 'ip', ...args] = localNodeCommand(name, argv);
    return execCapture(command, args, options);
  },
  applyRules: (rulesByNode) => applyRulesByNamespace(rulesByNamespace(rulesByNode)),
  startProxy: (name, options) => spawnDetachedTcpProxy(options, { commandPrefix: localNodeCommand(name, []) }),
  stopProxy: async (_name, pid) => (await stopDetachedProxy(pid, PROXY_MARKER)) !== undefined,
  sweepRules: (nodes, faultId) => sweepRules(nodes.map(namespaceName), faultId),
  fillDisk: (name) => settle(() => fillDataDir(recordedNode(name).dataDir)),
  freeDisk: (name) => settle(() => freeDataDir(recordedNode(name).dataDir)),
  readLog: (name, lines) => settle(() => tailLog(recordedNode(name).logFile, lines)),
  readDataFile: (name, relativePath) => settle(() => readIfPresent(join(recordedNode(name).dataDir, relativePath))),
  sweepLeftovers: () => sweepLocalLeftovers(),
};

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Fill files left in data directories, and nodes left paused (by a faultline that crashed mid-fault). */
async function sweepLocalLeftovers(): Promise<string[]> {
  const done: string[] = [];
  for (const node of readClusterState()?.nodes ?? []) {
    if (freeDataDir(node.dataDir)) done.push(`removed the fill file of ${node.name}`);
    if (nodeIsAlive(node) && processState(node.pid) === 'T') {
      await resumeNode(node.name);
      done.push(`resumed ${node.name}`);
    }
  }
  return done;
}

import { FaultlineError } from '../errors.js';
import { withAdmin } from '../kafka/admin.js';
import { throwIfInterrupted } from '../util/interrupt.js';
import { isProcessAlive } from '../util/process.js';
import { pollUntil } from '../util/time.js';
import { writeClusterState, type ClusterState, type NodeState } from './cluster-state.js';
import { logShowsStarted, logSize, spawnNode, tailLog } from './node-process.js';
import { isBroker } from './topology.js';

const START_POLL_INTERVAL_MS = 100;
const BROKERS_POLL_INTERVAL_MS = 250;
const METADATA_TIMEOUT_MS = 3000;
const WHAT = 'cluster start-up';

/** Start-up's shared bound: one deadline for every wait, and the signal that may cut it short. */
export interface StartBudget {
  readonly deadline: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

function remainingMs(budget: StartBudget): number {
  return Math.max(0, budget.deadline - Date.now());
}

function assertStillRunning(node: NodeState): void {
  if (!isProcessAlive(node.pid)) {
    throw new FaultlineError(`node ${node.name} (${node.role}, ${node.host}) exited during start-up; its log: ${node.logFile}\n${tailLog(node.logFile)}`);
  }
}

/** Starts the nodes group by group (ZooKeeper first: ZooKeeper-mode brokers give up without it), each group once it logged its start. */
export async function startNodeGroups(state: ClusterState, budget: StartBudget, log: (line: string) => void): Promise<void> {
  const zk = state.nodes.filter((n) => n.role === 'zookeeper');
  const kafkaNodes = state.nodes.filter((n) => n.role !== 'zookeeper');
  for (const group of [zk, kafkaNodes]) {
    if (group.length === 0) continue;
    throwIfInterrupted(budget.signal, WHAT);
    const offsets = new Map<string, number>();
    for (const node of group) {
      offsets.set(node.name, logSize(node.logFile));
      node.pid = spawnNode(state, node);
      node.state = 'running';
      log(`started ${node.name} (${node.role}, ${node.host}, pid ${node.pid})`);
    }
    writeClusterState(state);
    await waitForNodesStarted(group, offsets, budget);
  }
}

async function waitForNodesStarted(nodes: readonly NodeState[], logOffsets: ReadonlyMap<string, number>, budget: StartBudget): Promise<void> {
  const pending = new Set(nodes.map((n) => n.name));
  const ok = await pollUntil(() => {
    throwIfInterrupted(budget.signal, WHAT);
    for (const node of nodes.filter((n) => pending.has(n.name))) {
      assertStillRunning(node);
      if (logShowsStarted(node, logOffsets.get(node.name) ?? 0)) pending.delete(node.name);
    }
    return pending.size === 0 ? true : undefined;
  }, remainingMs(budget), START_POLL_INTERVAL_MS);
  if (!ok) {
    const names = [...pending];
    const first = nodes.find((n) => n.name === names[0]);
    throw new FaultlineError(
      `start-up did not finish within ${budget.timeoutMs} ms: ${names.join(', ')} never logged that it started; see ${first?.logFile ?? 'the node logs'}\n${first ? tailLog(first.logFile) : ''}`,
    );
  }
}

/**
 * Waits until a metadata request lists every broker of the cluster. `checkAlive` fails fast when a node died
 * (the local provider's own check reads /proc; a remote provider passes its own or none).
 */
export async function waitForBrokers(state: ClusterState, budget: StartBudget, checkAlive: (node: NodeState) => void = assertStillRunning): Promise<void> {
  const expectedIds = state.nodes.filter(isBroker).map((b) => b.id);
  let lastSeen: number[] = [];
  let lastError = '';
  const ok = await pollUntil(async () => {
    throwIfInterrupted(budget.signal, WHAT);
    for (const node of state.nodes.filter((n) => n.state === 'running')) checkAlive(node);
    try {
      lastSeen = (await withAdmin(state.bootstrap, (admin) => admin.brokers(), METADATA_TIMEOUT_MS)).map((b) => b.id);
    } catch (error) {
      lastError = (error as Error).message;
      return undefined;
    }
    return expectedIds.every((id) => lastSeen.includes(id)) ? true : undefined;
  }, remainingMs(budget), BROKERS_POLL_INTERVAL_MS);
  if (!ok) {
    throw new FaultlineError(
      `start-up did not finish within ${budget.timeoutMs} ms: metadata lists brokers [${lastSeen.join(', ')}], expected [${expectedIds.join(', ')}]${lastError ? ` (${lastError})` : ''}; logs under ${state.dir}`,
    );
  }
}

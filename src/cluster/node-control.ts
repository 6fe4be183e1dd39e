import { FaultlineError } from '../errors.js';
import { isProcessAlive, processState, signalProcess, stopProcess, waitForExit } from '../util/process.js';
import { pollUntil } from '../util/time.js';
import { clusterStatePath, readClusterState, requireClusterState, writeClusterState, type ClusterState, type NodeState } from './cluster-state.js';
import { withFileLock } from '../util/file-lock.js';
import { logShowsStarted, logSize, nodeIsAlive, spawnNode, tailLog } from './node-process.js';

/**
 * Process-level control of one node, keeping the state file true. Every call re-reads the state file
 * first: another faultline process may have changed it.
 */
function reload(name: string): { state: ClusterState; node: NodeState } {
  const state = requireClusterState();
  const node = state.nodes.find((n) => n.name === name);
  if (!node) throw new FaultlineError(`no node ${name} in the cluster`, 2);
  return { state, node };
}

export function saveNodeState(state: ClusterState, node: NodeState): void {
  // Merge into the newest file under a lock, so concurrent updates of other nodes are kept.
  withFileLock(`${clusterStatePath()}.lock`, () => {
    const latest = readClusterState() ?? state;
    latest.nodes = latest.nodes.map((n) => (n.name === node.name ? node : n));
    writeClusterState(latest);
  });
}

export type StopHow = 'kill' | 'terminate';

export interface StopResult {
  readonly node: string;
  readonly pid: number;
  /** How it ended: a SIGTERM that timed out escalates to 'killed'. */
  readonly outcome: 'killed' | 'terminated' | 'absent';
  readonly tookMs: number;
}

export async function stopNode(name: string, how: StopHow, graceTimeoutMs = 30_000): Promise<StopResult> {
  const { state, node } = reload(name);
  const started = performance.now();
  const pid = node.pid;
  let outcome: StopResult['outcome'];
  if (!nodeIsAlive(node)) {
    outcome = 'absent';
  } else if (how === 'kill') {
    signalProcess(pid, 'SIGKILL');
    if (!(await waitForExit(pid, 10_000, node.marker))) throw new FaultlineError(`kill ${name}: pid ${pid} is still alive 10 s after SIGKILL`);
    outcome = 'killed';
  } else {
    outcome = (await stopProcess(pid, graceTimeoutMs, node.marker)) === 'terminated' ? 'terminated' : 'killed';
  }
  node.state = 'stopped';
  saveNodeState(state, node);
  return { node: name, pid, outcome, tookMs: performance.now() - started };
}

export interface StartResult {
  readonly node: string;
  readonly pid: number;
  readonly tookMs: number;
  readonly alreadyRunning: boolean;
}

/** Starts a stopped node with its existing data; resolves once its log shows it started. */
export async function startNode(name: string, timeoutMs = 60_000): Promise<StartResult> {
  const { state, node } = reload(name);
  const started = performance.now();
  if (nodeIsAlive(node)) {
    if (processState(node.pid) === 'T') signalProcess(node.pid, 'SIGCONT');
    node.state = 'running';
    saveNodeState(state, node);
    return { node: name, pid: node.pid, tookMs: performance.now() - started, alreadyRunning: true };
  }
  const offset = logSize(node.logFile);
  node.pid = spawnNode(state, node);
  node.state = 'running';
  saveNodeState(state, node);
  const ok = await pollUntil(() => {
    if (!isProcessAlive(node.pid)) throw new FaultlineError(`node ${name} exited while starting; its log: ${node.logFile}\n${tailLog(node.logFile)}`);
    return logShowsStarted(node, offset) ? true : undefined;
  }, timeoutMs, 50);
  if (!ok) throw new FaultlineError(`node ${name} did not finish starting within ${timeoutMs} ms; its log: ${node.logFile}`);
  return { node: name, pid: node.pid, tookMs: performance.now() - started, alreadyRunning: false };
}

export interface PauseResult {
  readonly node: string;
  readonly pid: number;
  readonly tookMs: number;
}

export interface ResumeResult extends PauseResult {
  readonly wasPaused: boolean;
}

export async function pauseNode(name: string): Promise<PauseResult> {
  const { state, node } = reload(name);
  if (!nodeIsAlive(node)) throw new FaultlineError(`cannot pause ${name}: it is not running`);
  const started = performance.now();
  signalProcess(node.pid, 'SIGSTOP');
  // SIGSTOP is asynchronous; the fault is in effect once the kernel shows the process stopped.
  const stopped = await pollUntil(() => (processState(node.pid) === 'T' ? true : undefined), 5000, 1);
  if (!stopped) throw new FaultlineError(`pause ${name}: pid ${node.pid} is still in state ${processState(node.pid) ?? 'gone'} 5 s after SIGSTOP`);
  node.state = 'paused';
  saveNodeState(state, node);
  return { node: name, pid: node.pid, tookMs: performance.now() - started };
}

export async function resumeNode(name: string): Promise<ResumeResult> {
  const { state, node } = reload(name);
  const started = performance.now();
  const wasPaused = nodeIsAlive(node) && processState(node.pid) === 'T';
  if (nodeIsAlive(node)) {
    signalProcess(node.pid, 'SIGCONT');
    const running = await pollUntil(() => (processState(node.pid) !== 'T' ? true : undefined), 5000, 1);
    if (!running) throw new FaultlineError(`resume ${name}: pid ${node.pid} is still stopped 5 s after SIGCONT`);
  }
  if (node.state === 'paused') node.state = 'running';
  saveNodeState(state, node);
  return { node: name, pid: node.pid, tookMs: performance.now() - started, wasPaused };
}

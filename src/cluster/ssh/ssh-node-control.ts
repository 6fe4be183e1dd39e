import { FaultlineError } from '../../errors.js';
import type { RemoteRunner } from '../../ssh/shell-host.js';
import { requireClusterState, type ClusterState, type NodeState } from '../cluster-state.js';
import { saveNodeState, type PauseResult, type ResumeResult, type StartResult, type StopHow, type StopResult } from '../node-control.js';
import { nodeCommandLine, startedPattern } from '../node-process.js';
import type { NodeObservation } from '../provider.js';
import { recordedNode, hostOfNode, javaOf, scriptAnswer, sshInfoOf } from './remote-hosts.js';
import { FILE_SIZE_SCRIPT, gracePolls, OBSERVE_SCRIPT, SIGNAL_SCRIPT, START_SCRIPT, WAIT_STARTED_SCRIPT } from './node-scripts.js';
import { armAndRun, disarm, undoId } from './ssh-undo.js';
import { attachedStartArgv } from './node-commands.js';

/** Polls of 100 ms in a start wait per second of its timeout. */
const START_POLLS_PER_S = 10;
/** The ssh call of a start wait may take this much longer than the wait itself. */
const START_WAIT_MARGIN_MS = 10_000;
/** Polls (of 100 ms) a start command has before a node with no process counts as exited: 5 s. */
const START_COMMAND_GRACE_POLLS = 50;


/** What the node's process does; a live one found under another pid than recorded, or recorded as stopped, is adopted (and saved). */
async function observeOn(state: ClusterState, node: NodeState): Promise<'alive' | 'paused' | 'dead'> {
  const answer = await scriptAnswer(await hostOfNode(state, node), `observing ${node.name}`, OBSERVE_SCRIPT, [node.pid, node.marker]);
  const [seen = 'dead', pid = ''] = answer.split(' ');
  if (seen !== 'alive' && seen !== 'paused') return 'dead';
  if (Number(pid) !== node.pid || node.state === 'stopped') {
    // started again by its self-expiring undo on the host, under a new pid
    node.pid = Number(pid);
    if (node.state === 'stopped') node.state = seen === 'paused' ? 'paused' : 'running';
    saveNodeState(state, node);
  }
  return seen;
}

export async function observeSshNode(name: string): Promise<NodeObservation | undefined> {
  const state = requireClusterState();
  const node = state.nodes.find((n) => n.name === name);
  if (!node) return undefined;
  const seen = await observeOn(state, node);
  return { alive: seen !== 'dead', paused: seen === 'paused', recorded: node.state };
}

/**
 * What START_SCRIPT takes to start the node on its host: its folder, where its output goes, and its java with the
 * JVM command line (faultline's own; for an attached node its start command, its installation's start script or the
 * command line it was found running with: node-commands.ts).
 */
function startArgs(state: ClusterState, node: NodeState): string[] {
  const info = sshInfoOf(state);
  if (node.argv) return [node.dir, `${info.remoteDir}/attached/${node.name}.out`, ...attachedStartArgv(info, node, node.argv)];
  return [node.dir, node.logFile, javaOf(state, node), ...nodeCommandLine(state, node)];
}

/** Starts a node whose process is gone; resolves once its log shows it started. */
export async function startSshNode(name: string, timeoutMs = 60_000): Promise<StartResult> {
  const { state, node } = recordedNode(name);
  const started = performance.now();
  const host = await hostOfNode(state, node);
  const seen = await observeOn(state, node);
  if (seen !== 'dead') {
    if (seen === 'paused') await scriptAnswer(host, `resuming ${name}`, SIGNAL_SCRIPT, [node.pid, node.marker, 'resume']);
    node.state = 'running';
    saveNodeState(state, node);
    await disarm(state, host, undoId('down', name));
    return { node: name, pid: node.pid, tookMs: performance.now() - started, alreadyRunning: true };
  }
  const args = startArgs(state, node);
  const outFile = args[1] ?? node.logFile;
  const offset = await fileSize(host, node.logFile);
  const outOffset = outFile === node.logFile ? offset : await fileSize(host, outFile);
  node.pid = Number(await scriptAnswer(host, `starting ${name}`, START_SCRIPT, args));
  node.state = 'running';
  saveNodeState(state, node);
  const polls = Math.ceil((timeoutMs / 1000) * START_POLLS_PER_S);
  // a start command or script may leave the JVM under another pid, and a service manager may start it a moment later
  const info = sshInfoOf(state);
  const gracePolls = node.argv && (info.startCommand ?? info.kafkaHome) !== undefined ? START_COMMAND_GRACE_POLLS : 0;
  const waitArgs = [node.pid, node.marker, node.logFile, offset, startedPattern(node), polls, outFile, outOffset, gracePolls];
  const [outcome, pid] = (await scriptAnswer(host, `waiting for ${name}`, WAIT_STARTED_SCRIPT, waitArgs, timeoutMs + START_WAIT_MARGIN_MS)).split(' ');
  if (outcome === 'started' && Number(pid) !== node.pid) {
    node.pid = Number(pid);
    saveNodeState(state, node);
  }
  if (outcome !== 'started') {
    const tail = (await host.run(['tail', '-n', '8', node.logFile]).catch(() => undefined))?.stdout ?? '';
    const why = outcome === 'exited' ? 'exited while starting' : `did not finish starting within ${timeoutMs} ms`;
    throw new FaultlineError(`node ${name} on ${host.target.host} ${why}; its log: ${node.logFile}\n${tail.trimEnd()}`);
  }
  await disarm(state, host, undoId('down', name));
  return { node: name, pid: node.pid, tookMs: performance.now() - started, alreadyRunning: false };
}

async function fileSize(host: RemoteRunner, file: string): Promise<number> {
  return Number(await scriptAnswer(host, `reading ${file}`, FILE_SIZE_SCRIPT, [file])) || 0;
}

/** SIGKILL, or SIGTERM escalating to SIGKILL; the host restarts the node by itself after undoAfterMs unless started before. */
export async function stopSshNode(name: string, how: StopHow, graceTimeoutMs = 30_000, armUndo = true): Promise<StopResult> {
  const { state, node } = recordedNode(name);
  const started = performance.now();
  const host = await hostOfNode(state, node);
  const signal = { what: `${how} ${name}`, script: SIGNAL_SCRIPT, args: [node.pid, node.marker, how, gracePolls(graceTimeoutMs)], timeoutMs: graceTimeoutMs + 30_000 };
  const answer = armUndo
    ? await armAndRun(state, host, { id: undoId('down', name), script: START_IF_DEAD_SCRIPT, args: [node.pid, node.marker, ...startArgs(state, node)] }, signal)
    : await scriptAnswer(host, signal.what, signal.script, signal.args, signal.timeoutMs);
  if (answer === 'stuck') throw new FaultlineError(`${how} ${name}: pid ${node.pid} on ${host.target.host} is still alive after SIGKILL`);
  node.state = 'stopped';
  saveNodeState(state, node);
  const outcome = answer === 'terminated' ? 'terminated' : answer === 'killed' ? 'killed' : 'absent';
  return { node: name, pid: node.pid, outcome, tookMs: performance.now() - started };
}

/** The undo of a stop: starts the node again unless its process lives (a heal may have started it already). */
const START_IF_DEAD_SCRIPT = `pid=$1; marker=$2; shift 2
if [ -r "/proc/$pid/cmdline" ] && tr '\\000' '\\n' < "/proc/$pid/cmdline" | grep -qxF -- "$marker"; then exit 0; fi
${START_SCRIPT.replace('set -eu\n', '')}`;

export async function pauseSshNode(name: string): Promise<PauseResult> {
  const { state, node } = recordedNode(name);
  const started = performance.now();
  const host = await hostOfNode(state, node);
  const undo = { id: undoId('pause', name), script: SIGNAL_SCRIPT, args: [node.pid, node.marker, 'resume'] };
  const answer = await armAndRun(state, host, undo, { what: `pause ${name}`, script: SIGNAL_SCRIPT, args: [node.pid, node.marker, 'pause'] });
  if (answer !== 'paused') throw new FaultlineError(answer === 'absent' ? `cannot pause ${name}: it is not running` : `pause ${name}: pid ${node.pid} did not stop`);
  node.state = 'paused';
  saveNodeState(state, node);
  return { node: name, pid: node.pid, tookMs: performance.now() - started };
}

export async function resumeSshNode(name: string): Promise<ResumeResult> {
  const { state, node } = recordedNode(name);
  const started = performance.now();
  const host = await hostOfNode(state, node);
  const answer = await scriptAnswer(host, `resume ${name}`, SIGNAL_SCRIPT, [node.pid, node.marker, 'resume']);
  if (answer === 'stuck') throw new FaultlineError(`resume ${name}: pid ${node.pid} is still stopped after SIGCONT`);
  await disarm(state, host, undoId('pause', name));
  if (node.state === 'paused') node.state = 'running';
  saveNodeState(state, node);
  return { node: name, pid: node.pid, tookMs: performance.now() - started, wasPaused: answer === 'resumed' };
}

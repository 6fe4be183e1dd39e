import { requireClusterState, type NodeState } from '../../cluster/cluster-state.js';
import { providerOf } from '../../cluster/provider-of.js';
import type { ClusterProvider } from '../../cluster/provider.js';
import { isBroker, isController } from '../../cluster/topology.js';
import type { FaultEventSink } from '../../history/active-run.js';
import { FAULT_LIMITS } from '../../nemesis/fault-request.js';
import type { ClusterStep } from '../experiment.js';
import { abortableSleep } from './probe-phase.js';

/** Start order after a full restart: ZooKeeper, then controllers, then brokers (each waits for the ones before). */
function startOrder(nodes: readonly NodeState[]): NodeState[][] {
  const zk = nodes.filter((n) => n.role === 'zookeeper');
  const controllers = nodes.filter((n) => n.role !== 'zookeeper' && isController(n) && !isBroker(n));
  const rest = nodes.filter((n) => !zk.includes(n) && !controllers.includes(n));
  return [zk, controllers, rest].filter((g) => g.length > 0);
}

/**
 * A cluster action of an experiment: `rolling-restart` restarts the Kafka nodes one after another (each back
 * before the next goes down); `full-restart` stops every node, waits `downMs`, and starts them all again, so
 * clients see the whole cluster gone. Each node's stop and start is an event in the run's journal.
 */
export async function runClusterAction(step: ClusterStep, name: string, events: FaultEventSink, signal: AbortSignal): Promise<Record<string, unknown>> {
  const state = requireClusterState();
  const nodes = state.nodes;
  const provider = providerOf(state);
  const note = (event: string, node: string): void => events({ event, node, detail: { action: step.action, restartMode: step.restartMode } });
  // The action is a fault period of its own (fault-start when the first node is down, fault-heal when every node
  // is back), so the timeline shades it and the recovery checker measures from it like from a nemesis fault.
  const fault = { faultId: name, fault: step.action, target: 'cluster', node: nodes.map((n) => n.name) };
  const startedMs = performance.now();
  const period = { started: false };
  const down = (): void => {
    if (period.started) return;
    period.started = true;
    events({ event: 'fault-start', ...fault, detail: { tookMs: Math.round(performance.now() - startedMs), restartMode: step.restartMode } });
  };
  try {
    return await act(provider, step, nodes, note, down, signal);
  } finally {
    if (period.started) events({ event: 'fault-heal', ...fault, detail: { action: step.action } });
  }
}

async function act(provider: ClusterProvider, step: ClusterStep, nodes: readonly NodeState[], note: (event: string, node: string) => void, down: () => void, signal: AbortSignal): Promise<Record<string, unknown>> {
  const graceMs = FAULT_LIMITS.defaultGraceMs;
  if (step.action === 'rolling-restart') {
    const kafka = nodes.filter((n) => n.role !== 'zookeeper');
    for (const node of kafka) {
      if (signal.aborted) break;
      note('node-stop', node.name);
      await provider.stopNode(node.name, step.restartMode, graceMs);
      down();
      await abortableSleep(step.downMs, signal);
      await provider.startNode(node.name);
      note('node-start', node.name);
    }
    return { restarted: kafka.map((n) => n.name) };
  }
  await Promise.all(
    nodes.map(async (node) => {
      note('node-stop', node.name);
      await provider.stopNode(node.name, step.restartMode, graceMs);
    }),
  );
  down();
  await abortableSleep(step.downMs, signal);
  // Started even when aborted: a run never ends with its cluster down (heal would start them too).
  for (const group of startOrder(nodes)) {
    await Promise.all(
      group.map(async (node) => {
        await provider.startNode(node.name);
        note('node-start', node.name);
      }),
    );
  }
  return { restarted: nodes.map((n) => n.name) };
}

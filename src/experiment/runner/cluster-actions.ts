import { requireClusterState, type NodeState } from '../../cluster/cluster-state.js';
import { startNode, stopNode } from '../../cluster/node-control.js';
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
export async function runClusterAction(step: ClusterStep, events: FaultEventSink, signal: AbortSignal): Promise<Record<string, unknown>> {
  const nodes = requireClusterState().nodes;
  const graceMs = FAULT_LIMITS.defaultGraceMs;
  const note = (event: string, node: string): void => events({ event, node, detail: { action: step.action, restartMode: step.restartMode } });
  if (step.action === 'rolling-restart') {
    const kafka = nodes.filter((n) => n.role !== 'zookeeper');
    for (const node of kafka) {
      if (signal.aborted) break;
      note('node-stop', node.name);
      await stopNode(node.name, step.restartMode, graceMs);
      await abortableSleep(step.downMs, signal);
      await startNode(node.name);
      note('node-start', node.name);
    }
    return { restarted: kafka.map((n) => n.name) };
  }
  await Promise.all(
    nodes.map(async (node) => {
      note('node-stop', node.name);
      await stopNode(node.name, step.restartMode, graceMs);
    }),
  );
  await abortableSleep(step.downMs, signal);
  // Started even when aborted: a run never ends with its cluster down (heal would start them too).
  for (const group of startOrder(nodes)) {
    await Promise.all(
      group.map(async (node) => {
        await startNode(node.name);
        note('node-start', node.name);
      }),
    );
  }
  return { restarted: nodes.map((n) => n.name) };
}

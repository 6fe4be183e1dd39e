import { requireClusterState } from '../cluster/cluster-state.js';
import { isBroker } from '../cluster/topology.js';
import { applyRulesByNamespace, cutRules } from '../net/iptables.js';
import { finishFault } from '../nemesis/fault-result.js';
import { healFault } from '../nemesis/heal.js';
import { registerFault } from '../nemesis/heal-registry.js';
import { resolveNodes } from '../nemesis/resolve-nodes.js';
import type { Target } from '../nemesis/target.js';
import type { FaultEventSink } from '../history/active-run.js';
import type { JobControl } from './job-control.js';

export interface JobPartition {
  readonly id: string;
  /** The broker nodes the job was cut from. */
  readonly nodes: string[];
  readonly heal: () => Promise<void>;
}

/**
 * Cuts the job from brokers (all of them, or the nodes `from` resolves to when it fires): DROP rules both ways in the
 * job's own namespace, registered in the heal registry first, so `heal --all` sweeps them whatever happens to us.
 */
export async function partitionJob(job: Pick<JobControl, 'name' | 'namespace'>, from: readonly Target[] | undefined, seed: number, events: FaultEventSink): Promise<JobPartition> {
  const started = performance.now();
  const state = requireClusterState();
  const nodes = from === undefined ? state.nodes.filter(isBroker) : await resolveNodes(state, from, seed);
  const record = registerFault((id) => ({
    kind: 'job-partition', target: 'job', nodes: nodes.map((n) => n.name), options: { from: from ?? 'brokers' },
    undo: [{ type: 'iptables-sweep', namespaces: [job.namespace], faultId: id }],
  }));
  const rules = nodes.flatMap((node) => cutRules({ faultId: record.id, peerAddress: node.host, oneWay: false }));
  await applyRulesByNamespace(new Map([[job.namespace, rules]]));
  const result = finishFault(record, started, { job: job.name, cut: nodes.map((n) => `${n.name} (${n.host})`) });
  events({ event: 'fault-start', faultId: result.id, fault: 'job-partition', target: 'job', node: job.name, detail: { from: nodes.map((n) => n.name), tookMs: result.tookMs } });
  return {
    id: result.id,
    nodes: result.nodes,
    heal: async () => {
      await healFault(record.id, { events });
    },
  };
}

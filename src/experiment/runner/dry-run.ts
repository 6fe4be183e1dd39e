import { requireClusterState } from '../../cluster/cluster-state.js';
import { isBroker } from '../../cluster/topology.js';
import { checkFaultAgainst } from '../../nemesis/fault-validate.js';
import type { FaultRequest } from '../../nemesis/fault-request.js';
import { faultTargetText } from '../../nemesis/fault-text.js';
import { resolveNodes } from '../../nemesis/resolve-nodes.js';
import { ProbeMemory, runProbe, type ProbeResult } from '../probes/index.js';
import type { ExperimentVariant, Step } from '../experiment.js';
import { planRandomSchedule } from '../random-schedule.js';

export interface DryRunResult {
  readonly name: string;
  /** Every fault of the method and rollbacks, with the nodes its targets resolve to now. */
  readonly faults: readonly { readonly step: string; readonly target: string; readonly nodes: readonly string[]; readonly error?: string }[];
  readonly probes: readonly ProbeResult[];
  readonly ok: boolean;
}

function faultsOf(steps: readonly Step[], seed: number, prefix = ''): { step: string; fault: FaultRequest }[] {
  return steps.flatMap((step, i) => {
    const name = step.name ?? `${prefix}${i + 1}-${step.kind}`;
    if (step.kind === 'fault') return [{ step: name, fault: step.fault }];
    if (step.kind === 'repeat') return faultsOf(step.steps, seed, `${name}.`);
    if (step.kind === 'random') return planRandomSchedule(step.schedule, step.schedule.seed ?? seed).map((p) => ({ step: `${name}#${p.index}`, fault: p.fault }));
    return [];
  });
}

function targetsOf(fault: FaultRequest) {
  if (fault.kind !== 'partition') return [fault.target];
  if (fault.target !== undefined) return [fault.target];
  if (fault.groups !== undefined) return fault.groups.flatMap((g) => (g === 'rest' ? [] : g));
  return fault.shape?.kind === 'minority-with' ? [fault.shape.target] : [];
}

/**
 * `faultline run --dry-run`: on the live cluster, resolves every fault's targets (injecting nothing) and runs the
 * steady-state probes once; nothing is written.
 */
export async function dryRunExperiment(variant: ExperimentVariant): Promise<DryRunResult> {
  const state = requireClusterState();
  const e = variant.experiment;
  const faults = [];
  for (const { step, fault } of faultsOf([...e.method, ...e.rollbacks], e.seed)) {
    try {
      checkFaultAgainst(fault, { metadata: state.mode });
      const nodes = await resolveNodes(state, targetsOf(fault), e.seed);
      faults.push({ step, target: faultTargetText(fault), nodes: nodes.map((n) => n.name) });
    } catch (error) {
      faults.push({ step, target: faultTargetText(fault), nodes: [], error: (error as Error).message });
    }
  }
  const brokers = state.nodes.filter(isBroker);
  const memory = new ProbeMemory();
  const started = performance.now();
  const probes: ProbeResult[] = [];
  for (const spec of e.steadyState) probes.push(await runProbe(spec, { bootstrap: state.bootstrap, brokers, cluster: requireClusterState, memory, nowMs: () => performance.now() - started }));
  return { name: variant.name, faults, probes, ok: faults.every((f) => f.error === undefined) && probes.every((p) => p.ok) };
}

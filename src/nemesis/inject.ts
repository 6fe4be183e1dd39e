import { UsageError } from '../errors.js';
import { requireClusterState } from '../cluster/cluster-state.js';
import { providerOf } from '../cluster/provider-of.js';
import { degradeFault } from './degrade-fault.js';
import { activeRunSink } from '../history/active-run.js';
import { isProcessFault, type FaultRequest } from './fault-request.js';
import type { FaultResult, NemesisOptions } from './fault-result.js';
import { faultTargetText } from './fault-text.js';
import { checkFaultAgainst, validateFault } from './fault-validate.js';
import { fillDiskFault } from './fill-disk-fault.js';
import { healFault } from './heal.js';
import { listFaults } from './heal-registry.js';
import { partitionFault } from './partition-fault.js';
import { processFault } from './process-fault.js';

/**
 * Injects one fault: validates it (the same rules as the CLI and the scenario loader), resolves its target now,
 * registers its undo on disk, acts, and returns once it is in effect. A fault that fails half-way is undone.
 */
export async function injectFault(request: FaultRequest, options: NemesisOptions = {}): Promise<FaultResult> {
  const startedMs = performance.now();
  const state = requireClusterState();
  validateFault(request);
  if (state.ssh?.attached === true && options.confirmed !== true && request.kind !== 'resume' && request.kind !== 'start') {
    throw new UsageError(`confirmed: the cluster on ${state.ssh.hosts.join(', ')} was attached, not installed by faultline; a ${request.kind} needs confirmation (--yes)`);
  }
  checkFaultAgainst(request, { metadata: state.mode });
  const provider = providerOf(state);
  const events = options.events ?? activeRunSink;
  let result: FaultResult;
  try {
    if (isProcessFault(request)) result = await processFault(state, provider, request, options, startedMs);
    else if (request.kind === 'partition') result = await partitionFault(state, provider, request, options, startedMs);
    else if (request.kind === 'degrade') result = await degradeFault(state, provider, request, options, startedMs);
    else result = await fillDiskFault(state, provider, request, options, startedMs);
  } catch (error) {
    // A fault that failed half-way (a proxy spawned, a file written) is undone now, not left for heal --all.
    for (const record of listFaults().filter((f) => f.status === 'starting' && f.ownerPid === process.pid)) {
      await healFault(record.id, { events: () => undefined }).catch(() => undefined);
    }
    events({ event: 'fault-error', fault: request.kind, target: faultTargetText(request), detail: { message: (error as Error).message } });
    throw error;
  }
  // A restart wrote its own period (fault-start when down, fault-heal when back); its result goes with neither.
  if (request.kind !== 'restart') events({ event: 'fault-start', faultId: result.id, fault: result.kind, target: result.target, node: result.nodes, detail: { tookMs: Math.round(result.tookMs * 10) / 10, ...result.detail } });
  return result;
}

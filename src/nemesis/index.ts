/** The nemesis: one file per fault kind, heal, targets, the typed fault model and its one parser/validator. */
export { injectFault } from './inject.js';
export { healFault, healAll, type HealResult } from './heal.js';
export { listFaults, type FaultRecord } from './heal-registry.js';
export type { FaultResult, NemesisOptions } from './fault-result.js';
export { parseFault } from './fault-parse.js';
export { validateFault, checkFaultAgainst, type FaultContext } from './fault-validate.js';
export { faultTargetText } from './fault-text.js';
export { parseTarget, formatTarget, resolveTarget, TARGET_SYNTAX, type Target } from './target.js';
export {
  FAULT_KINDS,
  FAULT_KEYS,
  FAULT_LIMITS,
  PROCESS_FAULT_KINDS,
  RESTART_MODES,
  SIMPLE_SHAPES,
  type FaultKind,
  type FaultRequest,
  type ProcessFaultRequest,
  type PartitionFaultRequest,
  type DegradeFaultRequest,
  type FillDiskFaultRequest,
  type PartitionFrom,
  type PartitionGroup,
  type PartitionShape,
  type DegradePeers,
  type RestartMode,
} from './fault-request.js';

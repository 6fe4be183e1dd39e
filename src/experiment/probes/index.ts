export {
  PROBE_KINDS,
  PROBE_MODES,
  CHECKER_NAMES,
  DEFAULT_PROBE_INTERVAL_MS,
  MIN_PROBE_INTERVAL_MS,
  MAX_PROBE_INTERVAL_MS,
  MAX_PROBE_TIMEOUT_MS,
  MAX_COMMAND_ARGS,
  MAX_PROBE_NAME_CHARS,
  parseProbe, probeValueType, defaultTolerance, type ProbeKind, type ProbeMode, type ProbeSpec } from './probe-spec.js';
export { parseTolerance, TOLERANCE_CHECKS, MAX_CONSECUTIVE, MAX_WINDOW_MS, MAX_ALL_TOLERANCES, MAX_TOLERANCE_DEPTH, type Tolerance } from './tolerance.js';
export { evaluateTolerance, type ProbeObservation, type ToleranceOutcome } from './tolerance-evaluate.js';
export { parseJsonPath, selectJsonPath, MAX_JSON_PATH_CHARS, type PathStep } from './json-path.js';
export { ProbeMemory, type ProbeBroker, type ProbeContext, type ProbeResult } from './probe-context.js';
export { runProbe, DEFAULT_PROBE_TIMEOUTS_MS } from './run-probe.js';
export { probeRecord } from './probe-record.js';
export type { ValueType } from './value-type.js';
export type { ClusterHealth } from './cluster-health-probe.js';
export type { ConsumerGroupValue } from './consumer-group-probe.js';
export type { TopicViewValue } from './topic-view-probe.js';
export type { CheckerValue } from './checker-probe.js';

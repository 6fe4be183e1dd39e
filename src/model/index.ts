/**
 * faultline/model: check a design before building it. Machines, one deterministic scheduler,
 * failure injection, spec monitors, strategies (random, PCT, bounded exhaustive), replay and shrinking.
 */
export { defineMachine } from './machine.js';
export { eventIds } from './event-ids.js';
export type { EventId } from './event-ids.js';
export type {
  EventMap,
  FaultControl,
  Handler,
  LinkFaultOptions,
  MachineContext,
  MachineDef,
  MachineHandle,
  MachineRef,
  StateDef,
  TimerId,
} from './machine.js';
export { defineMonitor } from './monitor.js';
export type { MonitorContext, MonitorDef, MonitorStateDef } from './monitor.js';
export type { ModelDef, ModelReduction, SetupContext } from './model.js';
export { Execution, executeRun } from './runtime.js';
export type { RunOptions, RunOutcome, RunResult, Violation, ViolationKind } from './runtime.js';
export type { Strategy } from './strategy.js';
export { ExhaustiveStrategy, PctStrategy, RandomStrategy, ReplayStrategy } from './strategies.js';
export { Prng, mixSeed } from './prng.js';
export { checkModel, makeStrategy, replayFromSeed, replaySchedule, STRATEGY_NAMES } from './check.js';
export type { CheckOptions, CheckProgress, CheckResult, FoundViolation, ShrinkSummary, StrategyName } from './check.js';
export { checkModelParallel, DEFAULT_WORKERS, MAX_WORKERS } from './parallel-check.js';
export type { ParallelCheckOptions } from './parallel-check.js';
export { replayChoices, sameViolation, shrinkSchedule, violationSignature } from './shrink.js';
export type { ShrinkOptions, ShrinkResult } from './shrink.js';
export { checkScheduleVersion, loadSchedule, parseSchedule, saveSchedule, SCHEDULE_FORMAT } from './schedule-file.js';
export type { SavedSchedule, ScheduleVersionCheck } from './schedule-file.js';
export { modelVersion } from './fingerprint.js';
export { formatTrace, toMermaid } from './report.js';
export type { MermaidOptions, TraceTextOptions } from './report.js';
export { compressRanges, describePayload } from './trace.js';
export type { TraceEntry, TraceKind } from './trace.js';
export { Coverage, formatCoverage } from './coverage.js';
export type { CoverageEntry, CoverageSummary } from './coverage.js';
export { findModel, listModels, resolveParams, MODEL_REGISTRY } from './models/registry.js';
export type { ModelEntry, ModelParam } from './models/registry.js';
export { kafkaReplicationModel, KAFKA_ACKS, KAFKA_DEFAULTS, KAFKA_FAULTS } from './models/kafka-replication.js';
export type { Acks, KafkaFault, KafkaReplicationOptions, KafkaRunSummary } from './models/kafka-replication.js';
export { formatKafkaVerdicts, kafkaVerdictMatrix, lossPrediction, KAFKA_VERDICT_DEFAULTS, LOSS_EXPECTED_FRACTION } from './models/kafka-verdicts.js';
export type { KafkaLossPrediction, KafkaVerdict, KafkaVerdictOptions } from './models/kafka-verdicts.js';
export { workload1Model, WORKLOAD1_DEFAULTS } from './models/workload1.js';
export type { Scenario as Workload1Scenario, Workload1Options } from './models/workload1.js';
export { workload1Spec } from './models/workload1-spec.js';

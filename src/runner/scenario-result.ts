import type { ExactVerdict } from '../checker/verdict.js';
import type { WindowVerdict } from '../checker/window-types.js';
import type { AvailabilityVerdict } from '../checker/availability.js';
import { QUEUE_ANOMALY_NAMES, type QueueAnomalyName, type QueueVerdict } from '../checker/queue-verdict.js';
import type { EventRecord } from '../history/operation.js';
import type { PipelineVerdict } from '../checker/pipeline-verdict.js';
import type { PipelineRecovery } from '../checker/pipeline-recovery.js';
import type { Scenario } from '../scenario/scenario.js';

/** Queue anomaly counts of a row: every anomaly the run found or the scenario expects, with its count. */
export type AnomalyCounts = Readonly<Partial<Record<QueueAnomalyName, number>>>;

/**
 * One row of the suite table: the seed's numbers next to the exact checker's; for a queue scenario the
 * queue checker's counts (sends, polls) and its anomaly counts.
 */
export interface ScenarioRow {
  readonly scenario: string;
  /** Which checker's numbers the row holds: the exact checker's (producer workloads) or the queue checker's. */
  readonly workload: 'produce' | 'queue' | 'pipeline';
  readonly acks: string;
  readonly producers: number;
  readonly sent: number;
  readonly acknowledged: number;
  readonly failed: number;
  readonly unknown: number;
  /** Sum over partitions of the final high watermark. */
  readonly highWatermark: number | null;
  readonly readBack: number;
  readonly lost: number;
  /** acks=0: acknowledged by the client only (no offset) and not read back; acks=0 promises nothing. */
  readonly lostUnconfirmed: number;
  readonly duplicates: number;
  readonly reordered: number;
  /** The checker's verdict: valid, invalid, unknown; or error when the scenario could not run. */
  readonly verdict: string;
  /** Whether the outcome matches the scenario's expectation (expect.lost / expect.duplicates, or expect.anomalies). */
  readonly asExpected: boolean;
  /** Queue scenarios: the anomalies found or expected, with their counts; {} for producer workloads. */
  readonly anomalies: AnomalyCounts;
  /** Queue scenarios: whether the final drain reached every partition's end offsets; null for producer workloads. */
  readonly drainComplete: boolean | null;
}

export interface ScenarioOutcome {
  readonly name: string;
  readonly title: string;
  readonly runDir: string | null;
  readonly row: ScenarioRow;
  /** The exact checker's verdict (producer workloads; null for a queue scenario or when it could not run). */
  readonly verdict: ExactVerdict | null;
  /** The queue checker's verdict, the scenario's verdict for a queue workload; null otherwise. */
  readonly queueVerdict: QueueVerdict | null;
  /** The pipeline checker's verdict, the scenario's verdict for a pipeline; null otherwise. */
  readonly pipelineVerdict: PipelineVerdict | null;
  /** A pipeline's recovery times per fault (docs/pipelines.md, "Recovery times"); null for other workloads. */
  readonly pipelineRecovery: PipelineRecovery | null;
  /** The window checker's verdict for a pipeline whose job computes windows; null otherwise. */
  readonly windowVerdict: WindowVerdict | null;
  /** The longest time without an acknowledgement, and how soon writes were acknowledged again after each fault. */
  readonly availability: AvailabilityVerdict | null;
  /** Faults as fired: id, kind, nodes, when. */
  readonly faults: { id: string; kind: string; target: string; nodes: string[]; atMs: number; healedAtMs: number | null }[];
  /** What the slow producer saw, when the workload was slow-produce. */
  readonly slowProducerImpliedLost: number | null;
  readonly notes: string[];
  readonly error: string | null;
  readonly durationMs: number;
}

/** The suite table's columns without anomaly columns (a suite of producer scenarios). */
export const ROW_HEADERS = ['scenario', 'acks', 'producers', 'sent', 'acknowledged', 'failed', 'unknown', 'high watermark', 'read back', 'lost', 'duplicates', 'reordered', 'verdict', 'as expected'] as const;

/** The anomaly columns a suite's table needs: every anomaly a queue row found or expects, in the checker's order. */
export function anomalyColumns(rows: readonly ScenarioRow[]): QueueAnomalyName[] {
  return QUEUE_ANOMALY_NAMES.filter((name) => rows.some((row) => row.anomalies[name] !== undefined));
}

/** ROW_HEADERS with the anomaly columns before the verdict. */
export function rowHeaders(anomalies: readonly QueueAnomalyName[] = []): string[] {
  const verdictAt = ROW_HEADERS.indexOf('verdict');
  return [...ROW_HEADERS.slice(0, verdictAt), ...anomalies, ...ROW_HEADERS.slice(verdictAt)];
}

/**
 * A row's cells under rowHeaders(anomalies): a queue row shows '-' where the exact checker's numbers
 * (failed, unknown, high watermark, lost, duplicates, reordered) do not apply, a producer row '-' under anomalies.
 */
export function rowCells(row: ScenarioRow, anomalies: readonly QueueAnomalyName[] = []): (string | number)[] {
  const queue = row.workload === 'queue';
  const exact = (value: string | number): string | number => (queue ? '-' : value);
  const lost = row.lostUnconfirmed > 0 ? `${row.lost} (+${row.lostUnconfirmed} acks=0)` : row.lost;
  const anomalyCells = anomalies.map((name) => (queue ? (row.anomalies[name] ?? 0) : '-'));
  return [row.scenario, row.acks, row.producers, row.sent, row.acknowledged, exact(row.failed), exact(row.unknown), row.highWatermark ?? '-', row.readBack, exact(lost), exact(row.duplicates), exact(row.reordered), ...anomalyCells, row.verdict, row.asExpected ? 'yes' : 'NO'];
}

/** Whether the numbers match the scenario's expectation (expect.lost / expect.duplicates). */
function expectationMet(scenario: Scenario, lost: number, duplicates: number): boolean {
  const lostOk = scenario.expect.lost === 'any' || (scenario.expect.lost === 'none' ? lost === 0 : lost > 0);
  const dupOk = scenario.expect.duplicates === 'any' || (scenario.expect.duplicates === 'none' ? duplicates === 0 : duplicates > 0);
  return lostOk && dupOk;
}

/** The acks and client count a row shows: a queue workload's producers are idempotent with acks=all, one per process. */
export function rowClients(scenario: Scenario): { acks: string; producers: number } {
  const { workload } = scenario;
  if (workload.kind === 'queue') return { acks: 'all', producers: workload.processes };
  // A pipeline's input generator is an idempotent producer with acks=all.
  if (workload.kind === 'pipeline') return { acks: 'all', producers: workload.producers };
  return { acks: workload.acks, producers: workload.producers };
}

/** The row of a scenario that could not run (or not to the end). */
export function emptyRow(scenario: Scenario, verdict: string): ScenarioRow {
  const queue = scenario.workload.kind === 'queue';
  return {
    scenario: scenario.name, workload: queue ? 'queue' : 'produce', ...rowClients(scenario), sent: 0, acknowledged: 0, failed: 0, unknown: 0,
    highWatermark: null, readBack: 0, lost: 0, lostUnconfirmed: 0, duplicates: 0, reordered: 0, verdict, asExpected: false,
    anomalies: queue ? expectedAnomalyCounts(scenario) : {}, drainComplete: queue ? false : null,
  };
}

/** Zero counts for the anomalies a queue scenario expects something of (so its columns show even when it could not run). */
export function expectedAnomalyCounts(scenario: Scenario): Partial<Record<QueueAnomalyName, number>> {
  return Object.fromEntries(Object.keys(scenario.expect.anomalies ?? {}).map((name) => [name, 0]));
}

/** How the fault schedule went: faults fired, and whether any fault failed to fire or heal. */
export interface ScheduleTally {
  readonly fired: number;
  readonly problems: number;
}

/** The suite row from the exact verdict; `error` when faults failed and not all fired; as expected only when all fired. */
export function scenarioRow(scenario: Scenario, verdict: ExactVerdict, schedule: ScheduleTally): ScenarioRow {
  const highWatermark = verdict.partitions.every((p) => p.highWatermark !== null) ? verdict.partitions.reduce((sum, p) => sum + (p.highWatermark ?? 0), 0) : null;
  const lost = verdict.anomalies.lost.length;
  const duplicates = verdict.anomalies.duplicate.length;
  const allFired = schedule.fired === scenario.faults.length;
  return {
    scenario: scenario.name,
    workload: 'produce',
    ...rowClients(scenario),
    sent: verdict.counts.sent,
    acknowledged: verdict.counts.acknowledged,
    failed: verdict.counts.failed,
    unknown: verdict.counts.unknown,
    highWatermark,
    readBack: verdict.counts.readBack,
    lost,
    lostUnconfirmed: verdict.anomalies.lostUnconfirmed.length,
    duplicates,
    reordered: verdict.anomalies.reordered.length,
    verdict: schedule.problems > 0 && !allFired ? 'error' : verdict.verdict,
    asExpected: allFired && expectationMet(scenario, lost, duplicates),
    anomalies: {},
    drainComplete: null,
  };
}

/** One note per fault started or healed from another process (folded from events.jsonl into the history). */
export function foreignFaultNotes(events: readonly EventRecord[]): string[] {
  const at = (e: EventRecord): string => `${(e.timeMs / 1000).toFixed(1)} s`;
  const notes: string[] = [];
  for (const e of events) {
    if (e.event === 'fault-start') notes.push(`fault ${e.faultId ?? '?'} ${e.fault ?? ''} ${e.target ?? ''} fired from another process at ${at(e)}`.replace(/ {2,}/g, ' '));
    else if (e.event === 'fault-heal') notes.push(`fault ${e.faultId ?? '?'} healed from another process at ${at(e)}`);
    else if (e.event === 'fault-error') notes.push(`a ${e.fault ?? ''} fault from another process failed at ${at(e)}`.replace(/ {2,}/g, ' '));
  }
  return notes;
}

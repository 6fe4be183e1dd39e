import type { ExactVerdict } from '../checker/verdict.js';
import type { AvailabilityVerdict } from '../checker/availability.js';
import type { EventRecord } from '../history/operation.js';
import type { Scenario } from '../scenario/scenario.js';

/** One row of the suite table: the seed's numbers next to the exact checker's. */
export interface ScenarioRow {
  readonly scenario: string;
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
  /** Whether the outcome matches the scenario's expectation (expect.lost / expect.duplicates). */
  readonly asExpected: boolean;
}

export interface ScenarioOutcome {
  readonly name: string;
  readonly title: string;
  readonly runDir: string | null;
  readonly row: ScenarioRow;
  readonly verdict: ExactVerdict | null;
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

export const ROW_HEADERS = ['scenario', 'acks', 'producers', 'sent', 'acknowledged', 'failed', 'unknown', 'high watermark', 'read back', 'lost', 'duplicates', 'reordered', 'verdict', 'as expected'] as const;

export function rowCells(row: ScenarioRow): (string | number)[] {
  return [row.scenario, row.acks, row.producers, row.sent, row.acknowledged, row.failed, row.unknown, row.highWatermark ?? '-', row.readBack, row.lostUnconfirmed > 0 ? `${row.lost} (+${row.lostUnconfirmed} acks=0)` : row.lost, row.duplicates, row.reordered, row.verdict, row.asExpected ? 'yes' : 'NO'];
}

/** Whether the numbers match the scenario's expectation (expect.lost / expect.duplicates). */
function expectationMet(scenario: Scenario, lost: number, duplicates: number): boolean {
  const lostOk = scenario.expect.lost === 'any' || (scenario.expect.lost === 'none' ? lost === 0 : lost > 0);
  const dupOk = scenario.expect.duplicates === 'any' || duplicates === 0;
  return lostOk && dupOk;
}

/** The row of a scenario that could not run (or not to the end). */
export function emptyRow(scenario: Scenario, verdict: string): ScenarioRow {
  const { workload } = scenario;
  return {
    scenario: scenario.name, acks: workload.acks, producers: workload.producers, sent: 0, acknowledged: 0, failed: 0, unknown: 0,
    highWatermark: null, readBack: 0, lost: 0, lostUnconfirmed: 0, duplicates: 0, reordered: 0, verdict, asExpected: false,
  };
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
    acks: scenario.workload.acks,
    producers: scenario.workload.producers,
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

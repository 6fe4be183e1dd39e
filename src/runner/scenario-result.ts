import type { ExactVerdict } from '../checker/verdict.js';
import type { AvailabilityVerdict } from '../checker/availability.js';

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

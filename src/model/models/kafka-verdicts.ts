/**
 * Seed 001's question as model verdicts: for each acks setting and leader fault, does the model lose
 * acknowledged writes, in how many schedules, and how many writes at most? Rows carry the seed's
 * scenario numbers so they can be set against real-cluster runs of the same scenarios.
 */
import { checkModel } from '../check.js';
import { KAFKA_FAULTS, kafkaReplicationModel, type Acks, type KafkaFault, type KafkaRunSummary } from './kafka-replication.js';

export interface KafkaVerdict {
  readonly acks: Acks;
  readonly minInsyncReplicas: number;
  readonly fault: KafkaFault;
  /** The matching scenario of seed 001, when there is one. */
  readonly seedScenario: string | null;
  readonly schedules: number;
  /** Schedules in which at least one acknowledged write was lost. */
  readonly lossSchedules: number;
  readonly losesAcknowledgedWrites: boolean;
  /** Most acknowledged writes lost in one schedule. */
  readonly maxLost: number;
  readonly meanAcknowledged: number;
  /** The first loss, as the spec reported it. */
  readonly example: string | null;
}

export interface KafkaVerdictOptions {
  readonly schedules?: number;
  readonly seed?: number;
  readonly settings?: readonly (readonly [Acks, number])[];
  readonly faults?: readonly KafkaFault[];
}

const SEED_SCENARIOS: Record<string, string> = {
  '0/leader-crash': 'seed 001 scenario 1 (acks=0, leader killed)',
  '1/leader-crash': 'seed 001 scenario 2 (acks=1, leader killed)',
  'all/leader-crash': 'seed 001 scenario 3 (acks=all, leader killed)',
  '1/leader-isolated': 'seed 001 scenario 4 (acks=1, leader partitioned)',
};

const DEFAULT_KAFKA_SETTINGS: readonly (readonly [Acks, number])[] = [
  ['0', 1],
  ['1', 1],
  ['all', 1],
  ['all', 2],
];

export function kafkaVerdictMatrix(options: KafkaVerdictOptions = {}): KafkaVerdict[] {
  const schedules = options.schedules ?? 200;
  const rows: KafkaVerdict[] = [];
  for (const [acks, minIsr] of options.settings ?? DEFAULT_KAFKA_SETTINGS) {
    for (const fault of options.faults ?? KAFKA_FAULTS) {
      let maxLost = 0;
      let acknowledged = 0;
      let runs = 0;
      const observe = (s: KafkaRunSummary): void => {
        maxLost = Math.max(maxLost, s.lost);
        acknowledged += s.acknowledged;
        runs++;
      };
      const model = kafkaReplicationModel({ acks, minInsyncReplicas: minIsr, fault, observe });
      const r = checkModel(model, { strategy: 'random', schedules, seed: options.seed ?? 1, stopOnViolation: false, shrink: false, coverage: false });
      rows.push({
        acks,
        minInsyncReplicas: minIsr,
        fault,
        seedScenario: minIsr <= 2 ? (SEED_SCENARIOS[`${acks}/${fault}`] ?? null) : null,
        schedules: r.schedulesRun,
        lossSchedules: r.violations,
        losesAcknowledgedWrites: r.violations > 0,
        maxLost,
        meanAcknowledged: runs > 0 ? Math.round((10 * acknowledged) / runs) / 10 : 0,
        example: r.violation?.violation.message ?? null,
      });
    }
  }
  return rows;
}

/** Text table of the verdicts. */
export function formatKafkaVerdicts(rows: readonly KafkaVerdict[]): string {
  const header = 'acks  min.isr  fault                   loss in      max lost  seed 001';
  const lines = rows.map(
    (r) =>
      `${r.acks.padEnd(4)}  ${String(r.minInsyncReplicas).padEnd(7)}  ${r.fault.padEnd(22)}  ${`${r.lossSchedules}/${r.schedules}`.padEnd(11)}  ${String(r.maxLost).padEnd(8)}  ${r.seedScenario ?? ''}`,
  );
  return [header, ...lines].join('\n');
}

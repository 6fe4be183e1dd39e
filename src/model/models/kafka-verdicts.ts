/**
 * Seed 001's question as model verdicts: for each acks setting and leader fault, does the model lose
 * acknowledged writes, in how many schedules, and how many writes at most? Rows carry the seed's
 * scenario numbers so they can be set against real-cluster runs of the same scenarios
 * (src/runner/model-comparison.ts does that for a suite's results).
 */
import { checkModel } from '../check.js';
import { KAFKA_FAULTS, kafkaReplicationModel, type Acks, type KafkaFault, type KafkaRunSummary } from './kafka-replication.js';

/** What a row predicts for one real run: no schedule loses a write, some do, or (nearly) every one does. */
export type KafkaLossPrediction = 'no loss' | 'loss possible' | 'loss expected';

/** A row predicts 'loss expected' when at least this fraction of its schedules lose acknowledged writes. */
export const LOSS_EXPECTED_FRACTION = 0.9;

/** Random schedules per row and the seed, unless asked otherwise (the CLI's defaults too). */
export const KAFKA_VERDICT_DEFAULTS = { schedules: 200, seed: 1 } as const;

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
  /** lossSchedules of schedules read as a prediction for one real run (see lossPrediction). */
  readonly prediction: KafkaLossPrediction;
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

/** The scenarios of seed 001 (scenarios/kafka) each row stands for; the seed ran them all with min.insync.replicas=1. */
const SEED_SCENARIOS: Readonly<Record<string, string>> = {
  '0/leader-crash': 'seed 001 scenario 1 (acks=0, leader killed)',
  '1/leader-crash': 'seed 001 scenarios 2, 2b (acks=1, leader killed)',
  'all/leader-crash': 'seed 001 scenario 3 (acks=all, leader killed)',
  '1/leader-isolated': 'seed 001 scenarios 4, 4b (acks=1, leader partitioned)',
  'all/leader-isolated': 'seed 001 scenarios 5, 5b (acks=all, leader partitioned)',
  '1/leader-quorum-isolated': 'seed 001 scenarios 6, 6b (acks=1, leader cut from ZooKeeper); 8 (KRaft)',
  'all/leader-quorum-isolated': 'seed 001 scenario 7 (acks=all, leader cut from ZooKeeper); 9 (KRaft)',
};

/** 'loss expected' from LOSS_EXPECTED_FRACTION of the schedules up, 'loss possible' from one, else 'no loss'. */
export function lossPrediction(lossSchedules: number, schedules: number): KafkaLossPrediction {
  if (lossSchedules === 0) return 'no loss';
  return lossSchedules >= LOSS_EXPECTED_FRACTION * schedules ? 'loss expected' : 'loss possible';
}

const DEFAULT_KAFKA_SETTINGS: readonly (readonly [Acks, number])[] = [
  ['0', 1],
  ['1', 1],
  ['all', 1],
  ['all', 2],
];

export function kafkaVerdictMatrix(options: KafkaVerdictOptions = {}): KafkaVerdict[] {
  const schedules = options.schedules ?? KAFKA_VERDICT_DEFAULTS.schedules;
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
      const r = checkModel(model, { strategy: 'random', schedules, seed: options.seed ?? KAFKA_VERDICT_DEFAULTS.seed, stopOnViolation: false, shrink: false, coverage: false });
      rows.push({
        acks,
        minInsyncReplicas: minIsr,
        fault,
        seedScenario: minIsr === 1 ? (SEED_SCENARIOS[`${acks}/${fault}`] ?? null) : null,
        schedules: r.schedulesRun,
        lossSchedules: r.violations,
        losesAcknowledgedWrites: r.violations > 0,
        prediction: lossPrediction(r.violations, r.schedulesRun),
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
  const header = 'acks  min.isr  fault                   loss in      max lost  predicts       seed 001';
  const lines = rows.map(
    (r) =>
      `${r.acks.padEnd(4)}  ${String(r.minInsyncReplicas).padEnd(7)}  ${r.fault.padEnd(22)}  ${`${r.lossSchedules}/${r.schedules}`.padEnd(11)}  ${String(r.maxLost).padEnd(8)}  ${r.prediction.padEnd(13)}  ${r.seedScenario ?? ''}`.trimEnd(),
  );
  return [header, ...lines].join('\n');
}

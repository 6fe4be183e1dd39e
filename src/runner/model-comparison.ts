/**
 * The Kafka replication model's prediction next to a real run, row by row: for each scenario the model row it
 * maps to (kafka-model-row.ts), what that row predicts over many random schedules, what the run lost, and
 * whether the two agree. One real run can refute "no loss" (it lost) and "loss expected" (it lost nothing);
 * "loss possible" agrees with either outcome.
 */
import { kafkaVerdictMatrix, KAFKA_VERDICT_DEFAULTS, type KafkaLossPrediction, type KafkaVerdict } from '../model/models/kafka-verdicts.js';
import type { Scenario } from '../scenario/scenario.js';
import { kafkaModelRow, type KafkaModelRow } from './kafka-model-row.js';
import type { ScenarioRow } from './scenario-result.js';

/** Verdicts whose loss count is complete: the run finished and the checker decided. */
const CHECKED_VERDICTS: readonly string[] = ['valid', 'invalid'];

/** disagree: one run refuted the row's prediction; no result: the run has no complete loss count. */
export type ModelAgreement = 'agree' | 'disagree' | 'not modelled' | 'no result';

/** The numbers of a suite row the comparison reads (suite.json's outcomes[].row has them). */
export type ObservedRow = Pick<ScenarioRow, 'scenario' | 'lost' | 'lostUnconfirmed' | 'verdict'>;

export interface ModelPrediction extends KafkaModelRow {
  readonly prediction: KafkaLossPrediction;
  /** Schedules of the model row that lost acknowledged writes, of schedules run. */
  readonly lossSchedules: number;
  readonly schedules: number;
  /** Most acknowledged writes lost in one schedule (of the model's 30 writes). */
  readonly maxLost: number;
}

export interface ModelComparison {
  readonly scenario: string;
  /** The model row and its prediction; null when the scenario is not modelled. */
  readonly model: ModelPrediction | null;
  /** Acknowledged writes the run lost as the model counts them (acks=0: client-side deliveries too); null without a result. */
  readonly observedLost: number | null;
  readonly agreement: ModelAgreement;
  readonly reason: string;
}

/** The model verdict of one row; kafkaPredictor() runs the model, tests may pass fixed verdicts. */
export type KafkaPredictor = (row: KafkaModelRow) => KafkaVerdict;

export interface KafkaPredictorOptions {
  readonly schedules?: number;
  readonly seed?: number;
}

/** Runs the model row on first use and remembers it (a suite asks for the same rows again after each scenario). */
export function kafkaPredictor(options: KafkaPredictorOptions = {}): KafkaPredictor {
  const cache = new Map<string, KafkaVerdict>();
  const schedules = options.schedules ?? KAFKA_VERDICT_DEFAULTS.schedules;
  const seed = options.seed ?? KAFKA_VERDICT_DEFAULTS.seed;
  return (row) => {
    const key = `${row.acks}/${row.minInsyncReplicas}/${row.fault}`;
    const known = cache.get(key);
    if (known !== undefined) return known;
    const [verdict] = kafkaVerdictMatrix({ schedules, seed, settings: [[row.acks, row.minInsyncReplicas]], faults: [row.fault] });
    if (verdict === undefined) throw new Error(`kafkaVerdictMatrix returned no row for ${key}`);
    cache.set(key, verdict);
    return verdict;
  };
}

/** One comparison per row, in the rows' order; a row without a scenario of its name is not modelled. */
export function compareWithModel(scenarios: readonly Scenario[], rows: readonly ObservedRow[], predict: KafkaPredictor = kafkaPredictor()): ModelComparison[] {
  const byName = new Map(scenarios.map((s) => [s.name, s]));
  return rows.map((row) => {
    const scenario = byName.get(row.scenario);
    if (scenario === undefined) return { scenario: row.scenario, model: null, observedLost: null, agreement: 'not modelled', reason: 'no scenario of this name to map to a model row' };
    return compareRow(scenario, row, predict);
  });
}

function compareRow(scenario: Scenario, row: ObservedRow, predict: KafkaPredictor): ModelComparison {
  const mapping = kafkaModelRow(scenario);
  if (!mapping.modelled) return { scenario: row.scenario, model: null, observedLost: null, agreement: 'not modelled', reason: mapping.reason };
  const verdict = predict(mapping.row);
  const model: ModelPrediction = {
    ...mapping.row,
    prediction: verdict.prediction,
    lossSchedules: verdict.lossSchedules,
    schedules: verdict.schedules,
    maxLost: verdict.maxLost,
  };
  const odds = `the model loses writes in ${verdict.lossSchedules}/${verdict.schedules} schedules`;
  if (!CHECKED_VERDICTS.includes(row.verdict)) {
    return { scenario: row.scenario, model, observedLost: null, agreement: 'no result', reason: `the run's verdict is ${row.verdict}, so its loss count is not one to compare; ${odds}` };
  }
  const observedLost = mapping.row.acks === '0' ? row.lost + row.lostUnconfirmed : row.lost;
  const lostText = `the run lost ${observedLost}${mapping.row.acks === '0' ? ' (acks=0 sends the model counts as delivered)' : ''}`;
  const refuted = (verdict.prediction === 'no loss' && observedLost > 0) || (verdict.prediction === 'loss expected' && observedLost === 0);
  return { scenario: row.scenario, model, observedLost, agreement: refuted ? 'disagree' : 'agree', reason: `${odds}; ${lostText}` };
}

/** Whether any comparison maps to a model row (a suite shows the model columns only then). */
export function anyModelled(comparisons: readonly ModelComparison[]): boolean {
  return comparisons.some((c) => c.model !== null);
}

import { QUEUE_ANOMALY_NAMES, type QueueAnomalyName } from '../checker/queue-verdict.js';
import { DUPLICATE_EXPECTATIONS, KEY_COUNT_EXPECTATIONS, LOSS_EXPECTATIONS, type AnomalyExpectation, type ScenarioExpectation, type WorkloadKind } from './scenario.js';
import type { YamlField } from './yaml-field.js';

const PRODUCE_EXPECT_KEYS = ['lost', 'duplicates'];
const PIPELINE_EXPECT_KEYS = ['lost', 'duplicates', 'lateDrops', 'keyCounts'];
const QUEUE_EXPECT_KEYS = ['anomalies'];
/** Every key an `expect` section may have, for some workload kind (the schema lists these). */
export const EXPECT_KEYS: readonly string[] = [...new Set([...PRODUCE_EXPECT_KEYS, ...PIPELINE_EXPECT_KEYS, ...QUEUE_EXPECT_KEYS])];

/** No expectation: any loss, any duplicates (a queue scenario: no anomaly expectations, the verdict decides). */
const NO_EXPECTATION: ScenarioExpectation = { lost: 'any', duplicates: 'any' };

/** `anomalies: { G1a: none, ... }`: a name the queue checker does not report is refused, listing the names it does. */
function readAnomalies(field: YamlField): Partial<Record<QueueAnomalyName, AnomalyExpectation>> {
  const map = field.map().only(QUEUE_ANOMALY_NAMES);
  const out: Partial<Record<QueueAnomalyName, AnomalyExpectation>> = {};
  for (const name of map.keys() as QueueAnomalyName[]) out[name] = map.field(name).oneOf(LOSS_EXPECTATIONS, 'anomaly expectation');
  return out;
}

/** The `expect` section: lost / duplicates for producer workloads (pipelines: also lateDrops, keyCounts), anomalies for a queue workload. */
export function readExpectation(field: YamlField | undefined, kind: WorkloadKind): ScenarioExpectation {
  if (!field) return kind === 'queue' ? { ...NO_EXPECTATION, anomalies: {} } : NO_EXPECTATION;
  if (kind === 'queue') {
    const map = field.map().only(QUEUE_EXPECT_KEYS);
    const anomalies = map.optional('anomalies');
    return { ...NO_EXPECTATION, anomalies: anomalies ? readAnomalies(anomalies) : {} };
  }
  const map = field.map().only(kind === 'pipeline' ? PIPELINE_EXPECT_KEYS : PRODUCE_EXPECT_KEYS);
  const lateDrops = map.optional('lateDrops')?.oneOf(LOSS_EXPECTATIONS, 'late drops expectation');
  const keyCounts = map.optional('keyCounts')?.oneOf(KEY_COUNT_EXPECTATIONS, 'key counts expectation');
  return {
    lost: map.optional('lost')?.oneOf(LOSS_EXPECTATIONS, 'loss expectation') ?? 'any',
    duplicates: map.optional('duplicates')?.oneOf(DUPLICATE_EXPECTATIONS, 'duplicates expectation') ?? 'any',
    ...(lateDrops !== undefined ? { lateDrops } : {}),
    ...(keyCounts !== undefined ? { keyCounts } : {}),
  };
}

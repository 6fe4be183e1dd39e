import { produceOptionProblems } from '../workload/produce-limits.js';
import type { YamlMapReader } from './yaml-field.js';

/** The sizes and producer options a producing workload section sets (a produce workload, or a pipeline's input). */
export interface ProducingWorkloadSizes {
  readonly producers: number;
  readonly idempotent: boolean;
  readonly retries?: number | undefined;
  readonly timeoutMs?: number | undefined;
  readonly valueSizeBytes?: number | undefined;
  readonly count: number;
  readonly fullCount: number;
  readonly rateMsgsPerSec: number;
  readonly fullRateMsgsPerSec: number;
}

/**
 * The produce workload's own validator, run on the scaled and the full sizes, so a scenario the workload
 * would refuse (count: 1e300) is refused here, positioned at the key that is wrong (fullCount when that is the
 * one too large), before any cluster starts.
 */
export function checkWorkloadLimits(map: YamlMapReader, workload: ProducingWorkloadSizes): void {
  const shared = { producers: workload.producers, idempotent: workload.idempotent, retries: workload.retries, timeoutMs: workload.timeoutMs, valueSizeBytes: workload.valueSizeBytes };
  const sizes = [
    { countPerProducer: workload.count, rateMsgsPerSec: workload.rateMsgsPerSec, keys: { countPerProducer: 'count', rateMsgsPerSec: 'rateMsgsPerSec' } },
    { countPerProducer: workload.fullCount, rateMsgsPerSec: workload.fullRateMsgsPerSec, keys: { countPerProducer: 'fullCount', rateMsgsPerSec: 'fullRateMsgsPerSec' } },
  ];
  for (const { keys, ...size } of sizes) {
    const [problem] = produceOptionProblems({ ...shared, ...size });
    if (!problem) continue;
    const key = (keys as Partial<Record<string, string>>)[problem.field] ?? problem.field;
    const field = map.has(key) ? map.field(key) : map.field(key === 'fullCount' ? 'count' : key === 'fullRateMsgsPerSec' ? 'rateMsgsPerSec' : key);
    field.fail(problem.message);
  }
}

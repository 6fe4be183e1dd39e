/**
 * Workload1's sizes as registry parameters (`batch-size`: records per published batch, P: 50;
 * `kafka-batch`: records a Kafka hands its consumer at once, P: 5; `order-keys` where the scenario
 * checks order per key) and the smaller versions of a
 * Workload1 model the shrinker tries (`ModelDef.reductions`).
 *
 * What a reduction keeps: the test script (P's three batches, faults after batch 1 is delivered and
 * before batch 2, or at a point of batch 2 for random timing) does not depend on the sizes, so every
 * smaller model still runs the scenario's faults at the scenario's point. Sizes are kept whole Kafka
 * batches per region (`batch-size` a multiple of 2 x `kafka-batch` with alternating routing): P's Kafka
 * never hands out a partial batch, so other sizes strand records in Kafka, a violation of their own.
 * The number of batches is not a size: P's failure tests are three batches (before, during and after
 * the faults) and the base test one.
 */
import { UsageError } from '../../errors.js';
import type { ModelDef, ModelReduction } from '../model.js';
import type { ModelParam } from './registry.js';
import type { Workload1Options } from './workload1/options.js';

const WORKLOAD1_SIZE_PARAMS = { batchSize: 'batch-size', kafkaBatch: 'kafka-batch', orderKeys: 'order-keys' } as const;
const WORKLOAD1_SIZE_LIMITS = { batchSize: { min: 1, max: 500 }, kafkaBatch: { min: 1, max: 50 }, orderKeys: { min: 1, max: 50 } } as const;
/** Reductions offered per model at most (the shrinker tries them in order and takes the first that fails alike). */
const MAX_WORKLOAD1_REDUCTIONS = 6;

type Sizes = Pick<Workload1Options, 'batchSize' | 'kafkaBatch' | 'orderKeys'>;
type Builder = (sizes: Sizes) => ModelDef;

/** The size parameters of a scenario (`order-keys` only where the scenario checks order). */
export function workload1SizeParams(defaults: Sizes): readonly ModelParam[] {
  const orderKeys: ModelParam[] =
    defaults.orderKeys > 0
      ? [{ name: WORKLOAD1_SIZE_PARAMS.orderKeys, description: 'keys of the order check (key = record id mod order-keys; odd: consecutive ids of a key alternate regions)', integer: WORKLOAD1_SIZE_LIMITS.orderKeys, default: String(defaults.orderKeys) }]
      : [];
  return [
    {
      name: WORKLOAD1_SIZE_PARAMS.batchSize,
      description: 'records per published batch (P: 50); a multiple of 2 x kafka-batch with alternating routing',
      integer: WORKLOAD1_SIZE_LIMITS.batchSize,
      default: String(defaults.batchSize),
    },
    { name: WORKLOAD1_SIZE_PARAMS.kafkaBatch, description: 'records a Kafka hands its consumer at once (P: 5)', integer: WORKLOAD1_SIZE_LIMITS.kafkaBatch, default: String(defaults.kafkaBatch) },
    ...orderKeys,
  ];
}

/** Records per batch must be a multiple of this: each region gets whole Kafka batches. */
function batchMultiple(routing: Workload1Options['routing'], kafkaBatch: number): number {
  return routing === 'alternate' ? 2 * kafkaBatch : kafkaBatch;
}

/** The sizes the parameters give (resolved by the registry: whole numbers in range), checked against each other. */
export function workload1SizesFromParams(name: string, routing: Workload1Options['routing'], p: Readonly<Record<string, string>>, defaults: Sizes): Sizes {
  const batchSize = Number(p[WORKLOAD1_SIZE_PARAMS.batchSize] ?? defaults.batchSize);
  const kafkaBatch = Number(p[WORKLOAD1_SIZE_PARAMS.kafkaBatch] ?? defaults.kafkaBatch);
  const orderKeys = Number(p[WORKLOAD1_SIZE_PARAMS.orderKeys] ?? defaults.orderKeys);
  const multiple = batchMultiple(routing, kafkaBatch);
  if (batchSize % multiple !== 0) {
    const why = routing === 'alternate' ? `2 x ${WORKLOAD1_SIZE_PARAMS.kafkaBatch} ${kafkaBatch}: each region gets` : `${WORKLOAD1_SIZE_PARAMS.kafkaBatch} ${kafkaBatch}: Kafka hands out`;
    throw new UsageError(`model ${name}: ${WORKLOAD1_SIZE_PARAMS.batchSize} must be a multiple of ${multiple} (${why} whole Kafka batches), got '${batchSize}'`);
  }
  return { batchSize, kafkaBatch, orderKeys };
}

/**
 * Smaller sizes, smallest first, out of: P's Kafka batch with one and two Kafka batches per region, a
 * quarter and half the records; a Kafka batch of 1 (2 and 4 records per batch, a quarter, half, all the records);
 * with an order check, also one key (every record of one key: the first two records are enough).
 */
function smallerSizes(o: Workload1Options): Sizes[] {
  const out = new Map<string, Sizes>();
  const orderKeys = o.orderKeys > 0 ? [...new Set([1, o.orderKeys])] : [0];
  for (const kafkaBatch of [...new Set([o.kafkaBatch, 1])]) {
    const multiple = batchMultiple(o.routing, kafkaBatch);
    const part = (divisor: number): number => Math.floor(o.batchSize / divisor / multiple) * multiple;
    for (const batchSize of [multiple, 2 * multiple, part(4), part(2), o.batchSize]) {
      for (const keys of orderKeys) {
        const smaller = batchSize < o.batchSize || kafkaBatch < o.kafkaBatch || keys < o.orderKeys;
        if (batchSize >= multiple && batchSize <= o.batchSize && smaller) out.set(`${batchSize}/${kafkaBatch}/${keys}`, { batchSize, kafkaBatch, orderKeys: keys });
      }
    }
  }
  // Smallest first: the shrinker takes the first that fails alike and spends its budget shrinking there.
  const sorted = [...out.values()].sort((a, b) => a.batchSize - b.batchSize || a.orderKeys - b.orderKeys || b.kafkaBatch - a.kafkaBatch);
  return sorted.slice(0, MAX_WORKLOAD1_REDUCTIONS);
}

function label(sizes: Sizes): string {
  const keys = sizes.orderKeys > 0 ? ` ${WORKLOAD1_SIZE_PARAMS.orderKeys} ${sizes.orderKeys}` : '';
  return `${WORKLOAD1_SIZE_PARAMS.batchSize} ${sizes.batchSize} ${WORKLOAD1_SIZE_PARAMS.kafkaBatch} ${sizes.kafkaBatch}${keys}`;
}

function params(sizes: Sizes): Record<string, string> {
  const out: Record<string, string> = { [WORKLOAD1_SIZE_PARAMS.batchSize]: String(sizes.batchSize), [WORKLOAD1_SIZE_PARAMS.kafkaBatch]: String(sizes.kafkaBatch) };
  if (sizes.orderKeys > 0) out[WORKLOAD1_SIZE_PARAMS.orderKeys] = String(sizes.orderKeys);
  return out;
}

export function workload1Reductions(o: Workload1Options, build: Builder): ModelReduction[] {
  return smallerSizes(o).map((sizes) => ({ label: label(sizes), params: params(sizes), build: () => build(sizes) }));
}

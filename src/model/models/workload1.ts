/**
 * Seed 003, Workload1, as the public P model defines it (aws-samples/p-model-transaction-processing-systems,
 * TPS/PSrc and TPS/PTst/Workload1): machine for machine and event for event, see
 * docs/modelling.md section 7 for the mapping and the differences kept on purpose.
 *
 *   RecordSource -> InDNS (alternating) -> Receiver[r] -> ReceiverDatabase (3 regional replicas)
 *     -> Validator[r] -> ValidatorDatabase -> InboundKafka[r] -> Processor[r] -> ProcessorDatabase
 *     -> OutboundKafka[r] -> OutDNS -> RecordDestination
 *
 * The machines live in ./workload1/ (one per file); this file builds the model.
 */
import type { ModelDef } from '../model.js';
import { workload1Reductions } from './workload1-sizes.js';
import { workload1Spec } from './workload1-spec.js';
import { Workload1Driver } from './workload1/driver.js';
import { resolveWorkload1Options, type Workload1Options, type Workload1Test } from './workload1/options.js';

export { WORKLOAD1_DEFAULTS } from './workload1/options.js';
export type { Dedupe, FaultTiming, Routing, Workload1Options, Workload1Test } from './workload1/options.js';
/** A Workload1 scenario is one of P's tests (the name the public API exports it under). */
export type Scenario = Workload1Test;

/** Steps per record and per run: generous, so only a livelock (a consumer polling a failed Kafka forever) reaches it. */
const MAX_STEPS_PER_RECORD = 200;
const MAX_STEPS_BASE = 2000;

export function workload1Model(name: string, description: string, overrides: Partial<Workload1Options> = {}): ModelDef {
  const options = resolveWorkload1Options(overrides);
  const records = options.batches * options.batchSize;
  // Defined once per model: definitions are compiled once and cached by identity.
  const spec = workload1Spec({ records, orderKeys: options.orderKeys });
  return {
    name,
    description,
    maxSteps: MAX_STEPS_BASE + records * MAX_STEPS_PER_RECORD,
    timeAdvance: 'idle',
    // Fewer records per batch (and a Kafka batch of 1): the same script, faults at the same point.
    reductions: () => workload1Reductions(options, (sizes) => workload1Model(name, description, { ...overrides, ...sizes })),
    setup(ctx) {
      ctx.monitor(spec);
      ctx.create(Workload1Driver, options, 'Driver');
    },
  };
}

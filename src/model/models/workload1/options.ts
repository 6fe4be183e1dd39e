/** Workload1 model options: which P test, when its faults fire, and the knobs P fixes. */
import { UsageError } from '../../../errors.js';

/** P's tests (PTst/Workload1/PTst): TestWorkload1, F1 (container), F2 (database), F3 (Kafka), F4 (random), Failover. */
export type Workload1Test = 'base' | 'f1' | 'f2' | 'f3' | 'f4' | 'failover';

/** 'p': faults after batch 1 is delivered, before batch 2 (P's drivers); 'random': at a scheduler-chosen point during batch 2. */
export type FaultTiming = 'p' | 'random';

/**
 * In-DNS routing: 'alternate' (P: strict alternation, a region switch only after a success),
 * 'random' (a weighted choice per record), 'active-passive' (everything to region 1 until failover).
 */
export type Routing = 'alternate' | 'random' | 'active-passive';

/**
 * 'off' (P, and real Kafka without transactions): every send is appended and every read delivered.
 * 'idempotent': each Kafka drops a record id it already holds (an idempotent producer keyed by record
 * id; Kafka's own idempotent producer only drops its retries of one send) and the destination drops an
 * id it already received (an idempotent consumer): P's learning #5 fix, "make components idempotent".
 */
export type Dedupe = 'off' | 'idempotent';

export interface Workload1Options {
  readonly test: Workload1Test;
  readonly timing: FaultTiming;
  readonly routing: Routing;
  readonly dedupe: Dedupe;
  /** Batches the driver publishes (P: 1 for the base test, 3 for the others). */
  readonly batches: number;
  /** Records per batch (P: 50). */
  readonly batchSize: number;
  /** Records a Kafka hands to its consumer at once (P: `batch = 5` in Workload1System.p). */
  readonly kafkaBatch: number;
  /** In-DNS weights per region for 'random' routing. */
  readonly regionWeights: readonly [number, number];
  /** Check order per key at the destination (key = id mod orderKeys); 0: no order check. */
  readonly orderKeys: number;
  /** Planted bug: the processor removes records from inbound Kafka before it writes them to outbound Kafka. */
  readonly broken: boolean;
  /** F4: re-publish batch 2 when the source reported a failure (P does; false tests learning #6). */
  readonly republish: boolean;
  /**
   * Random timing: the driver waits up to this many of its own steps into batch 2 before the faults
   * (default: MAX_FAULT_DELAY_STEPS_PER_RECORD per record of a batch, so a smaller batch keeps the faults within it).
   */
  readonly maxFaultDelaySteps: number;
}

export const WORKLOAD1_DEFAULTS: Workload1Options = {
  test: 'f3',
  timing: 'p',
  routing: 'alternate',
  dedupe: 'off',
  batches: 3,
  batchSize: 50,
  kafkaBatch: 5,
  regionWeights: [60, 40],
  orderKeys: 0,
  broken: false,
  republish: true,
  maxFaultDelaySteps: 400,
};

/** Random timing's delay bound per record of a batch (400 for P's 50). */
const MAX_FAULT_DELAY_STEPS_PER_RECORD = 8;

/** P's base test publishes one batch; the failure tests three. */
const P_BASE_BATCHES = 1;
const P_FAILURE_TEST_BATCHES = 3;

export function resolveWorkload1Options(overrides: Partial<Workload1Options>): Workload1Options {
  const test = overrides.test ?? WORKLOAD1_DEFAULTS.test;
  const batches = overrides.batches ?? (test === 'base' ? P_BASE_BATCHES : P_FAILURE_TEST_BATCHES);
  const batchSize = overrides.batchSize ?? WORKLOAD1_DEFAULTS.batchSize;
  const maxFaultDelaySteps = overrides.maxFaultDelaySteps ?? MAX_FAULT_DELAY_STEPS_PER_RECORD * batchSize;
  const o: Workload1Options = { ...WORKLOAD1_DEFAULTS, ...overrides, test, batches, maxFaultDelaySteps };
  const positive: (keyof Workload1Options)[] = ['batches', 'batchSize', 'kafkaBatch'];
  for (const key of positive) {
    const v = o[key] as number;
    if (!Number.isSafeInteger(v) || v < 1) throw new UsageError(`workload1 ${key}: must be a positive integer, got ${v}`);
  }
  if (test !== 'base' && o.batches !== P_FAILURE_TEST_BATCHES) {
    throw new UsageError(`workload1 batches: the ${test} test follows P's ${P_FAILURE_TEST_BATCHES} batches, got ${o.batches}`);
  }
  if (!Number.isSafeInteger(o.orderKeys) || o.orderKeys < 0) throw new UsageError(`workload1 orderKeys: must be 0 or a positive integer, got ${o.orderKeys}`);
  if (!Number.isSafeInteger(o.maxFaultDelaySteps) || o.maxFaultDelaySteps < 0) {
    throw new UsageError(`workload1 maxFaultDelaySteps: must be a non-negative integer, got ${o.maxFaultDelaySteps}`);
  }
  return o;
}

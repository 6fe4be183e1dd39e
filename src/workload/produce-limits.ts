import { UsageError } from '../errors.js';

/** Concurrent producers per produce workload (each its own client instance). */
export const MAX_PRODUCERS = 64;
/** Messages per producer. */
export const MAX_COUNT_PER_PRODUCER = 1_000_000_000;
/** Message value size. */
export const MAX_VALUE_SIZE_BYTES = 1_000_000;
export const DEFAULT_VALUE_SIZE_BYTES = 100;
/** Producer delivery timeout (message.timeout.ms). */
export const MAX_DELIVERY_TIMEOUT_MS = 3_600_000;
/** Producer retries (librdkafka's message.send.max.retries is a 32-bit int). */
export const MAX_RETRIES = 2_147_483_647;

/** The produce options a validator can judge without a cluster (field names as in ProduceOptions). */
export interface ProduceLimitsInput {
  readonly topic?: string;
  readonly countPerProducer: number;
  readonly rateMsgsPerSec: number;
  readonly producers: number;
  readonly idempotent?: boolean;
  readonly retries?: number;
  readonly timeoutMs?: number;
  readonly valueSizeBytes?: number;
}

export interface ProduceOptionProblem {
  readonly field: keyof ProduceLimitsInput;
  /** What is wrong, without the field name: `expected a whole number 1..1000000000, got 1e+300`. */
  readonly message: string;
}

/** Why an optional whole number is out of [min, max], or null when it is absent or fits (the workloads' limit checks share it). */
export function wholeProblem(value: number | undefined, min: number, max: number): string | null {
  if (value === undefined || (Number.isSafeInteger(value) && value >= min && value <= max)) return null;
  return `expected a whole number ${min}..${max}, got ${value}`;
}

/** Every problem with the options, in field order; empty when the workload would accept them. Pure. */
export function produceOptionProblems(options: ProduceLimitsInput): ProduceOptionProblem[] {
  const problems: ProduceOptionProblem[] = [];
  const add = (field: keyof ProduceLimitsInput, message: string | null): void => {
    if (message !== null) problems.push({ field, message });
  };
  if (options.topic !== undefined && options.topic === '') add('topic', 'required');
  add('countPerProducer', wholeProblem(options.countPerProducer, 1, MAX_COUNT_PER_PRODUCER));
  add('rateMsgsPerSec', options.rateMsgsPerSec > 0 ? null : `expected messages per second > 0, got ${options.rateMsgsPerSec}`);
  add('producers', wholeProblem(options.producers, 1, MAX_PRODUCERS));
  add('retries', wholeProblem(options.retries, 0, MAX_RETRIES));
  if (options.idempotent === true && options.retries === 0) add('retries', 'an idempotent producer needs retries > 0 (Kafka rejects idempotence with retries 0)');
  add('timeoutMs', wholeProblem(options.timeoutMs, 1, MAX_DELIVERY_TIMEOUT_MS));
  add('valueSizeBytes', wholeProblem(options.valueSizeBytes, 1, MAX_VALUE_SIZE_BYTES));
  return problems;
}

/**
 * Throws UsageError `<field>: <problem>` for the first problem. `fieldNames` renames fields for callers
 * whose options spell them differently (the slow producer's `count`, a scenario's `workload.count`).
 */
export function validateProduceOptions(options: ProduceLimitsInput, fieldNames: Partial<Record<keyof ProduceLimitsInput, string>> = {}): void {
  const [first] = produceOptionProblems(options);
  if (first) throw new UsageError(`${fieldNames[first.field] ?? first.field}: ${first.message}`);
}

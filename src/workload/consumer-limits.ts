// STAND-IN (part A): helper B owns this file and replaces it at merge; same shape as produce-limits.ts.

/** Members of one consumer group workload (each its own client instance). */
export const MAX_CONSUMER_MEMBERS = 32;
/** Consumer session timeout. */
const MAX_SESSION_TIMEOUT_MS = 3_600_000;

/** The consumer-group options a validator can judge without a cluster. */
export interface ConsumerGroupLimitsInput {
  readonly members: number;
  readonly sessionTimeoutMs?: number;
}

export interface ConsumerGroupOptionProblem {
  readonly field: keyof ConsumerGroupLimitsInput;
  readonly message: string;
}

function wholeProblem(value: number | undefined, min: number, max: number): string | null {
  if (value === undefined || (Number.isSafeInteger(value) && value >= min && value <= max)) return null;
  return `expected a whole number ${min}..${max}, got ${value}`;
}

/** Every problem with the options, in field order; empty when the workload would accept them. Pure. */
export function consumerGroupOptionProblems(options: ConsumerGroupLimitsInput): ConsumerGroupOptionProblem[] {
  const problems: ConsumerGroupOptionProblem[] = [];
  const add = (field: keyof ConsumerGroupLimitsInput, message: string | null): void => {
    if (message !== null) problems.push({ field, message });
  };
  add('members', wholeProblem(options.members, 1, MAX_CONSUMER_MEMBERS));
  add('sessionTimeoutMs', wholeProblem(options.sessionTimeoutMs, 1, MAX_SESSION_TIMEOUT_MS));
  return problems;
}

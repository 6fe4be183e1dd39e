import { wholeProblem } from './produce-limits.js';
import { UsageError } from '../errors.js';
import { topicNameProblem } from '../kafka/topic-name.js';

/** Members of one consumer group workload (each its own client instance). */
export const MAX_CONSUMER_MEMBERS = 16;
/** Bound on a consumer group's run (a day). */
export const MAX_CONSUMER_DURATION_MS = 86_400_000;
/** Default bound on a consumer group's run when none is given (an hour). */
export const DEFAULT_CONSUMER_DURATION_MS = 3_600_000;
/** Bound on the drain at stop: how long the group may take to reach the end offsets. */
export const MAX_DRAIN_TIMEOUT_MS = 600_000;
export const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;
/** Bound on one sync commit (the member polls again after it, committed or not). */
export const MAX_COMMIT_TIMEOUT_MS = 120_000;
export const DEFAULT_COMMIT_TIMEOUT_MS = 10_000;
/** Kafka's session timeout range on a default broker (group.min/max.session.timeout.ms). */
export const MIN_SESSION_TIMEOUT_MS = 6_000;
export const MAX_SESSION_TIMEOUT_MS = 300_000;
export const DEFAULT_SESSION_TIMEOUT_MS = 10_000;
/** Records per poll. */
export const MAX_POLL_RECORDS = 100_000;
export const DEFAULT_POLL_RECORDS = 500;

export const COMMIT_MODES = ['sync', 'auto'] as const;
/** sync: after each poll batch, commit its offsets and wait for the answer; auto: librdkafka's auto-commit. */
export type CommitMode = (typeof COMMIT_MODES)[number];

const GROUP_ID_MAX_LENGTH = 249;

/** The consumer-group options a validator can judge without a cluster (field names as in ConsumerGroupOptions). */
export interface ConsumerLimitsInput {
  readonly topic: string;
  readonly group: string;
  readonly members: number;
  readonly commit: CommitMode;
  readonly durationMs?: number;
  readonly drainTimeoutMs?: number;
  readonly commitTimeoutMs?: number;
  readonly sessionTimeoutMs?: number;
  readonly pollRecords?: number;
  /** Member names start at c<firstMemberIndex>. */
  readonly firstMemberIndex?: number;
}

export interface ConsumerOptionProblem {
  readonly field: keyof ConsumerLimitsInput;
  /** What is wrong, without the field name: `expected a whole number 1..16, got 17`. */
  readonly message: string;
}

function groupProblem(group: string): string | null {
  if (typeof group !== 'string' || group === '') return 'required';
  if (group.length > GROUP_ID_MAX_LENGTH) return `at most ${GROUP_ID_MAX_LENGTH} characters, got ${group.length}`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  return /[\u0000-\u001f\u007f]/.test(group) ? 'control characters are not allowed' : null;
}

/** Every problem with the options, in field order; empty when the workload would accept them. Pure. */
export function consumerGroupOptionProblems(options: ConsumerLimitsInput): ConsumerOptionProblem[] {
  const problems: ConsumerOptionProblem[] = [];
  const add = (field: keyof ConsumerLimitsInput, message: string | null): void => {
    if (message !== null) problems.push({ field, message });
  };
  add('topic', typeof options.topic !== 'string' || options.topic === '' ? 'required' : (topicNameProblem(options.topic) ?? null));
  add('group', groupProblem(options.group));
  add('members', wholeProblem(options.members, 1, MAX_CONSUMER_MEMBERS));
  add('commit', (COMMIT_MODES as readonly unknown[]).includes(options.commit) ? null : `expected ${COMMIT_MODES.join(' or ')}, got ${JSON.stringify(options.commit)}`);
  add('durationMs', wholeProblem(options.durationMs, 1, MAX_CONSUMER_DURATION_MS));
  add('drainTimeoutMs', wholeProblem(options.drainTimeoutMs, 0, MAX_DRAIN_TIMEOUT_MS));
  add('commitTimeoutMs', wholeProblem(options.commitTimeoutMs, 1, MAX_COMMIT_TIMEOUT_MS));
  add('sessionTimeoutMs', wholeProblem(options.sessionTimeoutMs, MIN_SESSION_TIMEOUT_MS, MAX_SESSION_TIMEOUT_MS));
  add('pollRecords', wholeProblem(options.pollRecords, 1, MAX_POLL_RECORDS));
  add('firstMemberIndex', wholeProblem(options.firstMemberIndex, 0, 1_000_000));
  return problems;
}

/** Throws UsageError `<field>: <problem>` for the first problem. */
export function validateConsumerGroupOptions(options: ConsumerLimitsInput): void {
  const [first] = consumerGroupOptionProblems(options);
  if (first) throw new UsageError(`${first.field}: ${first.message}`);
}

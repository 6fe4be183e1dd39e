import { wholeProblem } from '../produce-limits.js';
import { topicNameProblem } from '../../kafka/topic-name.js';
import type { OpSink } from '../op-sink.js';
import type { IsolationMode } from '../read-back.js';
import { ISOLATION_MODES } from '../read-back.js';

/** Client processes of one queue workload (each with its own producer and consumer). */
export const MAX_QUEUE_PROCESSES = 16;
/** Bound on operations per process (benchmarks go to millions of ops in total). */
export const MAX_QUEUE_OPS_PER_PROCESS = 10_000_000;
/** Bound on sends in one send or txn operation. */
export const MAX_SENDS_PER_OP = 100;
/** Bound on the whole run (a day). */
export const MAX_QUEUE_DURATION_MS = 86_400_000;
export const DEFAULT_QUEUE_DURATION_MS = 600_000;
/** Bound on the final drain. */
export const MAX_QUEUE_DRAIN_MS = 600_000;
export const DEFAULT_QUEUE_DRAIN_MS = 60_000;
/** Bound on one client call (a send's delivery, a poll, a commit, a transaction step). */
export const DEFAULT_QUEUE_CALL_TIMEOUT_MS = 10_000;
export const MAX_QUEUE_CALL_TIMEOUT_MS = 120_000;
/** Records one poll returns at most. */
export const QUEUE_POLL_RECORDS = 200;

export const CONSUMER_MODES = ['assign', 'subscribe'] as const;
/** assign: each process reads every partition by hand; subscribe: the processes share one consumer group. */
export type ConsumerMode = (typeof CONSUMER_MODES)[number];

/** Relative weights of the operations a process picks from (only their ratios matter). */
export interface QueueMix {
  readonly send: number;
  readonly poll: number;
  readonly txn: number;
}

export interface QueueWorkloadOptions {
  readonly bootstrap: string;
  readonly topic: string;
  /** Partitions of the topic (the workload sends to each by number). */
  readonly partitions: number;
  readonly sink: OpSink;
  readonly processes: number;
  /** Each process stops after this many operations, or at durationMs, whichever comes first. */
  readonly opsPerProcess: number;
  readonly durationMs?: number;
  /** Operations per second per process; Infinity = as fast as they complete. */
  readonly rateOpsPerSec: number;
  readonly mix: QueueMix;
  /** Sends and txns go through a transactional producer (txn ops need it). */
  readonly transactional: boolean;
  readonly isolation: IsolationMode;
  readonly consumerMode: ConsumerMode;
  /** The consumer group (subscribe) or the prefix of each process's own group (assign). */
  readonly group: string;
  /** Sends in one send or txn operation: 1..maxSendsPerOp, drawn per operation. */
  readonly maxSendsPerOp: number;
  /** Chance that a committed txn is aborted on purpose instead (0..1): aborted writes a reader must never see. */
  readonly abortProbability: number;
  /** Chance per operation that the process crashes first: its clients torn down without closing, then new ones. */
  readonly crashProbability: number;
  /**
   * After an aborted txn that polled, seek the consumer back to the first offset the txn read (default true:
   * what a correct consume-transform-produce loop does). false reproduces KAFKA-17582: the position stays
   * past the aborted reads, and the checker reports abort-rewind.
   */
  readonly rewindOnAbort?: boolean;
  readonly seed: number;
  readonly callTimeoutMs?: number;
  readonly drainTimeoutMs?: number;
  /** Stops the processes early (they finish the operation in flight); the drain still runs. */
  readonly signal?: AbortSignal;
  /** Called after each operation a process completed (its attempt, whatever the outcome), with the total so far over every process. */
  readonly onOp?: (completedOps: number) => void;
}

type LimitsInput = Omit<QueueWorkloadOptions, 'bootstrap' | 'sink' | 'signal' | 'onOp'>;

export interface QueueOptionProblem {
  readonly field: string;
  readonly message: string;
}

function chanceProblem(value: number): string | null {
  return Number.isFinite(value) && value >= 0 && value <= 1 ? null : `expected a number 0..1, got ${value}`;
}

function mixProblems(mix: QueueMix, transactional: boolean): QueueOptionProblem[] {
  const problems: QueueOptionProblem[] = [];
  for (const key of ['send', 'poll', 'txn'] as const) {
    const value = mix[key];
    if (!Number.isFinite(value) || value < 0) problems.push({ field: `mix.${key}`, message: `expected a weight >= 0, got ${value}` });
  }
  if (mix.send + mix.poll + mix.txn <= 0) problems.push({ field: 'mix', message: 'at least one weight must be above 0' });
  if (mix.txn > 0 && !transactional) problems.push({ field: 'mix.txn', message: 'txn operations need transactional: true' });
  return problems;
}

/** Every problem with the options, in field order; empty when the workload would accept them. Pure. */
export function queueOptionProblems(options: LimitsInput): QueueOptionProblem[] {
  const problems: QueueOptionProblem[] = [];
  const add = (field: string, message: string | null): void => {
    if (message !== null) problems.push({ field, message });
  };
  add('topic', options.topic === '' ? 'required' : (topicNameProblem(options.topic) ?? null));
  add('partitions', wholeProblem(options.partitions, 1, 10_000));
  add('processes', wholeProblem(options.processes, 1, MAX_QUEUE_PROCESSES));
  add('opsPerProcess', wholeProblem(options.opsPerProcess, 1, MAX_QUEUE_OPS_PER_PROCESS));
  add('durationMs', wholeProblem(options.durationMs, 1, MAX_QUEUE_DURATION_MS));
  const rate = options.rateOpsPerSec;
  add('rateOpsPerSec', rate === Infinity || (Number.isFinite(rate) && rate > 0) ? null : `expected a rate above 0 (or Infinity), got ${rate}`);
  problems.push(...mixProblems(options.mix, options.transactional));
  add('isolation', (ISOLATION_MODES as readonly unknown[]).includes(options.isolation) ? null : `expected ${ISOLATION_MODES.join(' or ')}, got ${JSON.stringify(options.isolation)}`);
  add('consumerMode', (CONSUMER_MODES as readonly unknown[]).includes(options.consumerMode) ? null : `expected ${CONSUMER_MODES.join(' or ')}, got ${JSON.stringify(options.consumerMode)}`);
  add('group', options.group === '' ? 'required' : null);
  add('maxSendsPerOp', wholeProblem(options.maxSendsPerOp, 1, MAX_SENDS_PER_OP));
  add('abortProbability', chanceProblem(options.abortProbability));
  add('crashProbability', chanceProblem(options.crashProbability));
  add('seed', Number.isSafeInteger(options.seed) ? null : `expected a whole number, got ${options.seed}`);
  add('callTimeoutMs', wholeProblem(options.callTimeoutMs, 1, MAX_QUEUE_CALL_TIMEOUT_MS));
  add('drainTimeoutMs', wholeProblem(options.drainTimeoutMs, 0, MAX_QUEUE_DRAIN_MS));
  return problems;
}

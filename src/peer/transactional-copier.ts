import { FaultlineError, UsageError } from '../errors.js';
import { javaToolCommand, type JavaToolCommand, type JavaToolJvmOptions, type ToolDistribution } from './java-tool.js';
import { IgnoredLines, parseToolJsonLine, RunClock, type ToolJson } from './tool-json.js';

export const TRANSACTIONAL_COPIER_CLASS = 'org.apache.kafka.tools.TransactionalMessageCopier';

const TOOL = 'TransactionalMessageCopier';
const JAVA_INT_MAX = 2_147_483_647;
/** The tool's own default --transaction-size (its consumer's max.poll.records). */
export const COPIER_DEFAULT_TRANSACTION_SIZE = 200;

export interface TransactionalCopierOptions extends JavaToolJvmOptions {
  readonly dist: ToolDistribution;
  /** Passed as --broker-list (the copier's only connection option on 3.9.2 and 4.3.1). */
  readonly bootstrapServers: string;
  readonly inputTopic: string;
  /** The input partition (assign mode); each record is copied to the same partition number of the output topic. */
  readonly inputPartition: number;
  readonly outputTopic: string;
  readonly transactionalId: string;
  /** The group whose offsets commit with each transaction. */
  readonly consumerGroup: string;
  /** Copy at most this many; default -1: up to the input's end offset when the tool started. */
  readonly maxMessages?: number;
  /** Records per transaction at most (the consumer's max.poll.records); default 200. */
  readonly transactionSize?: number;
  /** Default: the tool's 60 000 ms. */
  readonly transactionTimeoutMs?: number;
  /** Abort about a third of the transactions on purpose (then seek back to the committed offsets). */
  readonly enableRandomAborts?: boolean;
  /** Subscribe to the input topic instead of assigning the partition. */
  readonly groupMode?: boolean;
  /** sendOffsetsToTransaction with the consumer's group metadata (KIP-447) rather than the group id alone. */
  readonly useGroupMetadata?: boolean;
}

function positiveInt(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > JAVA_INT_MAX) throw new UsageError(`${name} must be a whole number from ${min} to ${JAVA_INT_MAX}, got ${value}`);
}

function word(name: string, value: string): void {
  if (value.trim() === '' || /\s/.test(value)) throw new UsageError(`${name} must be a non-empty word, got ${JSON.stringify(value)}`);
}

/**
 * `java -Duser.timezone=UTC … org.apache.kafka.tools.TransactionalMessageCopier …` (options checked against 3.9.2
 * and 4.3.1). The zone is pinned because the tool stamps its lines with a zoneless local time.
 */
export function transactionalCopierCommand(options: TransactionalCopierOptions): JavaToolCommand {
  word('bootstrapServers', options.bootstrapServers);
  word('inputTopic', options.inputTopic);
  word('outputTopic', options.outputTopic);
  word('transactionalId', options.transactionalId);
  word('consumerGroup', options.consumerGroup);
  positiveInt('inputPartition', options.inputPartition, 0);
  const args = [
    '--broker-list', options.bootstrapServers,
    '--input-topic', options.inputTopic,
    '--input-partition', String(options.inputPartition),
    '--output-topic', options.outputTopic,
    '--transactional-id', options.transactionalId,
    '--consumer-group', options.consumerGroup,
  ];
  const maxMessages = options.maxMessages ?? -1;
  if (maxMessages !== -1) positiveInt('maxMessages', maxMessages, 1);
  args.push('--max-messages', String(maxMessages), '--transaction-size', String(options.transactionSize ?? COPIER_DEFAULT_TRANSACTION_SIZE));
  positiveInt('transactionSize', options.transactionSize ?? COPIER_DEFAULT_TRANSACTION_SIZE, 1);
  if (options.transactionTimeoutMs !== undefined) {
    positiveInt('transactionTimeoutMs', options.transactionTimeoutMs, 1);
    args.push('--transaction-timeout', String(options.transactionTimeoutMs));
  }
  if (options.enableRandomAborts === true) args.push('--enable-random-aborts');
  if (options.groupMode === true) args.push('--group-mode');
  if (options.useGroupMetadata === true) args.push('--use-group-metadata');
  return javaToolCommand(options.dist, TRANSACTIONAL_COPIER_CLASS, args, { ...options, systemProperties: { ...options.systemProperties, 'user.timezone': 'UTC' } });
}

/** One transaction the copier's progress shows committed: `messages` copied, between two status lines. */
export interface CopierTransaction {
  /** Run time of the status line before it (the transaction began after it). */
  readonly startTimeMs: number;
  /** Run time of the first status line that counts it (it committed before). */
  readonly timeMs: number;
  readonly messages: number;
}

export interface CopierProgress {
  readonly transactionalId: string | null;
  /** In order; the sizes sum to `totalProcessed`. */
  readonly transactions: readonly CopierTransaction[];
  /** totalProcessed of the last status line (committed messages the tool reported). */
  readonly totalProcessed: number;
  /** `remaining` of the last status line (0 when it copied everything up to its end offset). */
  readonly remaining: number | null;
  readonly statusLines: number;
  /** RebalanceComplete lines (group mode). */
  readonly rebalances: number;
  /** Run time of the shutdown line; null when the tool printed none (killed). */
  readonly shutdownTimeMs: number | null;
  /** Run time of the last status line (where an unreported last transaction may have begun). */
  readonly lastStatusTimeMs: number | null;
  readonly ignoredLines: number;
  readonly firstIgnoredLines: readonly string[];
}

// The tool's SimpleDateFormat "yyyy/MM/dd HH:mm:ss:SSS", in UTC (the command pins user.timezone).
const TIME = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}):(\d{3})$/;

/** Epoch ms of a copier `time` field (UTC), or null when it is not one. */
export function copierTimeEpochMs(text: unknown): number | null {
  const m = typeof text === 'string' ? TIME.exec(text) : null;
  if (m === null) return null;
  const n = (i: number): number => Number(m[i]);
  return Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6), n(7));
}

function count(o: ToolJson, key: string, text: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new FaultlineError(`${TOOL} line without a whole-number '${key}': ${text}`);
  return v;
}

/** The stage of the line its shutdown hook prints (3.9.2 and 4.3.1). */
const SHUTDOWN_STAGE = 'ShutdownComplete';

/** The transactional id a status line names: `transactionalId` (3.9.2, 4.3.1), `progress` or `shutdown_complete` in older tools. */
function copierId(o: Record<string, unknown>): string | undefined {
  for (const key of ['transactionalId', 'progress', 'shutdown_complete']) if (typeof o[key] === 'string') return o[key];
  return undefined;
}

/**
 * Pure: the copier's stdout → the transactions it reports committed. It prints a status line
 * (`transactionalId`, `stage`, `time`, `totalProcessed`, `consumed`, `remaining`: seen from 3.9.2 and 4.3.1)
 * before every poll while messages remain and on every rebalance, and a line of stage `ShutdownComplete` from
 * its shutdown hook; `totalProcessed` grows by a
 * transaction's size after its commit, so each increase between two lines is one committed transaction.
 * Aborted transactions leave no trace.
 */
export function parseCopierOutput(lines: Iterable<string>, options: { readonly runStartEpochMs: number }): CopierProgress {
  if (!Number.isFinite(options.runStartEpochMs)) throw new UsageError('runStartEpochMs must be a number (epoch ms)');
  const clock = new RunClock(options.runStartEpochMs);
  const ignored = new IgnoredLines();
  const transactions: CopierTransaction[] = [];
  let id: string | null = null;
  let total = 0;
  let remaining: number | null = null;
  let last: number | null = null;
  let statusLines = 0;
  let rebalances = 0;
  let shutdownTimeMs: number | null = null;
  for (const text of lines) {
    const o = parseToolJsonLine(text);
    const txnId = o === null ? undefined : copierId(o);
    if (o === null || txnId === undefined) {
      ignored.add(text);
      continue;
    }
    const shutdown = o['stage'] === SHUTDOWN_STAGE || typeof o['shutdown_complete'] === 'string';
    const timeMs = clock.at(copierTimeEpochMs(o['time']));
    id ??= txnId;
    const processed = count(o, 'totalProcessed', text);
    if (processed < total) throw new FaultlineError(`${TOOL}: totalProcessed went back from ${total} to ${processed} (two tools on one output?): ${text}`);
    if (processed > total) transactions.push({ startTimeMs: last ?? timeMs, timeMs, messages: processed - total });
    total = processed;
    remaining = typeof o['remaining'] === 'number' ? o['remaining'] : remaining;
    statusLines++;
    if (o['stage'] === 'RebalanceComplete') rebalances++;
    if (shutdown) shutdownTimeMs = timeMs;
    last = timeMs;
  }
  return { transactionalId: id, transactions, totalProcessed: total, remaining, statusLines, rebalances, shutdownTimeMs, lastStatusTimeMs: last, ignoredLines: ignored.count, firstIgnoredLines: [...ignored.first] };
}

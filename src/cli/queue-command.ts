import type { Command } from 'commander';
import {
  CONSUMER_MODES, ISOLATION_MODES, MAX_QUEUE_CALL_TIMEOUT_MS, MAX_QUEUE_DRAIN_MS, MAX_QUEUE_DURATION_MS, MAX_QUEUE_OPS_PER_PROCESS, MAX_QUEUE_PROCESSES, MAX_SENDS_PER_OP,
  Run, UsageError, queueOptionProblems, requireClusterState, runQueueWorkload, withAdmin, withRun,
  type ConsumerMode, type IsolationMode, type QueueMix, type QueueWorkloadSummary,
} from '../index.js';
import { interruptSignal } from './interrupt.js';
import { choiceOption, intOption, numberOption } from './options.js';
import { printResult, progress } from './output.js';

interface QueueFlags {
  topic: string;
  processes: number;
  ops: number;
  durationMs: number;
  rate: number;
  mix: QueueMix;
  transactional?: boolean;
  isolation?: IsolationMode;
  consumer: ConsumerMode;
  group: string;
  maxSends: number;
  abortProbability: number;
  crashProbability: number;
  rewindOnAbort: boolean;
  seed: number;
  callTimeoutMs: number;
  drainTimeoutMs: number;
  run?: string;
  runsDir: string;
  bootstrap?: string;
  json?: boolean;
}

const MIX_KEYS = ['send', 'poll', 'txn'] as const;
const MAX_RATE_OPS_PER_SEC = 100_000;

/** `send=1,poll=1,txn=2`: weights by name; names left out weigh 0. */
function parseMix(raw: string): QueueMix {
  const mix = { send: 0, poll: 0, txn: 0 };
  for (const part of raw.split(',')) {
    const [key, weight, extra] = part.split('=');
    const known = MIX_KEYS.find((k) => k === key?.trim());
    const value = Number(weight);
    if (known === undefined || extra !== undefined || weight === undefined || weight.trim() === '' || !Number.isFinite(value) || value < 0) {
      throw new UsageError(`--mix: expected name=weight pairs of ${MIX_KEYS.join(', ')} (e.g. send=1,poll=1,txn=2), got '${part}'`);
    }
    mix[known] = value;
  }
  return mix;
}

function summaryText(s: QueueWorkloadSummary & { runDir: string }): string {
  const drain = s.drain.complete ? `complete (${s.drain.records} records from ${s.drain.partitions.length} partitions)` : `incomplete: ${s.drain.partitions.filter((p) => !p.reachedEnd).map((p) => p.partition).join(', ')} not read to the end`;
  return [
    `Operations: ${s.ok} ok, ${s.fail} failed, ${s.info} unknown; crashes ${s.crashes}; client open failures ${s.openFailures}`,
    ...Object.entries(s.perProcess).filter(([, c]) => c.lastOpenError !== undefined).map(([name, c]) => `  ${name}: clients failed to open ${c.openFailures} times; last: ${c.lastOpenError ?? ''}`),
    `Drain: ${drain}${s.drain.unstable.length > 0 ? `; open transactions on partitions ${s.drain.unstable.join(', ')} when it began` : ''}`,
    `Run: ${s.runDir} (check it with: faultline check ${s.runDir})`,
  ].join('\n');
}

/** Option fields whose flag is not their kebab-case name. */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = { opsPerProcess: '--ops', rateOpsPerSec: '--rate', consumerMode: '--consumer', maxSendsPerOp: '--max-sends', mix: '--mix' };

function flagOf(field: string): string {
  const base = field.split('.')[0] ?? field;
  return FLAG_OF_FIELD[base] ?? `--${base.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

async function queue(flags: QueueFlags): Promise<void> {
  const bootstrap = flags.bootstrap ?? requireClusterState().bootstrap;
  const partitions = await withAdmin(bootstrap, async (admin) => {
    if (!(await admin.listTopics()).includes(flags.topic)) throw new UsageError(`unknown topic ${flags.topic}; create it with 'faultline topic create ${flags.topic} --partitions 3 --replication-factor 3'`);
    return (await admin.offsets(flags.topic)).length;
  });
  const transactional = flags.transactional ?? false;
  const isolation = flags.isolation ?? (transactional ? 'read_committed' : 'read_uncommitted');
  const settings = { topic: flags.topic, partitions, processes: flags.processes, opsPerProcess: flags.ops, durationMs: flags.durationMs, rateOpsPerSec: flags.rate, mix: flags.mix, transactional, isolation, consumerMode: flags.consumer, group: flags.group, maxSendsPerOp: flags.maxSends, abortProbability: flags.abortProbability, crashProbability: flags.crashProbability, rewindOnAbort: flags.rewindOnAbort, seed: flags.seed, callTimeoutMs: flags.callTimeoutMs, drainTimeoutMs: flags.drainTimeoutMs };
  const problems = queueOptionProblems(settings);
  if (problems.length > 0) throw new UsageError(problems.map((p) => `${flagOf(p.field)}: ${p.message}`).join('; '));
  const run = Run.create(flags.runsDir, { run: flags.run ?? `queue-${new Date().toISOString().replace(/[:.]/g, '-')}`, topic: flags.topic, queue: { ...settings, subscribe: flags.consumer === 'subscribe' } });
  progress(`run directory: ${run.path}`);
  const summary = await withRun(run, () => runQueueWorkload({ ...settings, bootstrap, sink: run, signal: interruptSignal() }));
  printResult(flags.json, { ...summary, runDir: run.path }, summaryText);
}

/** `faultline queue`: the queue workload (sends, polls, transactions, crashes; a final drain) recorded in a run directory. */
export function registerQueueCommand(program: Command): void {
  program
    .command('queue')
    .description('run the queue workload: P clients send, poll and run transactions (queue ops in the journal), then a final drain reads every partition from the start; check the run with faultline check')
    .requiredOption('--topic <name>', 'topic to use (its partitions are the queue)')
    .addOption(intOption('--processes <p>', 'client processes, each a producer and a consumer', 1, MAX_QUEUE_PROCESSES).default(3))
    .addOption(intOption('--ops <n>', 'operations per process', 1, MAX_QUEUE_OPS_PER_PROCESS).default(200))
    .addOption(intOption('--duration-ms <ms>', 'stop the processes after this long, whatever --ops says', 1, MAX_QUEUE_DURATION_MS).default(600_000))
    .addOption(numberOption('--rate <opsPerSec>', 'operations per second per process (a cap)', Number.MIN_VALUE, MAX_RATE_OPS_PER_SEC).default(50))
    .option('--mix <weights>', 'operation weights, e.g. send=1,poll=1,txn=2 (txn needs --transactional)', parseMix, { send: 1, poll: 1, txn: 0 })
    .option('--transactional', 'a transactional producer per process: sends run in transactions and txn operations are allowed')
    .addOption(choiceOption('--isolation <level>', 'consumer isolation (default read_committed with --transactional, else read_uncommitted)', ISOLATION_MODES))
    .addOption(choiceOption('--consumer <mode>', 'assign: each process reads every partition; subscribe: the processes share one group', CONSUMER_MODES).default('assign'))
    .option('--group <id>', 'consumer group (subscribe) or group prefix (assign)', 'faultline-queue')
    .addOption(intOption('--max-sends <n>', 'sends per send or txn operation: 1..n, drawn per operation', 1, MAX_SENDS_PER_OP).default(3))
    .addOption(numberOption('--abort-probability <p>', 'chance that a transaction is aborted on purpose', 0, 1).default(0))
    .addOption(numberOption('--crash-probability <p>', 'chance per operation that the process crashes first (clients dropped unclosed)', 0, 1).default(0))
    .option('--no-rewind-on-abort', 'after an aborted transaction, leave the consumer where it is instead of seeking back to what the transaction read (KAFKA-17582)')
    .addOption(intOption('--seed <n>', 'seed of the operation mix, partitions and crashes', 0, Number.MAX_SAFE_INTEGER).default(1))
    .addOption(intOption('--call-timeout-ms <ms>', 'bound on one client call (a delivery, a poll, a commit)', 1, MAX_QUEUE_CALL_TIMEOUT_MS).default(10_000))
    .addOption(intOption('--drain-timeout-ms <ms>', 'bound on the final drain', 0, MAX_QUEUE_DRAIN_MS).default(60_000))
    .option('--run <name>', 'run directory name (default queue-<time>)')
    .option('--runs-dir <dir>', 'parent of run directories', 'runs')
    .option('--bootstrap <servers>', 'another cluster than the local one')
    .option('--json', 'print the summary as JSON')
    .action(queue);
}

import type { Command } from 'commander';
import {
  ACKS_MODES, DEFAULT_VALUE_SIZE_BYTES, ISOLATION_MODES, MAX_COUNT_PER_PRODUCER, MAX_DELIVERY_TIMEOUT_MS, MAX_PRODUCERS, MAX_RETRIES, MAX_VALUE_SIZE_BYTES,
  Run, UsageError, isBroker, readBack, requireClusterState, runProduceWorkload, runSlowProducer, sampleTopic, withAdmin, withRun,
  type AcksMode, type IsolationMode, type ProduceProgress, type ProduceSummary,
} from '../index.js';
import { choiceOption, intOption, numberOption } from './options.js';
import { printResult, progress } from './output.js';

/** Flag values as commander hands them over: numbers parsed, enumerations checked. */
interface ProduceFlags {
  topic: string;
  count: number;
  rate: number;
  acks: AcksMode;
  producers: number;
  idempotent?: boolean;
  retries?: number;
  timeoutMs: number;
  valueSizeBytes: number;
  valueSize?: number;
  seed?: string;
  slow?: boolean;
  run?: string;
  runsDir: string;
  bootstrap?: string;
  json?: boolean;
}

interface ConsumeFlags {
  topic: string;
  isolation: IsolationMode;
  untilIdleMs: number;
  untilIdle?: number;
  run?: string;
  runsDir: string;
  bootstrap?: string;
  json?: boolean;
}

/** What `produce` prints: the send counts (and, for --slow, fail-over gaps), the high watermark, the run. */
interface ProduceReport {
  readonly sent: number;
  readonly delivered: number;
  readonly failed: number;
  readonly unknown: number;
  readonly impliedLost?: number;
  readonly highWatermark: (number | null)[];
  readonly faultEvents: number;
  readonly runDir: string;
}

const DEFAULT_COUNT = 10_000;
const DEFAULT_RATE_MSGS_PER_SEC = 1000;
const MAX_RATE_MSGS_PER_SEC = 10_000_000;
const DEFAULT_DELIVERY_TIMEOUT_MS = 30_000;
const DEFAULT_UNTIL_IDLE_MS = 10_000;
const MAX_UNTIL_IDLE_MS = 3_600_000;
/** A progress line every this many completed sends, and every this many records read. */
const PRODUCE_PROGRESS_STEP = 10_000;
const READ_PROGRESS_STEP = 50_000;
const SAMPLE_TIMEOUT_MS = 10_000;

function defaultRunName(kind: string): string {
  return `${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
}

async function ensureTopicExists(bootstrap: string, topic: string): Promise<void> {
  const topics = await withAdmin(bootstrap, (admin) => admin.listTopics());
  if (!topics.includes(topic)) throw new UsageError(`unknown topic ${topic}; create it with 'faultline topic create ${topic} --partitions 1 --replication-factor 3'`);
}

function produceSummary(result: ProduceSummary) {
  return { sent: result.sent, delivered: result.delivered, failed: result.failed, unknown: result.unknown, unreported: result.unreported, durationMs: Math.round(result.durationMs), deliveredPerSec: Math.round(result.deliveredPerSec) };
}

/** A progress line every `step` completed sends. */
function progressEvery(step: number): (p: ProduceProgress) => void {
  let lastLine = 0;
  return (p) => {
    const done = p.delivered + p.failed + p.unknown;
    if (done - lastLine < step) return;
    lastLine = done - (done % step);
    progress(`Success: ${p.delivered} Failed: ${p.failed} Unknown: ${p.unknown}`);
  };
}

function describeProduce(report: ProduceReport, topic: string): string {
  return [
    `Sent: ${report.sent}`,
    `Delivered: ${report.delivered}`,
    `Failed: ${report.failed}`,
    `Unknown: ${report.unknown}`,
    ...(report.impliedLost !== undefined ? [`Fail-over gaps imply lost: ${report.impliedLost}`] : []),
    `High watermark: ${report.highWatermark.join(',')}`,
    `Run: ${report.runDir} (read it back with: faultline consume --topic ${topic} --run ${report.runDir}; then faultline check ${report.runDir})`,
  ].join('\n');
}

async function produce(flags: ProduceFlags): Promise<void> {
  const valueSizeBytes = flags.valueSize ?? flags.valueSizeBytes;
  const bootstrap = flags.bootstrap ?? requireClusterState().bootstrap;
  await ensureTopicExists(bootstrap, flags.topic);
  const { acks, count, rate, producers, retries } = flags;
  const run = Run.create(flags.runsDir, { run: flags.run ?? defaultRunName('produce'), topic: flags.topic, acks, ...(flags.seed ? { seed: flags.seed } : {}), producers, count, rateMsgsPerSec: rate });
  progress(`run directory: ${run.path}`);
  const common = { bootstrap, topic: flags.topic, acks, timeoutMs: flags.timeoutMs, valueSizeBytes, idempotent: flags.idempotent ?? false, ...(retries !== undefined ? { retries } : {}), sink: run };
  const summary = await withRun(run, async () => {
    const sent = flags.slow
      ? { ...(await runSlowProducer({ ...common, count, rateMsgsPerSec: rate, onLine: (line) => (flags.json ? progress(line) : process.stdout.write(line + '\n')) })) }
      : produceSummary(await runProduceWorkload({ ...common, countPerProducer: count, rateMsgsPerSec: rate, producers, onProgress: progressEvery(PRODUCE_PROGRESS_STEP) }));
    const brokers = flags.bootstrap ? [] : requireClusterState().nodes.filter(isBroker);
    const sample = await sampleTopic(brokers, bootstrap, flags.topic, SAMPLE_TIMEOUT_MS);
    run.append({ ...sample, timeMs: run.elapsedMs() });
    return { ...sent, highWatermark: sample.partitions.map((p) => p.highWatermark) };
  });
  const report: ProduceReport = { ...summary, faultEvents: run.foreignEvents.length, runDir: run.path };
  printResult(flags.json, report, (r) => describeProduce(r, flags.topic));
}

async function consume(flags: ConsumeFlags): Promise<void> {
  const untilIdleMs = flags.untilIdle ?? flags.untilIdleMs;
  const bootstrap = flags.bootstrap ?? requireClusterState().bootstrap;
  await ensureTopicExists(bootstrap, flags.topic);
  const run = flags.run ? await Run.reopen(flags.run) : Run.create(flags.runsDir, { run: defaultRunName('consume'), topic: flags.topic });
  const onProgress = (n: number): void => {
    if (n > 0 && n % READ_PROGRESS_STEP === 0) progress(`read ${n}`);
  };
  const summary = await withRun(run, () => readBack({ bootstrap, topic: flags.topic, isolation: flags.isolation, untilIdleMs, sink: run, onProgress }));
  printResult(flags.json, { ...summary, runDir: run.path }, (s) => [`Read back: ${s.records} records${s.complete ? '' : ' (incomplete: stopped before the end offsets)'}`, ...s.partitions.map((p) => `  ${flags.topic}:${p.partition} offsets ${p.startOffset}..${p.endOffset}: ${p.read} records`), `Run: ${s.runDir}`].join('\n'));
}

export function registerWorkloadCommands(program: Command): void {
  program
    .command('produce')
    .description('produce unique values and record every send (invoke, then ok/fail/info) in a run directory')
    .requiredOption('--topic <name>', 'topic to write to')
    .addOption(intOption('--count <n>', 'messages per producer', 1, MAX_COUNT_PER_PRODUCER).default(DEFAULT_COUNT))
    .addOption(numberOption('--rate <msgsPerSec>', 'send rate per producer (a cap)', Number.MIN_VALUE, MAX_RATE_MSGS_PER_SEC).default(DEFAULT_RATE_MSGS_PER_SEC))
    .addOption(choiceOption('--acks <acks>', '0, 1 or all (-1 = all)', ACKS_MODES, { '-1': 'all' }).default('all'))
    .addOption(intOption('--producers <k>', 'concurrent producers', 1, MAX_PRODUCERS).default(1))
    .option('--idempotent', 'enable.idempotence=true')
    .addOption(intOption('--retries <n>', 'producer retries (default: the client retries until the timeout)', 0, MAX_RETRIES))
    .addOption(intOption('--timeout-ms <ms>', 'delivery timeout (message.timeout.ms)', 1, MAX_DELIVERY_TIMEOUT_MS).default(DEFAULT_DELIVERY_TIMEOUT_MS))
    .addOption(intOption('--value-size-bytes <bytes>', 'message size in bytes', 1, MAX_VALUE_SIZE_BYTES).default(DEFAULT_VALUE_SIZE_BYTES))
    .addOption(intOption('--value-size <bytes>', 'the same as --value-size-bytes (its older name)', 1, MAX_VALUE_SIZE_BYTES).hideHelp())
    .option('--seed <n>', 'recorded with the run')
    .option('--slow', 'one message at a time, printing each value and offset and detecting fail-over gaps')
    .option('--run <name>', 'run directory name (default produce-<time>)')
    .option('--runs-dir <dir>', 'parent of run directories', 'runs')
    .option('--bootstrap <servers>', 'another cluster than the local one')
    .option('--json', 'print the summary as JSON')
    .action(produce);

  program
    .command('consume')
    .description('read a topic back from the beginning to its end offsets, recording every value with partition and offset')
    .requiredOption('--topic <name>', 'topic to read')
    .option('--from-beginning', 'read from the log start (the default and only mode: read-backs are complete)')
    .addOption(choiceOption('--isolation <level>', 'read_uncommitted or read_committed', ISOLATION_MODES).default('read_uncommitted'))
    .addOption(intOption('--until-idle-ms <ms>', 'stop when nothing arrived for this long', 1, MAX_UNTIL_IDLE_MS).default(DEFAULT_UNTIL_IDLE_MS))
    .addOption(intOption('--until-idle <ms>', 'the same as --until-idle-ms (its older name)', 1, MAX_UNTIL_IDLE_MS).hideHelp())
    .option('--run <dir>', 'append the reads to this run directory (default: a new run)')
    .option('--runs-dir <dir>', 'parent of run directories for a new run', 'runs')
    .option('--bootstrap <servers>', 'another cluster than the local one')
    .option('--json', 'print the summary as JSON')
    .action(consume);
}

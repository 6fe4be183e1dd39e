import type { Command } from 'commander';
import { Run, withRun } from '../history/run.js';
import { requireClusterState } from '../cluster/cluster-state.js';
import { isBroker } from '../cluster/topology.js';
import { withAdmin } from '../kafka/admin.js';
import { runProduceWorkload, type ProduceProgress, type ProduceSummary } from '../workload/produce-workload.js';
import { MAX_COUNT_PER_PRODUCER, MAX_DELIVERY_TIMEOUT_MS, MAX_PRODUCERS, MAX_RETRIES, MAX_VALUE_SIZE_BYTES } from '../workload/produce-limits.js';
import { runSlowProducer } from '../workload/slow-producer.js';
import { readBack, type IsolationMode } from '../workload/read-back.js';
import { sampleTopic } from '../workload/cluster-sampler.js';
import { UsageError } from '../errors.js';
import type { AcksMode } from '../scenario/scenario.js';
import { parseIntOption, parseNumberOption } from './parse.js';
import { printResult, progress } from './output.js';

interface ProduceFlags {
  topic: string;
  count: string;
  rate: string;
  acks: string;
  producers: string;
  idempotent?: boolean;
  retries?: string;
  timeoutMs?: string;
  valueSize: string;
  seed?: string;
  slow?: boolean;
  run?: string;
  runsDir: string;
  bootstrap?: string;
  json?: boolean;
}

function parseAcks(raw: string): AcksMode {
  if (raw === '0' || raw === '1' || raw === 'all') return raw;
  if (raw === '-1') return 'all';
  throw new UsageError(`--acks: expected 0, 1 or all, got '${raw}'`);
}

function defaultRunName(kind: string): string {
  return `${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
}

async function ensureTopicExists(bootstrap: string, topic: string): Promise<void> {
  const topics = await withAdmin(bootstrap, (admin) => admin.listTopics());
  if (!topics.includes(topic)) throw new UsageError(`unknown topic ${topic}; create it with 'faultline topic create ${topic} --partitions 1 --replication-factor 3'`);
}

function produceSummary(result: ProduceSummary): Record<string, unknown> {
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

export function registerWorkloadCommands(program: Command): void {
  program
    .command('produce')
    .description('produce unique values and record every send (invoke, then ok/fail/info) in a run directory')
    .requiredOption('--topic <name>', 'topic to write to')
    .option('--count <n>', 'messages per producer', '10000')
    .option('--rate <msgsPerSec>', 'send rate per producer (a cap)', '1000')
    .option('--acks <acks>', '0, 1 or all', 'all')
    .option('--producers <k>', 'concurrent producers', '1')
    .option('--idempotent', 'enable.idempotence=true')
    .option('--retries <n>', 'producer retries (default: the client retries until the timeout)')
    .option('--timeout-ms <ms>', 'delivery timeout (message.timeout.ms)', '30000')
    .option('--value-size <bytes>', 'message size in bytes', '100')
    .option('--seed <n>', 'recorded with the run')
    .option('--slow', 'one message at a time, printing each value and offset and detecting fail-over gaps')
    .option('--run <name>', 'run directory name (default produce-<time>)')
    .option('--runs-dir <dir>', 'parent of run directories', 'runs')
    .option('--bootstrap <servers>', 'another cluster than the local one')
    .option('--json', 'print the summary as JSON')
    .action(async (flags: ProduceFlags) => {
      const acks = parseAcks(flags.acks);
      const count = parseIntOption('--count', flags.count, 1, MAX_COUNT_PER_PRODUCER);
      const rate = parseNumberOption('--rate', flags.rate, Number.MIN_VALUE, 10_000_000);
      const producers = parseIntOption('--producers', flags.producers, 1, MAX_PRODUCERS);
      const retries = flags.retries !== undefined ? parseIntOption('--retries', flags.retries, 0, MAX_RETRIES) : undefined;
      const timeoutMs = parseIntOption('--timeout-ms', flags.timeoutMs ?? '30000', 1, MAX_DELIVERY_TIMEOUT_MS);
      const valueSizeBytes = parseIntOption('--value-size', flags.valueSize, 1, MAX_VALUE_SIZE_BYTES);
      const bootstrap = flags.bootstrap ?? requireClusterState().bootstrap;
      await ensureTopicExists(bootstrap, flags.topic);
      const run = Run.create(flags.runsDir, { run: flags.run ?? defaultRunName('produce'), topic: flags.topic, acks, ...(flags.seed ? { seed: flags.seed } : {}), producers, count, rateMsgsPerSec: rate });
      progress(`run directory: ${run.path}`);
      const common = { bootstrap, topic: flags.topic, acks, timeoutMs, valueSizeBytes, idempotent: flags.idempotent ?? false, ...(retries !== undefined ? { retries } : {}), sink: run };
      const summary = await withRun(run, async () => {
        const sent = flags.slow
          ? { ...(await runSlowProducer({ ...common, count, rateMsgsPerSec: rate, onLine: (line) => (flags.json ? progress(line) : process.stdout.write(line + '\n')) })) }
          : produceSummary(await runProduceWorkload({ ...common, countPerProducer: count, rateMsgsPerSec: rate, producers, onProgress: progressEvery(10_000) }));
        const brokers = flags.bootstrap ? [] : requireClusterState().nodes.filter(isBroker);
        const sample = await sampleTopic(brokers, bootstrap, flags.topic, 10_000);
        run.append({ ...sample, timeMs: run.elapsedMs() });
        return { ...sent, highWatermark: sample.partitions.map((p) => p.highWatermark) };
      });
      const result: Record<string, unknown> = { ...summary, faultEvents: run.foreignEvents.length, runDir: run.path };
      printResult(flags.json, result, (s) =>
        [`Sent: ${s['sent']}`, `Delivered: ${s['delivered']}`, `Failed: ${s['failed']}`, `Unknown: ${s['unknown']}`, ...(s['impliedLost'] !== undefined ? [`Fail-over gaps imply lost: ${s['impliedLost']}`] : []), `High watermark: ${(s['highWatermark'] as unknown[]).join(',')}`, `Run: ${s['runDir']} (read it back with: faultline consume --topic ${flags.topic} --run ${s['runDir']}; then faultline check ${s['runDir']})`].join('\n'),
      );
    });

  program
    .command('consume')
    .description('read a topic back from the beginning to its end offsets, recording every value with partition and offset')
    .requiredOption('--topic <name>', 'topic to read')
    .option('--from-beginning', 'read from the log start (the default and only mode: read-backs are complete)')
    .option('--isolation <level>', 'read_uncommitted or read_committed', 'read_uncommitted')
    .option('--until-idle <ms>', 'stop when nothing arrived for this long', '10000')
    .option('--run <dir>', 'append the reads to this run directory (default: a new run)')
    .option('--runs-dir <dir>', 'parent of run directories for a new run', 'runs')
    .option('--bootstrap <servers>', 'another cluster than the local one')
    .option('--json', 'print the summary as JSON')
    .action(async (flags: { topic: string; isolation: string; untilIdle: string; run?: string; runsDir: string; bootstrap?: string; json?: boolean }) => {
      if (flags.isolation !== 'read_committed' && flags.isolation !== 'read_uncommitted') throw new UsageError(`--isolation: expected read_committed or read_uncommitted, got '${flags.isolation}'`);
      const untilIdleMs = parseIntOption('--until-idle', flags.untilIdle, 1, 3_600_000);
      const bootstrap = flags.bootstrap ?? requireClusterState().bootstrap;
      await ensureTopicExists(bootstrap, flags.topic);
      const run = flags.run ? await Run.reopen(flags.run) : Run.create(flags.runsDir, { run: defaultRunName('consume'), topic: flags.topic });
      const summary = await withRun(run, () => readBack({ bootstrap, topic: flags.topic, isolation: flags.isolation as IsolationMode, untilIdleMs, sink: run, onProgress: (n) => (n > 0 && n % 50_000 === 0 ? progress(`read ${n}`) : undefined) }));
      printResult(flags.json, { ...summary, runDir: run.path }, (s) => [`Read back: ${s.records} records${s.complete ? '' : ' (incomplete: stopped before the end offsets)'}`, ...s.partitions.map((p) => `  ${flags.topic}:${p.partition} offsets ${p.startOffset}..${p.endOffset}: ${p.read} records`), `Run: ${s.runDir}`].join('\n'));
    });
}

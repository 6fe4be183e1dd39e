import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { createRunDir, openRunDir } from '../history/run-dir.js';
import { JournalWriter } from '../history/journal-writer.js';
import type { JournalRecord } from '../history/operation.js';
import { requireClusterState } from '../cluster/cluster-state.js';
import { isBroker } from '../cluster/topology.js';
import { withAdmin } from '../kafka/admin.js';
import { clearActiveRun, markRunActive, EVENTS_FILE } from '../nemesis/fault-events.js';
import { runProduceWorkload } from '../workload/produce-workload.js';
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

/** Fault events fired from other processes land in events.jsonl; fold them into the journal when the workload ends. */
function mergeEvents(runDir: string, journal: JournalWriter): number {
  const path = join(runDir, EVENTS_FILE);
  if (!existsSync(path)) return 0;
  let merged = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      journal.append(JSON.parse(line) as JournalRecord);
      merged++;
    } catch {
      // a torn last line from a crashed writer
    }
  }
  return merged;
}

async function ensureTopicExists(bootstrap: string, topic: string): Promise<void> {
  const topics = await withAdmin(bootstrap, (admin) => admin.listTopics());
  if (!topics.includes(topic)) throw new UsageError(`unknown topic ${topic}; create it with 'faultline topic create ${topic} --partitions 1 --replication-factor 3'`);
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
      const count = parseIntOption('--count', flags.count, 1, 1_000_000_000);
      const rate = parseNumberOption('--rate', flags.rate, Number.MIN_VALUE, 10_000_000);
      const producers = parseIntOption('--producers', flags.producers, 1, 64);
      const retries = flags.retries !== undefined ? parseIntOption('--retries', flags.retries, 0, 2_147_483_647) : undefined;
      const timeoutMs = parseIntOption('--timeout-ms', flags.timeoutMs ?? '30000', 1, 3_600_000);
      const valueSizeBytes = parseIntOption('--value-size', flags.valueSize, 1, 1_000_000);
      const bootstrap = flags.bootstrap ?? requireClusterState().bootstrap;
      await ensureTopicExists(bootstrap, flags.topic);
      const { dir, journal } = createRunDir(flags.runsDir, { run: flags.run ?? defaultRunName('produce'), topic: flags.topic, acks, ...(flags.seed ? { seed: flags.seed } : {}), producers, count, rateMsgsPerSec: rate });
      markRunActive(dir.path, Date.now() - journal.elapsedMs());
      progress(`run directory: ${dir.path}`);
      const sink = { append: (r: JournalRecord) => journal.append(r), elapsedMs: () => journal.elapsedMs() };
      const common = { bootstrap, topic: flags.topic, acks, timeoutMs, valueSizeBytes, idempotent: flags.idempotent ?? false, ...(retries !== undefined ? { retries } : {}), sink };
      let summary: Record<string, unknown>;
      let lastLine = 0;
      try {
        if (flags.slow) {
          const slow = await runSlowProducer({ ...common, count, rateMsgsPerSec: rate, onLine: (line) => (flags.json ? progress(line) : process.stdout.write(line + '\n')) });
          summary = { ...slow };
        } else {
          const result = await runProduceWorkload({
            ...common, countPerProducer: count, rateMsgsPerSec: rate, producers,
            onProgress: (p) => {
              const done = p.delivered + p.failed + p.unknown;
              if (done - lastLine >= 10_000) {
                lastLine = done - (done % 10_000);
                progress(`Success: ${p.delivered} Failed: ${p.failed} Unknown: ${p.unknown}`);
              }
            },
          });
          summary = { sent: result.sent, delivered: result.delivered, failed: result.failed, unknown: result.unknown, unreported: result.unreported, durationMs: Math.round(result.durationMs), deliveredPerSec: Math.round(result.deliveredPerSec) };
        }
        const brokers = flags.bootstrap ? [] : requireClusterState().nodes.filter(isBroker);
        const sample = await sampleTopic(brokers, bootstrap, flags.topic, 10_000);
        journal.append({ ...sample, timeMs: journal.elapsedMs() });
        summary['faultEvents'] = mergeEvents(dir.path, journal);
        summary['highWatermark'] = sample.partitions.map((p) => p.highWatermark);
      } finally {
        await journal.close();
        clearActiveRun(dir.path);
      }
      summary['runDir'] = dir.path;
      printResult(flags.json, summary, (s) =>
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
      let journal: JournalWriter;
      let runPath: string;
      let elapsedMs: () => number;
      if (flags.run) {
        const existing = await openRunDir(flags.run);
        runPath = resolve(existing.path);
        journal = JournalWriter.open(existing.historyPath);
        // Reads appended to an earlier run are stamped on that run's clock (wall time since it started).
        const runStartMs = Date.parse(existing.meta?.startedAt ?? '') || Date.now();
        elapsedMs = () => Date.now() - runStartMs;
      } else {
        const made = createRunDir(flags.runsDir, { run: defaultRunName('consume'), topic: flags.topic });
        runPath = made.dir.path;
        journal = made.journal;
        elapsedMs = () => journal.elapsedMs();
      }
      const sink = { append: (r: JournalRecord) => journal.append(r), elapsedMs };
      try {
        const summary = await readBack({ bootstrap, topic: flags.topic, isolation: flags.isolation as IsolationMode, untilIdleMs, sink, onProgress: (n) => (n > 0 && n % 50_000 === 0 ? progress(`read ${n}`) : undefined) });
        printResult(flags.json, { ...summary, runDir: runPath }, (s) => [`Read back: ${s.records} records${s.complete ? '' : ' (incomplete: stopped before the end offsets)'}`, ...s.partitions.map((p) => `  ${flags.topic}:${p.partition} offsets ${p.startOffset}..${p.endOffset}: ${p.read} records`), `Run: ${s.runDir}`].join('\n'));
      } finally {
        await journal.close();
      }
    });
}

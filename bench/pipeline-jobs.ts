import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { table } from '../src/cli/output.js';
import { runJobStartBench, type EngineStarts, type JobStartResult } from './pipeline-jobs-start.js';
import { runRecoveryBench, type RecoveryResult } from './pipeline-jobs-recovery.js';
import { writeBenchResult } from './write-result.js';

/** The repository root: this module is dist/bench/pipeline-jobs.js once built. */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const seconds = (ms: number | null): string => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);

function startRow(engine: string, s: EngineStarts): (string | number)[] {
  return [engine, s.startMs.length, seconds(s.medianMs), seconds(s.minMs), seconds(s.maxMs), s.stopMs.map(seconds).join(' '), s.error ?? ''];
}

function jobStartTable(r: JobStartResult): string {
  const rows = [startRow('kafka-streams', r.kafkaStreams), startRow('kcat-pipe', r.kcatPipe), startRow('spark', r.spark)];
  return `${table(['engine', 'starts', 'median to RUNNING', 'min', 'max', 'graceful stops', 'error'], rows)}\nratio of medians (kafka-streams / kcat-pipe): ${r.ratioOfMedians ?? '-'}; (spark / kafka-streams): ${r.sparkToStreamsRatio ?? '-'}`;
}

/** One row per fault, grouped by kind: measures in seconds after the fault-start. */
function recoveryTable(r: RecoveryResult): string {
  const rows = Object.entries(r.byFaultKind).flatMap(([kind, measures]) => measures.map((m) => [
    kind, m.engine, m.scenario, m.guarantee, seconds(m.jobUpMs), seconds(m.jobRunningMs), seconds(m.firstOutputMs), seconds(m.caughtUpMs), m.backlogAtRestart,
    m.catchUpRatePerSec === null ? '-' : `${m.catchUpRatePerSec}/s`, m.lost, m.duplicates, m.asExpected ? 'yes' : 'NO',
  ]));
  const failed = r.scenarios.filter((s) => s.error !== null).map((s) => `${s.scenario}: ${s.error ?? ''}`);
  const headers = ['fault kind', 'engine', 'scenario', 'guarantee', 'job up', 'running', 'first output', 'caught up', 'backlog at restart', 'catch-up rate', 'lost', 'duplicates', 'as expected'];
  return [table(headers, rows), ...failed.map((line) => `error: ${line}`)].join('\n');
}

/** The recovery part of the last results file, with its date (or nothing when there is none). */
function previousRecovery(): Record<string, unknown> {
  try {
    const last = JSON.parse(readFileSync(join(repoRoot, 'bench', 'results', 'pipeline-jobs.json'), 'utf8')) as Record<string, unknown>;
    const recovery = last['recovery'];
    return recovery === undefined || recovery === null ? {} : { recovery, recoveryDate: last['recoveryDate'] ?? last['date'] };
  } catch {
    return {};
  }
}

/**
 * Issue 11's "job start time; recovery time per fault kind": part 1 times JOB_STARTS starts of the Kafka Streams
 * reference job and of the bash+kcat job on a 1-broker cluster (torn down after); part 2 then runs the pipeline
 * scenarios that each exercise one fault kind, one cluster at a time, and collects their recovery measures.
 * Run it with `npm run bench -- pipeline-jobs` from the repository root (as root: clusters and namespaces).
 */
export async function runPipelineJobsBench(): Promise<Record<string, unknown>> {
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const started = performance.now();
  const jobStart = await runJobStartBench(repoRoot, log);
  // FAULTLINE_BENCH_STARTS_ONLY=1: the start times alone (the recovery part runs the pipeline scenarios, ~10 min);
  // the recovery numbers of the last full run are kept, with their date.
  if (process.env['FAULTLINE_BENCH_STARTS_ONLY'] === '1') {
    process.stdout.write(`\njob start time\n${jobStartTable(jobStart)}\n\n`);
    return { jobStart, ...previousRecovery(), benchDurationMs: Math.round(performance.now() - started) };
  }
  const recovery = await runRecoveryBench(repoRoot, log);
  process.stdout.write(`\njob start time\n${jobStartTable(jobStart)}\n\nrecovery per fault kind (s after the fault-start)\n${recoveryTable(recovery)}\n\n`);
  return { jobStart, recovery, benchDurationMs: Math.round(performance.now() - started) };
}

/**
 * Issue 12's "recovery time per fault kind" for the Spark job alone (`npm run bench -- pipeline-spark-recovery`): the
 * Spark scenarios of the recovery bench, one cluster at a time; results in bench/results/pipeline-spark-recovery.json.
 */
export async function runSparkRecoveryBench(): Promise<Record<string, unknown>> {
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const started = performance.now();
  const recovery = await runRecoveryBench(repoRoot, log, ['spark']);
  process.stdout.write(`\nSpark recovery per fault kind (s after the fault-start)\n${recoveryTable(recovery)}\n\n`);
  return { recovery, benchDurationMs: Math.round(performance.now() - started) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeBenchResult('pipeline-jobs', await runPipelineJobsBench());
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkModel, findModel, type StrategyName } from '../src/model/index.js';
import { kafkaVerdictMatrix } from '../src/model/models/kafka-verdicts.js';
import { workload1Model } from '../src/model/models/workload1.js';
import { GOAL_SCHEDULES_PER_SECOND, pTestThroughput } from './model-throughput.js';

const here = dirname(fileURLToPath(import.meta.url));

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function throughput(model: string, strategy: StrategyName, schedules: number, repeats: number): Record<string, number> {
  const def = findModel(model).build({});
  // Warm the JIT up so the numbers are the steady state of a long check.
  checkModel(def, { strategy, schedules: Math.min(2000, schedules), seed: 1, coverage: false });
  const rates: number[] = [];
  let steps = 0;
  let runs = 0;
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    const r = checkModel(def, { strategy, schedules, seed: 100 + i });
    const ms = performance.now() - t;
    if (r.violation !== undefined) throw new Error(`${model} ${strategy}: unexpected violation ${r.violation.violation.message}`);
    rates.push((r.schedulesRun * 1000) / ms);
    steps += r.totalSteps;
    runs += r.schedulesRun;
  }
  return {
    schedulesPerSecondMedian: Math.round(median(rates)),
    schedulesPerSecondBest: Math.round(Math.max(...rates)),
    schedulesPerSecondWorst: Math.round(Math.min(...rates)),
    stepsPerSchedule: Math.round(steps / runs),
    stepsPerSecondMedian: Math.round((median(rates) * steps) / runs),
  };
}

/** Bound on shrinking in the time-to-catch measurement. */
const SHRINK_TIME_LIMIT_MS = 5000;

function timeToCatch(model: string, strategy: StrategyName, seeds: readonly number[]): Record<string, number> {
  const def = findModel(model).build({});
  const findMs: number[] = [];
  const totalMs: number[] = [];
  const schedulesNeeded: number[] = [];
  const shrunkSteps: number[] = [];
  for (const seed of seeds) {
    const t = performance.now();
    const r = checkModel(def, { strategy, schedules: 100_000, seed, shrinkTimeLimitMs: SHRINK_TIME_LIMIT_MS });
    totalMs.push(performance.now() - t);
    if (r.violation === undefined) throw new Error(`broken variant not caught by ${strategy}, seed ${seed}`);
    findMs.push(r.violation.elapsedMsToFind);
    schedulesNeeded.push(r.violation.scheduleIndex + 1);
    shrunkSteps.push(r.violation.shrink?.steps ?? 0);
  }
  return {
    findMsMedian: Math.round(median(findMs) * 10) / 10,
    findMsWorst: Math.round(Math.max(...findMs) * 10) / 10,
    schedulesNeededMedian: median(schedulesNeeded),
    withShrinkAndTraceMsMedian: Math.round(median(totalMs)),
    shrunkStepsMedian: median(shrunkSteps),
  };
}

/** P's tests with P timing and with random timing: how long until the first violation (or none within the bound). */
const P_TESTS = ['base', 'f1', 'f2', 'f3', 'f4', 'failover'] as const;
const FIRST_VIOLATION_SCHEDULES = 5000;
const FIRST_VIOLATION_TIME_LIMIT_MS = 15_000;

function firstViolation(model: string, strategy: StrategyName, seed: number): Record<string, unknown> {
  const def = findModel(model).build({});
  const r = checkModel(def, { strategy, schedules: FIRST_VIOLATION_SCHEDULES, seed, shrink: false, coverage: false, timeLimitMs: FIRST_VIOLATION_TIME_LIMIT_MS });
  if (r.violation === undefined) return { found: false, schedulesRun: r.schedulesRun, elapsedMs: r.elapsedMs };
  return {
    found: true,
    msToFind: Math.round(r.violation.elapsedMsToFind * 10) / 10,
    schedulesNeeded: r.violation.scheduleIndex + 1,
    violation: r.violation.violation.message.slice(0, 120),
  };
}

function timeToFirstViolation(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const test of P_TESTS) {
    const names = test === 'base' ? ['workload1-base'] : [`workload1-${test}`, `workload1-${test}-random`];
    for (const name of names) out[name] = { random: firstViolation(name, 'random', 1), pct: firstViolation(name, 'pct', 1) };
  }
  return out;
}

/** Schedules per second of the faithful model at a reduced size (3 batches of 10 records), the size where the goal is in reach. */
function smallThroughput(): Record<string, number> {
  const def = workload1Model('workload1-f1-small', '', { test: 'f1', batchSize: 10, kafkaBatch: 5 });
  checkModel(def, { strategy: 'random', schedules: 2000, seed: 1, coverage: false });
  const t = performance.now();
  const r = checkModel(def, { strategy: 'random', schedules: 10_000, seed: 100 });
  const ms = performance.now() - t;
  return { records: 30, schedulesPerSecond: Math.round((r.schedulesRun * 1000) / ms), stepsPerSchedule: Math.round(r.totalSteps / r.schedulesRun) };
}

export async function runModelBench(): Promise<Record<string, unknown>> {
  const started = performance.now();
  // The writer records the load at the end; the throughput figures below come first.
  const loadAverage1mAtStart = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  // First, while only random schedules have run in this process (PCT and exhaustive runs make the runtime's strategy calls polymorphic).
  const pTests = await pTestThroughput();
  const f1Random = throughput('workload1-f1', 'random', 3000, 3);
  const base = throughput('workload1-base', 'random', 3000, 3);
  const result: Record<string, unknown> = {
    workload1PTests: {
      description: `schedules/s per P test at P's sizes (random schedules, every schedule run), 1 worker (this thread, warmed up) and 2 worker threads (whole run, worker start included); goal ${GOAL_SCHEDULES_PER_SECOND}/s`,
      ...pTests,
    },
    workload1: {
      description:
        "seed 003 Workload1 as P defines it: 3 batches x 50 records, one record per API call, Kafka batches of 5, three regional replicas per MongoDB; P's F1 (processor 1 failed and recovered) with P timing",
      random: f1Random,
      pct: throughput('workload1-f1', 'pct', 2000, 1),
      exhaustive: throughput('workload1-f1', 'exhaustive', 2000, 1),
      base,
      f2: throughput('workload1-f2', 'random', 2000, 1),
      small: smallThroughput(),
      goal: { schedulesPerSecond: GOAL_SCHEDULES_PER_SECOND },
      meetsGoal: (f1Random['schedulesPerSecondMedian'] ?? 0) >= GOAL_SCHEDULES_PER_SECOND,
      baseMeetsGoal: (base['schedulesPerSecondMedian'] ?? 0) >= GOAL_SCHEDULES_PER_SECOND,
      loadAverage1mAtStart,
    },
    workload1FirstViolation: {
      description: `time to the first violation per P test (seed 1, no shrinking, at most ${FIRST_VIOLATION_SCHEDULES} schedules or ${FIRST_VIOLATION_TIME_LIMIT_MS} ms)`,
      ...timeToFirstViolation(),
    },
    workload1Broken: {
      description: 'time to catch the planted processor bug (F3, P timing; median over 5 seeds); shrinking and trace rebuilding counted separately',
      random: timeToCatch('workload1-broken', 'random', [1, 2, 3, 4, 5]),
      pct: timeToCatch('workload1-broken', 'pct', [1, 2, 3, 4, 5]),
    },
    kafkaReplication: (() => {
      const t = performance.now();
      const rows = kafkaVerdictMatrix({ schedules: 200, seed: 1 });
      return { ms: Math.round(performance.now() - t), verdicts: rows };
    })(),
  };
  result['totalMs'] = Math.round(performance.now() - started);
  return result;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runModelBench();
  const record = {
    benchmark: 'model',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    ...result,
  };
  // dist/bench/model.js -> <repo>/bench/results/model.json
  const out = join(here, '..', '..', 'bench', 'results', 'model.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(record, null, 2) + '\n');
  process.stdout.write(JSON.stringify(record, null, 2) + '\n');
}

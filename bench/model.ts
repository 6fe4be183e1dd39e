import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkModel, findModel, type StrategyName } from '../src/model/index.js';
import { kafkaVerdictMatrix } from '../src/model/models/kafka-verdicts.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Schedules per second on the Workload1 model; goal >= 5,000 on this machine. */
const GOAL_SCHEDULES_PER_SECOND = 5000;

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

function timeToCatch(model: string, strategy: StrategyName, seeds: readonly number[]): Record<string, number> {
  const def = findModel(model).build({});
  const findMs: number[] = [];
  const totalMs: number[] = [];
  const schedulesNeeded: number[] = [];
  const shrunkSteps: number[] = [];
  for (const seed of seeds) {
    const t = performance.now();
    const r = checkModel(def, { strategy, schedules: 100_000, seed, shrinkTimeLimitMs: 5000 });
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

export async function runModelBench(): Promise<Record<string, unknown>> {
  const started = performance.now();
  const workload1Random = throughput('workload1', 'random', 10_000, 3);
  const result: Record<string, unknown> = {
    workload1: {
      description: 'seed 003 Workload1: 3 batches x 50 records, 10 records per message, outbound Kafka of region 1 failed in batch 2',
      random: workload1Random,
      pct: throughput('workload1', 'pct', 5000, 1),
      exhaustive: throughput('workload1', 'exhaustive', 5000, 1),
      base: throughput('workload1-base', 'random', 5000, 1),
      goal: { schedulesPerSecond: GOAL_SCHEDULES_PER_SECOND },
      meetsGoal: (workload1Random['schedulesPerSecondMedian'] ?? 0) >= GOAL_SCHEDULES_PER_SECOND,
    },
    workload1Broken: {
      description: 'time to catch the planted processor bug (scripted F3 fault; median over 5 seeds); shrinking and trace rebuilding counted separately',
      random: timeToCatch('workload1-broken', 'random', [1, 2, 3, 4, 5]),
      pct: timeToCatch('workload1-broken', 'pct', [1, 2, 3, 4, 5]),
      exhaustive: timeToCatch('workload1-broken', 'exhaustive', [1]),
    },
    workload1BrokenRandomFailures: {
      description: 'the same bug when the scheduler chooses which components fail (median over 5 seeds)',
      random: timeToCatch('workload1-broken-random-failures', 'random', [1, 2, 3, 4, 5]),
      pct: timeToCatch('workload1-broken-random-failures', 'pct', [1, 2, 3, 4, 5]),
      exhaustive: timeToCatch('workload1-broken-random-failures', 'exhaustive', [1]),
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

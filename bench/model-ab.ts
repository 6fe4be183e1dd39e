/**
 * A/B comparison of two builds of the model checker in one process: runs the same model, seeds and
 * schedule counts alternately on this build (B) and on another checkout's build (A), in chunks, so both
 * see the same machine load, and prints the median per-chunk ns per step of each (process CPU time, which
 * includes V8's compiler and GC threads, and wall time) and the median per-chunk ratio A/B of each.
 * Usage, after building both checkouts:
 *   node dist/bench/model-ab.js <other checkout> [models, comma-separated] [schedules per chunk] [rounds]
 */
import { performance } from 'node:perf_hooks';
import { cpuUsage } from 'node:process';
import { pathToFileURL } from 'node:url';
import * as here from '../src/model/index.js';

type ModelApi = Pick<typeof here, 'checkModel' | 'findModel'>;

const DEFAULT_MODELS = 'workload1-base,workload1-f1,workload1-f2,workload1-f3,workload1-f4,workload1-failover';
const DEFAULT_SCHEDULES = 300;
const DEFAULT_ROUNDS = 8;
const WARMUP_SCHEDULES = 300;

interface Sample {
  readonly cpuNs: number;
  readonly wallNs: number;
}

/** CPU and wall ns per step of `schedules` random schedules from `seed`. */
function nsPerStep(api: ModelApi, modelName: string, schedules: number, seed: number): Sample {
  const model = api.findModel(modelName).build({});
  const before = cpuUsage();
  const started = performance.now();
  const r = api.checkModel(model, { strategy: 'random', schedules, seed, coverage: false, stopOnViolation: false, shrink: false });
  const wallMs = performance.now() - started;
  const used = cpuUsage(before);
  return { cpuNs: ((used.user + used.system) * 1000) / r.totalSteps, wallNs: (wallMs * 1e6) / r.totalSteps };
}

function summary(label: string, a: readonly number[], b: readonly number[]): string {
  const ratios = a.map((x, i) => x / (b[i] as number));
  return `${label} A ${median(a).toFixed(1)} B ${median(b).toFixed(1)} ns/step, A/B ${median(ratios).toFixed(3)}`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function main(): Promise<void> {
  const otherDir = process.argv[2];
  if (otherDir === undefined) throw new Error('usage: model-ab.js <other checkout> [models] [schedules] [rounds]');
  const other = (await import(pathToFileURL(`${otherDir}/dist/src/model/index.js`).href)) as ModelApi;
  const models = (process.argv[3] ?? DEFAULT_MODELS).split(',');
  const schedules = Number(process.argv[4] ?? DEFAULT_SCHEDULES);
  const rounds = Number(process.argv[5] ?? DEFAULT_ROUNDS);
  for (const name of models) {
    nsPerStep(other, name, WARMUP_SCHEDULES, 1);
    nsPerStep(here, name, WARMUP_SCHEDULES, 1);
    const a: Sample[] = [];
    const b: Sample[] = [];
    for (let round = 0; round < rounds; round++) {
      // Alternate which build runs first, so neither always follows the other's garbage.
      const seed = 100 + round;
      if (round % 2 === 0) a.push(nsPerStep(other, name, schedules, seed));
      b.push(nsPerStep(here, name, schedules, seed));
      if (round % 2 !== 0) a.push(nsPerStep(other, name, schedules, seed));
    }
    const cpu = summary('cpu', a.map((x) => x.cpuNs), b.map((x) => x.cpuNs));
    const wall = summary('wall', a.map((x) => x.wallNs), b.map((x) => x.wallNs));
    process.stdout.write(`${name}: ${cpu}; ${wall}\n`);
  }
}

await main();

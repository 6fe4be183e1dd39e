/**
 * A/B comparison of two builds of the model checker in one process: runs the same model, seeds and
 * schedule counts alternately on this build (B) and on another checkout's build (A), in chunks, so both
 * see the same machine load, and prints the median per-chunk CPU ns per step of each and their ratio.
 * Usage, after building both checkouts:
 *   node dist/bench/model-ab.js <other checkout> [models, comma-separated] [schedules per chunk] [rounds]
 */
import { cpuUsage } from 'node:process';
import { pathToFileURL } from 'node:url';
import * as here from '../src/model/index.js';

type ModelApi = Pick<typeof here, 'checkModel' | 'findModel'>;

const DEFAULT_MODELS = 'workload1-base,workload1-f1,workload1-f2,workload1-f3,workload1-f4,workload1-failover';
const DEFAULT_SCHEDULES = 300;
const DEFAULT_ROUNDS = 8;
const WARMUP_SCHEDULES = 300;

/** CPU ns per step of `schedules` random schedules from `seed`. */
function nsPerStep(api: ModelApi, modelName: string, schedules: number, seed: number): number {
  const model = api.findModel(modelName).build({});
  const before = cpuUsage();
  const r = api.checkModel(model, { strategy: 'random', schedules, seed, coverage: false, stopOnViolation: false, shrink: false });
  const used = cpuUsage(before);
  return ((used.user + used.system) * 1000) / r.totalSteps;
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
    const a: number[] = [];
    const b: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const seed = 100 + round;
      const first = round % 2 === 0;
      const x = first ? nsPerStep(other, name, schedules, seed) : 0;
      const y = nsPerStep(here, name, schedules, seed);
      const xx = first ? x : nsPerStep(other, name, schedules, seed);
      a.push(xx);
      b.push(y);
      ratios.push(xx / y);
    }
    process.stdout.write(`${name}: A ${median(a).toFixed(1)} ns/step, B ${median(b).toFixed(1)} ns/step, A/B ${median(ratios).toFixed(3)}\n`);
  }
}

await main();

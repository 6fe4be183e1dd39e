/**
 * A small driver for profiling the model checker's hot loop: runs one model for a number of schedules
 * (after a warm-up) and prints schedules/s and ns per step. Usage, after a build:
 *   node [--cpu-prof] dist/bench/model-speed.js [model] [schedules] [strategy]
 */
import { performance } from 'node:perf_hooks';
import { checkModel, findModel, STRATEGY_NAMES, type StrategyName } from '../src/model/index.js';

const DEFAULT_MODEL = 'workload1-f1';
const DEFAULT_SCHEDULES = 2000;
const WARMUP_SCHEDULES = 500;

function strategyArg(value: string | undefined): StrategyName {
  const found = STRATEGY_NAMES.find((s) => s === value);
  return found ?? 'random';
}

const modelName = process.argv[2] ?? DEFAULT_MODEL;
const schedules = Number(process.argv[3] ?? DEFAULT_SCHEDULES);
const strategy = strategyArg(process.argv[4]);
const model = findModel(modelName).build({});
checkModel(model, { strategy, schedules: WARMUP_SCHEDULES, seed: 1, coverage: false });
const started = performance.now();
const r = checkModel(model, { strategy, schedules, seed: 100 });
const ms = performance.now() - started;
const perSecond = Math.round((r.schedulesRun * 1000) / ms);
const nsPerStep = Math.round((ms * 1e6) / r.totalSteps);
process.stdout.write(`${modelName} ${strategy}: ${r.schedulesRun} schedules in ${Math.round(ms)} ms, ${perSecond}/s, ${Math.round(r.totalSteps / r.schedulesRun)} steps/schedule, ${nsPerStep} ns/step\n`);

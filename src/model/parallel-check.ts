/**
 * Parallel exploration: the schedule indices of a check are split into blocks that worker threads
 * (node:worker_threads, one model each) explore. Schedule i is seeded from (seed, i) alone, so it is
 * the same schedule whatever the worker count; blocks are handed out in index order and every block
 * handed out is finished, so the schedules counted are always indices 0..n-1, and with
 * `stopOnViolation` the blocks past the lowest violating index are dropped (`BlockMerger`): the first
 * violation reported, the schedule count, the outcome counts and the coverage are those of one thread.
 * Random schedules only: PCT's step estimate and exhaustive search carry state from one schedule to
 * the next.
 */
import { Worker } from 'node:worker_threads';
import { UsageError } from '../errors.js';
import { checkModel, checkResult, checkSettings, type CheckOptions, type CheckResult, type StrategyName } from './check.js';
import { BlockMerger, type BlockDone, type MergedBlocks } from './block-merger.js';
import { findModel } from './models/registry.js';

/**
 * Default worker count: 1. A worker costs its start (~0.1 s: module loading, a cold JIT) and a core
 * the machine may need for other work (Kafka clusters, a test run); more is opt-in (`--workers N`).
 */
export const DEFAULT_WORKERS = 1;
/** Bound on the worker count. */
export const MAX_WORKERS = 64;
/** Schedules per block: large enough that messages cost little, small enough that a stop wastes little. */
const DEFAULT_BLOCK_SCHEDULES = 32;

export interface ParallelCheckOptions extends CheckOptions {
  /** Worker threads exploring schedules (default DEFAULT_WORKERS; 1 explores in this thread). */
  readonly workers?: number;
  /** Schedules per block handed to a worker (default 32). */
  readonly blockSchedules?: number;
}

/** What a worker is started with (`workerData`). */
export interface WorkerSetup {
  readonly model: string;
  readonly params: Readonly<Record<string, string>>;
  readonly strategy: StrategyName;
  readonly seed: number;
  readonly maxSteps: number;
  readonly pctDepth: number | undefined;
  readonly coverage: boolean;
  readonly stopOnViolation: boolean;
  /** `performance.timeOrigin + performance.now()` at the check's start. */
  readonly startedEpochMs: number;
}

/** A block of schedule indices `from .. to - 1` for a worker. */
export interface BlockRequest {
  readonly from: number;
  readonly to: number;
}

function validate(workers: number, blockSchedules: number, strategy: StrategyName): void {
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) throw new UsageError(`workers: ${workers} is not an integer in 1..${MAX_WORKERS}`);
  if (!Number.isInteger(blockSchedules) || blockSchedules < 1) throw new UsageError(`blockSchedules: ${blockSchedules} is not a positive integer`);
  if (workers > 1 && strategy !== 'random') {
    throw new UsageError(`workers: ${workers} needs strategy 'random' (strategy '${strategy}' carries state from one schedule to the next, so it runs in one thread)`);
  }
}

/**
 * Checks the registered model `name` (built with `options.params`) with `options.workers` threads;
 * the result is the one `checkModel` gives in one thread, except for the timings.
 */
export async function checkModelParallel(name: string, options: ParallelCheckOptions = {}): Promise<CheckResult> {
  const model = findModel(name).build(options.params ?? {});
  const settings = checkSettings(model, options);
  const workers = options.workers ?? DEFAULT_WORKERS;
  validate(workers, options.blockSchedules ?? DEFAULT_BLOCK_SCHEDULES, settings.strategy);
  if (workers === 1) return checkModel(model, options);
  const started = performance.now();
  const setup: WorkerSetup = {
    model: name,
    params: settings.params,
    strategy: settings.strategy,
    seed: settings.seed,
    maxSteps: settings.maxSteps,
    pctDepth: options.pctDepth,
    coverage: options.coverage !== false,
    stopOnViolation: options.stopOnViolation !== false,
    startedEpochMs: performance.timeOrigin + started,
  };
  const merged = await runBlocks(setup, workers, settings.schedules, options, started);
  return checkResult(settings, { ...merged, elapsedMs: Math.round(performance.now() - started), complete: false });
}

/** Calls `options.onProgress` at most every `progressIntervalMs` as blocks come in. */
function progressReporter(options: CheckOptions, schedules: number, started: number): (merged: BlockMerger) => void {
  const every = options.progressIntervalMs ?? 2000;
  let last = started;
  return (merged) => {
    const now = performance.now();
    if (options.onProgress === undefined || now - last < every) return;
    last = now;
    options.onProgress({ schedulesRun: merged.schedulesRun, schedules, elapsedMs: Math.round(now - started), totalSteps: merged.totalSteps });
  };
}

/**
 * Starts the workers and hands out blocks in index order until the schedules, the time limit or (with
 * `stopOnViolation`) a violation end it; resolves when every block handed out is done.
 */
function runBlocks(setup: WorkerSetup, workers: number, schedules: number, options: ParallelCheckOptions, started: number): Promise<MergedBlocks> {
  const blockSchedules = options.blockSchedules ?? DEFAULT_BLOCK_SCHEDULES;
  const deadline = options.timeLimitMs !== undefined ? started + options.timeLimitMs : Number.POSITIVE_INFINITY;
  const progress = progressReporter(options, schedules, started);
  return new Promise((resolve, reject) => {
    const merger = new BlockMerger(setup.stopOnViolation, setup.coverage);
    const pool: Worker[] = [];
    let next = 0;
    let busy = 0;
    let violated = false;
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      for (const w of pool) void w.terminate();
      if (error !== undefined) reject(error);
      else resolve(merger.result());
    };
    const dispatch = (w: Worker): void => {
      if (next >= schedules || violated || performance.now() >= deadline) {
        if (busy === 0) finish();
        return;
      }
      const block: BlockRequest = { from: next, to: Math.min(schedules, next + blockSchedules) };
      next = block.to;
      busy++;
      w.postMessage(block);
    };
    for (let i = 0; i < workers; i++) {
      const w = new Worker(new URL('./check-worker.js', import.meta.url), { workerData: setup });
      pool.push(w);
      w.on('message', (b: BlockDone) => {
        busy--;
        merger.add(b);
        if (setup.stopOnViolation && b.first !== undefined) violated = true;
        progress(merger);
        dispatch(w);
      });
      w.on('error', (error) => finish(error));
      w.on('exit', (code) => finish(new Error(`model check worker ${i} exited (code ${code}) before the check ended`)));
      dispatch(w);
    }
  });
}

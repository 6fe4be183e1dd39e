/**
 * A worker thread of a parallel check (`checkModelParallel`): builds the registered model once, then
 * explores each block of schedule indices the coordinator sends and answers with the block's counts,
 * its first violation and its coverage.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { makeStrategy } from './check.js';
import { Coverage } from './coverage.js';
import { exploreRange } from './explore.js';
import { findModel } from './models/registry.js';
import type { BlockDone } from './block-merger.js';
import type { BlockRequest, WorkerSetup } from './parallel-check.js';

const setup = workerData as WorkerSetup;
const port = parentPort;
if (port === null) throw new Error('check-worker: not started as a worker thread');
const model = findModel(setup.model).build(setup.params);
const strategy = makeStrategy(setup.strategy, setup.seed, setup.maxSteps, { pctDepth: setup.pctDepth });
// The coordinator's start on this thread's clock (each thread's performance.now() has its own origin).
const startedMs = setup.startedEpochMs - performance.timeOrigin;

port.on('message', (block: BlockRequest) => {
  const coverage = setup.coverage ? new Coverage() : undefined;
  const r = exploreRange(model, strategy, { from: block.from, to: block.to, maxSteps: setup.maxSteps, coverage, stopOnViolation: setup.stopOnViolation, startedMs });
  const done: BlockDone = { ...r, from: block.from, to: block.to, coverage: coverage?.entries() };
  port.postMessage(done);
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { writePipelineHistory, type PipelineHistoryShape } from './pipeline-history.js';
import { writeBenchResult } from './write-result.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Goal of issue 11: output verification of 10,000,000 records in < 10 s (memory: < 1 GB, as the other checkers). */
const GOAL = { checkMs: 10_000, maxRssBytes: 1024 ** 3 };

function child(path: string, mode: 'pipeline' | 'all'): Record<string, unknown> {
  // Fresh child process: its peak RSS is the check's alone. The file is in the page cache, as after a run.
  // The load average says how busy the (shared) machine was: wall time includes waiting for a core.
  const loadAverage1m = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  const run = spawnSync(process.execPath, [join(here, 'pipeline-child.js'), path, mode], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`pipeline checker child failed (${run.status}): ${run.stderr}`);
  const result = JSON.parse(run.stdout) as { checkMs: number; maxRssBytes: number };
  return { ...result, loadAverage1m, meetsGoal: result.checkMs < GOAL.checkMs && result.maxRssBytes < GOAL.maxRssBytes };
}

async function one(shape: PipelineHistoryShape): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-pipeline-'));
  try {
    const path = join(dir, 'history.jsonl');
    const genStart = performance.now();
    const file = writePipelineHistory(path, shape);
    const generateMs = Math.round(performance.now() - genStart);
    return { shape, file, generateMs, goal: GOAL, pipelineAlone: child(path, 'pipeline'), everyRunChecker: child(path, 'all') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Pipeline checker benchmark: a correct exactly-once history of 10,000,000 out records (1 in 100 a DLQ
 * record with headers), its 10,000,000 input sends written as ok lines (`okOnly`) and as invoke + ok
 * (`withInvokes`), checked from disk in a fresh child by the pipeline checker alone and by every run
 * checker (`faultline check`). FAULTLINE_BENCH_PIPELINE_SCALE scales the size (0.01 for a quick try).
 */
export async function runPipelineBench(): Promise<Record<string, unknown>> {
  const scale = Number(process.env['FAULTLINE_BENCH_PIPELINE_SCALE'] ?? 1);
  const base = { values: Math.round(10_000_000 * scale), inputPartitions: 8, outputPartitions: 8, poisonEvery: 100, keys: 1000 };
  return { okOnly: await one({ ...base, invokes: false }), withInvokes: await one({ ...base, invokes: true }) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeBenchResult('pipeline', await runPipelineBench());
}

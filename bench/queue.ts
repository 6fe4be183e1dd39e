import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { writeQueueHistory, type QueueHistoryShape } from './queue-history.js';
import { writeBenchResult } from './write-result.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Goals of issue 10: 1M transactional ops in < 10 s and < 1 GB; 10M non-transactional ops in < 30 s. */
const GOALS = { transactional: { checkMs: 10_000, maxRssBytes: 1024 ** 3 }, plain: { checkMs: 30_000, maxRssBytes: 1024 ** 3 } };

async function one(name: 'transactional' | 'plain', shape: QueueHistoryShape): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-queue-'));
  try {
    const path = join(dir, 'history.jsonl');
    const genStart = performance.now();
    const file = writeQueueHistory(path, shape);
    const generateMs = Math.round(performance.now() - genStart);
    // Fresh child process: its peak RSS is the check's alone. The file is in the page cache, as after a run.
    const child = spawnSync(process.execPath, [join(here, 'queue-child.js'), path], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (child.status !== 0) throw new Error(`queue checker child failed (${child.status}): ${child.stderr}`);
    const run = JSON.parse(child.stdout) as { checkMs: number; maxRssBytes: number };
    const goal = GOALS[name];
    return { shape, file, generateMs, ...run, goal, meetsGoal: run.checkMs < goal.checkMs && run.maxRssBytes < goal.maxRssBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Queue checker benchmark: a 1,000,000-line transactional history (cycle search included) and a
 * 10,000,000-line non-transactional one, written to a temp journal and checked from disk by every run
 * checker in a fresh child. FAULTLINE_BENCH_QUEUE_SCALE scales both (0.01 for a quick try).
 */
export async function runQueueBench(): Promise<Record<string, unknown>> {
  const scale = Number(process.env['FAULTLINE_BENCH_QUEUE_SCALE'] ?? 1);
  const transactional = await one('transactional', { lines: Math.round(1_000_000 * scale), transactional: true, processes: 10, partitions: 8 });
  const plain = await one('plain', { lines: Math.round(10_000_000 * scale), transactional: false, processes: 10, partitions: 8 });
  return { transactional, plain };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeBenchResult('queue', await runQueueBench());
}

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { writeSyntheticHistory } from './checker-history.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Exact checker benchmark: writes a synthetic 10,000,000-operation history to a temp dir, then checks it
 * from disk in a fresh child process (so its peak RSS is the checker's alone). Goal: < 5 s and < 1 GB.
 * FAULTLINE_BENCH_OPS overrides the size (for a quick try).
 */
export async function runCheckerBench(): Promise<Record<string, unknown>> {
  const operations = Number(process.env['FAULTLINE_BENCH_OPS'] ?? 10_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-checker-'));
  try {
    const historyPath = join(dir, 'history.jsonl');
    const genStart = performance.now();
    const file = writeSyntheticHistory(historyPath, { operations, producers: 10, partitions: 3 });
    const generateMs = Math.round(performance.now() - genStart);
    const runs: Record<string, unknown>[] = [];
    // Three runs; the file is in the page cache after the first (as it is right after a real run).
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const child = spawnSync(process.execPath, [join(here, 'checker-child.js'), historyPath], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
      const wallMs = Math.round(performance.now() - t);
      if (child.status !== 0) throw new Error(`checker child failed (${child.status}): ${child.stderr}`);
      runs.push({ wallMsIncludingNodeStart: wallMs, ...(JSON.parse(child.stdout) as Record<string, unknown>) });
    }
    const checkMs = runs.map((r) => r['checkMs'] as number);
    const rss = runs.map((r) => r['maxRssBytes'] as number);
    return {
      benchmark: 'checker',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', totalMemBytes: totalmem(), node: process.version },
      history: { operations: file.operations, values: file.values, lines: file.lines, bytes: file.bytes, producers: 10, partitions: 3 },
      generateMs,
      checkMsBest: Math.min(...checkMs),
      checkMsWorst: Math.max(...checkMs),
      maxRssBytesWorst: Math.max(...rss),
      goal: { checkMs: 5000, maxRssBytes: 1024 ** 3 },
      meetsGoal: Math.max(...checkMs) < 5000 && Math.max(...rss) < 1024 ** 3,
      runs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runCheckerBench();
  const out = join(here, '..', '..', 'bench', 'results', 'checker.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

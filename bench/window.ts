import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WindowBenchShape } from './window-input.js';
import { writeBenchResult } from './write-result.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Goal of issue 12: window verification of 10,000,000 events in under 10 s. */
const TARGET_SECONDS = 10;
const MIB = 1024 * 1024;

/**
 * Window checker benchmark: 10,000,000 events over 1,000 keys and one hour of event time in 10 s windows
 * (about 360,000 windows), 1 in 1,000 sends unknown, the watermark at max event time - 5 s; one result per
 * final window, with 1 in 1,009 windows missing and 1 in 97 one event short (late drops the checker must count
 * exactly). Generated and checked in a fresh child (its peak RSS is the input's and the check's alone).
 * FAULTLINE_BENCH_WINDOW_SCALE scales the number of events (0.01 for a quick try).
 */
export async function runWindowBench(): Promise<Record<string, unknown>> {
  const scale = Number(process.env['FAULTLINE_BENCH_WINDOW_SCALE'] ?? 1);
  const shape: WindowBenchShape = {
    events: Math.round(10_000_000 * scale), keys: 1000, sizeMs: 10_000, latenessMs: 5_000, spanMs: 3_600_000, jitterMs: 5_000,
    unknownEvery: 1000, missingEvery: 1009, dropEvery: 97, resultPartitions: 8, seed: 12,
  };
  const loadAverage1m = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  const run = spawnSync(process.execPath, ['--expose-gc', join(here, 'window-child.js'), JSON.stringify(shape)], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`window checker child failed (${run.status}): ${run.stderr}`);
  const r = JSON.parse(run.stdout) as { checkMs: number; maxRssBytes: number; inputRssBytes: number } & Record<string, unknown>;
  const seconds = r.checkMs / 1000;
  return {
    shape,
    events: shape.events,
    seconds,
    peakRssMiB: Math.round(r.maxRssBytes / MIB),
    inputRssMiB: Math.round(r.inputRssBytes / MIB),
    // What the check adds to the input's RSS (its typed arrays, the table, the listed cases).
    checkRssMiB: Math.round((r.maxRssBytes - r.inputRssBytes) / MIB),
    targetSeconds: TARGET_SECONDS,
    metTarget: seconds < TARGET_SECONDS,
    loadAverage1m,
    child: r,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeBenchResult('window', await runWindowBench());
}

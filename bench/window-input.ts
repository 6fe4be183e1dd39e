import { SeededRandom } from '../src/util/seeded-random.js';
import type { WindowCheckInput, WindowEvent, WindowResult } from '../src/checker/window-types.js';

/** The shape of a generated window-check input. */
export interface WindowBenchShape {
  events: number;
  keys: number;
  sizeMs: number;
  latenessMs: number;
  /** Event times run over this span (in input order) plus a jitter in [0, jitterMs). */
  spanMs: number;
  jitterMs: number;
  /** 1 in `unknownEvery` sends is unknown (never written). */
  unknownEvery: number;
  /** Of the final windows with events: 1 in `missingEvery` is not emitted, 1 in `dropEvery` is emitted one event short. */
  missingEvery: number;
  dropEvery: number;
  resultPartitions: number;
  seed: number;
}

/** What the checker must find in the generated input. */
export interface WindowBenchExpected {
  droppedLate: number;
  missingWindows: number;
}

/** 2026-01-01T00:00:00Z, a multiple of every window size used here. */
const EPOCH_MS = 1_767_225_600_000;

/**
 * A deterministic input for the window checker: events with fresh key strings (as a journal reader makes them),
 * times increasing with a jitter, the watermark Spark would reach (max event time - lateness), and per final
 * window one result with its acknowledged count, less the injected late drops.
 */
export function generateWindowInput(shape: WindowBenchShape): { input: WindowCheckInput; expected: WindowBenchExpected } {
  const random = new SeededRandom(shape.seed);
  const windowCount = Math.ceil((shape.spanMs + shape.jitterMs) / shape.sizeMs) + 1;
  const acked = new Int32Array(shape.keys * windowCount);
  const events: WindowEvent[] = new Array<WindowEvent>(shape.events);
  let maxTime = EPOCH_MS;
  for (let i = 0; i < shape.events; i++) {
    const k = random.int(shape.keys);
    const t = EPOCH_MS + Math.floor((i * shape.spanMs) / shape.events) + random.int(shape.jitterMs);
    const ok = i % shape.unknownEvery !== 0;
    events[i] = { id: i, key: `k${k}`, eventTimeMs: t, acked: ok ? 'ok' : 'unknown' };
    const at = k * windowCount + Math.floor((t - EPOCH_MS) / shape.sizeMs);
    if (ok) acked[at] = (acked[at] as number) + 1;
    if (t > maxTime) maxTime = t;
  }
  const watermarkMs = maxTime - shape.latenessMs;
  const { results, expected } = resultsFor(acked, windowCount, watermarkMs, shape);
  return { input: { events, results, rules: { sizeMs: shape.sizeMs, latenessMs: shape.latenessMs }, watermarkMs, sinkExactlyOnce: true }, expected };
}

function resultsFor(acked: Int32Array, windowCount: number, watermarkMs: number, shape: WindowBenchShape): { results: WindowResult[]; expected: WindowBenchExpected } {
  const results: WindowResult[] = [];
  const offsets = new Array<number>(shape.resultPartitions).fill(0);
  const expected: WindowBenchExpected = { droppedLate: 0, missingWindows: 0 };
  let seen = 0;
  for (let w = 0; w < windowCount; w++) {
    const startMs = EPOCH_MS + w * shape.sizeMs;
    if (startMs + shape.sizeMs > watermarkMs) break;
    for (let k = 0; k < shape.keys; k++) {
      const n = acked[k * windowCount + w] as number;
      if (n === 0) continue;
      seen++;
      const short = seen % shape.dropEvery === 0 && n > 1 ? 1 : 0;
      if (seen % shape.missingEvery === 0) {
        expected.missingWindows++;
        expected.droppedLate += n;
        continue;
      }
      expected.droppedLate += short;
      const partition = k % shape.resultPartitions;
      const offset = offsets[partition] as number;
      offsets[partition] = offset + 1;
      results.push({ key: `k${k}`, value: `${startMs}:${startMs + shape.sizeMs}:${n - short}`, partition, offset });
    }
  }
  return { results, expected };
}

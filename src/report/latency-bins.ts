/**
 * A latency distribution in log-spaced bins (2% wide), so one second of a timeline keeps a fixed-size
 * array however many sends completed in it. Percentiles are within 2% of the exact ones; the maximum is exact.
 */

const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);
/** Bins reach 2^31 ms (about 25 days); a longer latency lands in the last bin. */
const MAX_BIN = Math.ceil(Math.log(2 ** 31) / LOG_GROWTH) + 1;

/** Bin 0 holds latencies under 1 ms; bin k >= 1 holds [GROWTH^(k-1), GROWTH^k). */
function binOf(latencyMs: number): number {
  if (latencyMs < 1) return 0;
  return Math.min(MAX_BIN, 1 + Math.floor(Math.log(latencyMs) / LOG_GROWTH));
}

/** The middle (geometric) of bin k, the value a percentile in it reports. */
function binValueMs(bin: number): number {
  if (bin === 0) return 0.5;
  return Math.pow(GROWTH, bin - 0.5);
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export class LatencyBins {
  private readonly counts = new Map<number, number>();
  private count = 0;
  private maxMs = 0;

  add(latencyMs: number): void {
    const bin = binOf(Math.max(0, latencyMs));
    this.counts.set(bin, (this.counts.get(bin) ?? 0) + 1);
    this.count++;
    if (latencyMs > this.maxMs) this.maxMs = latencyMs;
  }

  /** null when nothing was added. */
  summary(): LatencySummary | null {
    if (this.count === 0) return null;
    const bins = [...this.counts.keys()].sort((a, b) => a - b);
    return { count: this.count, p50Ms: this.percentile(bins, 0.5), p99Ms: this.percentile(bins, 0.99), maxMs: this.maxMs };
  }

  /** The value at rank ceil(q * count), never above the exact maximum. */
  private percentile(sortedBins: readonly number[], q: number): number {
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (const bin of sortedBins) {
      seen += this.counts.get(bin) ?? 0;
      if (seen >= rank) return Math.min(this.maxMs, binValueMs(bin));
    }
    return this.maxMs;
  }
}

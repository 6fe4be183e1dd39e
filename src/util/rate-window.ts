/** Bound on the samples a window keeps, whatever the sampling rate. */
export const MAX_RATE_SAMPLES = 256;

/**
 * The rate of a growing total over the last `windowMs`: feed it (time, total) samples in time order; `perSec`
 * is the growth between the oldest sample still in the window and the newest, per second. Null until two
 * samples at least `minSpanMs` apart are in the window.
 */
export class RateWindow {
  private readonly samples: { readonly timeMs: number; readonly total: number }[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly minSpanMs = Math.min(500, windowMs),
  ) {}

  add(timeMs: number, total: number): void {
    this.samples.push({ timeMs, total });
    // Keep one sample at or before the window's start, so the rate spans the whole window.
    while (this.samples.length > 2 && (this.samples[1]?.timeMs ?? timeMs) <= timeMs - this.windowMs) this.samples.shift();
    if (this.samples.length > MAX_RATE_SAMPLES) this.samples.shift();
  }

  get perSec(): number | null {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (first === undefined || last === undefined) return null;
    const spanMs = last.timeMs - first.timeMs;
    return spanMs < this.minSpanMs ? null : ((last.total - first.total) * 1000) / spanMs;
  }
}

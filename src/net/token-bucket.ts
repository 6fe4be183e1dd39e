/**
 * Token bucket measured in bytes. Tokens refill continuously at `rateBytesPerSec` up to `burstBytes`.
 * Callers take what is available (partial grants) so slow rates still trickle rather than burst a whole chunk.
 */
export class TokenBucket {
  private rateBytesPerSec: number;
  private burstBytes: number;
  private tokens: number;
  private lastRefillMs: number;

  constructor(rateBytesPerSec: number, nowMs: number) {
    this.rateBytesPerSec = rateBytesPerSec;
    this.burstBytes = burstFor(rateBytesPerSec);
    this.tokens = this.burstBytes;
    this.lastRefillMs = nowMs;
  }

  get rate(): number {
    return this.rateBytesPerSec;
  }

  /** Changes the rate live; keeps tokens already earned (capped to the new burst). */
  setRate(rateBytesPerSec: number, nowMs: number): void {
    this.refill(nowMs);
    this.rateBytesPerSec = rateBytesPerSec;
    this.burstBytes = burstFor(rateBytesPerSec);
    this.tokens = Math.min(this.tokens, this.burstBytes);
  }

  /**
   * Grants up to `wantedBytes` (0 when fewer than min(wanted, burst/4) tokens are there, so we do not dribble
   * out 1-byte writes; waiting for only a quarter of the burst means late timers do not lose refill to the cap).
   */
  take(wantedBytes: number, nowMs: number): number {
    this.refill(nowMs);
    const needed = this.threshold(wantedBytes);
    if (this.tokens < needed) return 0;
    const granted = Math.min(wantedBytes, Math.floor(this.tokens));
    this.tokens -= granted;
    return granted;
  }

  /** Milliseconds until `take(wantedBytes)` would grant something. */
  waitMs(wantedBytes: number, nowMs: number): number {
    this.refill(nowMs);
    const needed = this.threshold(wantedBytes);
    const missing = needed - this.tokens;
    return missing <= 0 ? 0 : (missing / this.rateBytesPerSec) * 1000;
  }

  private threshold(wantedBytes: number): number {
    return Math.min(wantedBytes, Math.max(1, Math.floor(this.burstBytes / 4)));
  }

  private refill(nowMs: number): void {
    const elapsedMs = nowMs - this.lastRefillMs;
    if (elapsedMs > 0) {
      this.tokens = Math.min(this.burstBytes, this.tokens + (elapsedMs / 1000) * this.rateBytesPerSec);
      this.lastRefillMs = nowMs;
    }
  }
}

/** Burst = 20 ms worth of rate, within [1 B, 4 MiB]: small enough for accuracy, large enough to avoid a timer per byte. */
function burstFor(rateBytesPerSec: number): number {
  return Math.max(1, Math.min(4 * 1024 * 1024, Math.round(rateBytesPerSec * 0.02)));
}

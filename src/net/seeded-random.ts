/**
 * Small seeded PRNG (mulberry32) so jitter samples are reproducible for a given seed.
 * Not cryptographic; 32-bit state is plenty for timing noise.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    // Mix the seed so small seeds (0, 1, 2) still give unrelated streams.
    this.state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [-spread, +spread]. */
  symmetric(spread: number): number {
    return (this.next() * 2 - 1) * spread;
  }
}

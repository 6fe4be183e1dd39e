/**
 * A map from integer keys to non-negative integers (ids), for the queue checker's hot paths: keys in a
 * dense range `0..capacity` live in a typed array, others (negative, or far beyond what was seen) in a Map.
 * The dense range grows by doubling while the keys stay dense enough.
 */
const ABSENT = -1;
const INITIAL_CAPACITY = 1024;
/** A key beyond this many slots per stored key (plus the initial size) goes to the sparse map. */
const DENSITY = 4;

export class IntKeyMap {
  private dense = new Int32Array(INITIAL_CAPACITY).fill(ABSENT);
  private readonly sparse = new Map<number, number>();
  private count = 0;

  /** The id stored for `key`, or -1. */
  get(key: number): number {
    if (key >= 0 && key < this.dense.length) return this.dense[key] as number;
    return this.sparse.get(key) ?? ABSENT;
  }

  /** Stores `id` for `key` (overwrites). */
  set(key: number, id: number): void {
    if (key >= 0 && key >= this.dense.length && key < DENSITY * (this.count + 1) + INITIAL_CAPACITY) this.growTo(key + 1);
    if (key >= 0 && key < this.dense.length) {
      if (this.dense[key] === ABSENT) this.count++;
      this.dense[key] = id;
      return;
    }
    if (!this.sparse.has(key)) this.count++;
    this.sparse.set(key, id);
  }

  /** Every key, ascending. */
  sortedKeys(): Float64Array {
    const out = new Float64Array(this.count);
    const sparse = Float64Array.from(this.sparse.keys()).sort();
    let n = 0;
    let s = 0;
    while (s < sparse.length && (sparse[s] as number) < 0) out[n++] = sparse[s++] as number;
    for (let k = 0; k < this.dense.length; k++) if (this.dense[k] !== ABSENT) out[n++] = k;
    while (s < sparse.length) out[n++] = sparse[s++] as number;
    return out;
  }

  private growTo(minLength: number): void {
    let length = this.dense.length;
    while (length < minLength) length *= 2;
    const bigger = new Int32Array(length).fill(ABSENT);
    bigger.set(this.dense);
    // Keys now inside the dense range move there from the sparse map.
    for (const [key, id] of this.sparse) {
      if (key >= this.dense.length && key < length) {
        bigger[key] = id;
        this.sparse.delete(key);
      }
    }
    this.dense = bigger;
  }
}

type Typed = Int32Array | Float64Array | Uint8Array;

/** A copy of `a` with room for at least `n` elements (doubling), new slots filled with `fill`. */
export function grown<T extends Typed>(a: T, n: number, fill = 0): T {
  if (n <= a.length) return a;
  let length = Math.max(16, a.length);
  while (length < n) length *= 2;
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/** First i with a[i] >= x. */
export function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Initial number of window slots (the table doubles when full). */
const INITIAL_SLOTS = 1024;
/** Above this share of used hash cells the hash index doubles. */
const MAX_LOAD = 0.5;
const EMPTY = -1;

/**
 * The (key index, window start) -> slot map of the window checker, and per slot its tallies, in typed arrays:
 * no object per event or per window. Open addressing with linear probing over an Int32Array of slot numbers.
 * Slots are numbered 0..size-1 in first-seen order. Arrays are replaced when they grow: read them after `slotOf`.
 */
export class WindowTable {
  size = 0;
  keyIndex = new Int32Array(INITIAL_SLOTS);
  startMs = new Float64Array(INITIAL_SLOTS);
  acked = new Int32Array(INITIAL_SLOTS);
  unknown = new Int32Array(INITIAL_SLOTS);
  /** Well-formed result records for the window, the first one's count, the highest count, and whether counts differ. */
  emissions = new Int32Array(INITIAL_SLOTS);
  firstCount = new Float64Array(INITIAL_SLOTS);
  maxCount = new Float64Array(INITIAL_SLOTS);
  conflicting = new Uint8Array(INITIAL_SLOTS);
  private cells = new Int32Array(INITIAL_SLOTS * 2).fill(EMPTY);
  private mask = INITIAL_SLOTS * 2 - 1;

  /** The slot of (key, startMs), added when new. */
  slotOf(key: number, startMs: number): number {
    const cell = this.probe(key, startMs);
    const slot = this.cells[cell] as number;
    return slot === EMPTY ? this.add(key, startMs, cell) : slot;
  }

  /** The slot of (key, startMs), or -1 when it has none. */
  find(key: number, startMs: number): number {
    return this.cells[this.probe(key, startMs)] as number;
  }

  /** The hash cell holding (key, startMs), or the empty cell where it would go. */
  private probe(key: number, startMs: number): number {
    const mask = this.mask;
    const cells = this.cells;
    let at = hash(key, startMs) & mask;
    // Bounded: the load stays at most MAX_LOAD, so an empty cell is always found within `cells.length` probes.
    for (let probes = 0; probes <= mask; probes++) {
      const slot = cells[at] as number;
      if (slot === EMPTY || (this.keyIndex[slot] === key && this.startMs[slot] === startMs)) return at;
      at = (at + 1) & mask;
    }
    throw new Error('window table: no free cell (load factor broken)');
  }

  private add(key: number, startMs: number, cell: number): number {
    const slot = this.size;
    if (slot === this.keyIndex.length) this.growSlots();
    this.keyIndex[slot] = key;
    this.startMs[slot] = startMs;
    this.cells[cell] = slot;
    this.size = slot + 1;
    if (this.size > this.cells.length * MAX_LOAD) this.rehash();
    return slot;
  }

  private growSlots(): void {
    const n = this.keyIndex.length * 2;
    this.keyIndex = grown(this.keyIndex, new Int32Array(n));
    this.startMs = grown(this.startMs, new Float64Array(n));
    this.acked = grown(this.acked, new Int32Array(n));
    this.unknown = grown(this.unknown, new Int32Array(n));
    this.emissions = grown(this.emissions, new Int32Array(n));
    this.firstCount = grown(this.firstCount, new Float64Array(n));
    this.maxCount = grown(this.maxCount, new Float64Array(n));
    this.conflicting = grown(this.conflicting, new Uint8Array(n));
  }

  private rehash(): void {
    const cells = new Int32Array(this.cells.length * 2).fill(EMPTY);
    const mask = cells.length - 1;
    for (let slot = 0; slot < this.size; slot++) {
      let at = hash(this.keyIndex[slot] as number, this.startMs[slot] as number) & mask;
      while (cells[at] !== EMPTY) at = (at + 1) & mask; // bounded: cells is at most a quarter full here
      cells[at] = slot;
    }
    this.cells = cells;
    this.mask = mask;
  }

  /** Notes one well-formed result with `count` for `slot`. */
  noteResult(slot: number, count: number): void {
    const seen = this.emissions[slot] as number;
    if (seen === 0) {
      this.firstCount[slot] = count;
      this.maxCount[slot] = count;
    } else {
      if (count !== this.firstCount[slot]) this.conflicting[slot] = 1;
      if (count > (this.maxCount[slot] as number)) this.maxCount[slot] = count;
    }
    this.emissions[slot] = seen + 1;
  }
}

function grown<T extends Int32Array | Float64Array | Uint8Array>(old: T, next: T): T {
  next.set(old);
  return next;
}

/** A 32-bit mix of the key index and the start (an integer double: its low and high 32 bits). */
function hash(key: number, startMs: number): number {
  const low = startMs >>> 0;
  const high = Math.floor(startMs / 4294967296) | 0;
  let h = Math.imul(key ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(low, 0xc2b2ae35) ^ Math.imul(high, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h;
}

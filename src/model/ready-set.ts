/**
 * The ids of the machines that can take a step: a bit set, one bit per machine id. The runtime sets
 * and clears a machine's bit only when its inbox, state or status changed, instead of scanning every
 * machine each step; setting and clearing a bit has no data-dependent branch (keeping a sorted array
 * had two loops per step whose length the scheduler's random picks made unpredictable).
 * `list()` writes the ids in ascending order (the order strategies see candidates in) with one spare
 * slot past `count` for the runtime's "let time pass" candidate.
 */

/** Machine ids covered before the first growth (models have tens of machines). */
const INITIAL_CAPACITY = 64;
/** Room in the list before its first growth: 16 slots of 4 bytes, so V8 keeps the array in its heap (a larger one costs an external allocation per run). */
const INITIAL_LIST_SLOTS = 16;
const WORD_BITS = 32;

export class ReadySet {
  private words = new Int32Array(INITIAL_CAPACITY / WORD_BITS);
  /** The ids of the last `list()`, ascending in [0, count). */
  private ids = new Int32Array(INITIAL_LIST_SLOTS);
  count = 0;

  /** Adds `id` (not in the set). */
  insert(id: number): void {
    const w = id >>> 5;
    if (w >= this.words.length) this.grow(id);
    this.words[w] = (this.words[w] as number) | (1 << (id & 31));
    this.count++;
  }

  /** Removes `id` (in the set). */
  remove(id: number): void {
    const w = id >>> 5;
    this.words[w] = (this.words[w] as number) & ~(1 << (id & 31));
    this.count--;
  }

  /** The ids in ascending order in [0, count), with a spare slot at `count`. */
  list(): Int32Array {
    if (this.count + 1 > this.ids.length) this.ids = new Int32Array(2 * (this.count + 1));
    const ids = this.ids;
    const words = this.words;
    let n = 0;
    for (let w = 0; n < this.count; w++) {
      let bits = words[w] as number;
      while (bits !== 0) {
        const low = bits & -bits;
        ids[n++] = w * WORD_BITS + 31 - Math.clz32(low);
        bits ^= low;
      }
    }
    return ids;
  }

  private grow(id: number): void {
    const capacity = Math.max(2 * this.words.length * WORD_BITS, (id + 1 + WORD_BITS) & ~(WORD_BITS - 1));
    const words = new Int32Array(capacity / WORD_BITS);
    words.set(this.words);
    this.words = words;
  }
}

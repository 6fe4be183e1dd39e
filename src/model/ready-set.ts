/**
 * The ids of the machines that can take a step, kept sorted (the order strategies see candidates in).
 * The runtime inserts and removes a machine only when its inbox, state or status changed, instead of
 * scanning every machine each step. `ids` keeps one spare slot past `count` for the runtime's "let
 * time pass" candidate.
 */

/** Room for this many ready machines before the first growth (models have tens of machines). */
const INITIAL_CAPACITY = 32;

export class ReadySet {
  /** Sorted ascending in [0, count); read directly as the strategy's candidates. */
  ids: Int32Array = new Int32Array(INITIAL_CAPACITY);
  count = 0;

  /** Adds `id` (not in the set) at its sorted position. */
  insert(id: number): void {
    if (this.count + 2 > this.ids.length) {
      const bigger = new Int32Array(2 * this.ids.length);
      bigger.set(this.ids.subarray(0, this.count));
      this.ids = bigger;
    }
    const ids = this.ids;
    let i = this.count;
    while (i > 0 && (ids[i - 1] as number) > id) {
      ids[i] = ids[i - 1] as number;
      i--;
    }
    ids[i] = id;
    this.count++;
  }

  /** Removes `id` (in the set), keeping the order. */
  remove(id: number): void {
    const ids = this.ids;
    const n = this.count;
    let i = 0;
    while (i < n && ids[i] !== id) i++;
    for (; i + 1 < n; i++) ids[i] = ids[i + 1] as number;
    this.count = n - 1;
  }
}

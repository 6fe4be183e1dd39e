/**
 * The machines that can take a step, kept sorted by id (the order strategies see candidates in) and
 * updated only for machines whose inbox, state or status changed, instead of scanning every machine
 * each step. `ids` has one spare slot past `count` for the runtime's "let time pass" candidate.
 */
export class ReadySet {
  /** Sorted ascending in [0, count); read directly as the strategy's candidates. */
  ids: Int32Array = new Int32Array(64);
  count = 0;
  /** Machines whose readiness must be recomputed before the next pick (each once: `pending`). */
  private changed: Int32Array = new Int32Array(64);
  private changedCount = 0;
  private readonly pending: boolean[] = [];
  private readonly member: boolean[] = [];

  /** Notes that machine `id` may have become ready or not ready. */
  touch(id: number): void {
    if (this.pending[id] === true) return;
    this.pending[id] = true;
    if (this.changedCount === this.changed.length) this.changed = grow(this.changed, this.changedCount);
    this.changed[this.changedCount++] = id;
  }

  /** Recomputes the touched machines with `isReady` and updates the set; returns the ready count. */
  refresh(isReady: (id: number) => boolean): number {
    const n = this.changedCount;
    for (let i = 0; i < n; i++) {
      const id = this.changed[i] as number;
      this.pending[id] = false;
      const ready = isReady(id);
      if (ready !== (this.member[id] === true)) {
        if (ready) this.insert(id);
        else this.remove(id);
        this.member[id] = ready;
      }
    }
    this.changedCount = 0;
    return this.count;
  }

  private insert(id: number): void {
    if (this.count + 2 > this.ids.length) this.ids = grow(this.ids, this.count);
    const ids = this.ids;
    let i = this.count;
    while (i > 0 && (ids[i - 1] as number) > id) {
      ids[i] = ids[i - 1] as number;
      i--;
    }
    ids[i] = id;
    this.count++;
  }

  private remove(id: number): void {
    const ids = this.ids;
    const n = this.count;
    let i = 0;
    while (i < n && ids[i] !== id) i++;
    for (; i + 1 < n; i++) ids[i] = ids[i + 1] as number;
    this.count = n - 1;
  }
}

function grow(a: Int32Array, used: number): Int32Array {
  const b = new Int32Array(2 * a.length);
  b.set(a.subarray(0, used));
  return b;
}

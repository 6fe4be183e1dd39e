/**
 * The per-key count check (docs/checker.md, "Per-key counts"): the `<keyCount>` of each output record
 * (`<id>:<keyCount>`) is the job's running count of its key, so with state and output exactly once the counts
 * of a key are 1..n, each once, for its n output records. Kept per key and per count (not per record): how
 * many records carried the count (saturating) and the id of the first: 5 bytes per count (9 with ids of 2^32 or
 * more), the arrays up to 1.5 times the counts seen.
 */

/** Examples kept per key and kind of deviation. */
const KEY_COUNT_EXAMPLES = 3;
/** Counts a key's arrays hold at first. */
const INITIAL_CAPACITY = 64;
/** Count slots allowed beyond twice the records seen (all keys together): a count beyond them is out of range. */
const SLOT_SLACK = 1 << 20;
/** Records per count saturate here (exact totals are kept apart). */
const MAX_OCCURRENCES = 255;
/** First ids are kept in 4 bytes up to here; a key with a larger id gets 8-byte ones. */
const MAX_UINT32 = 0xffff_ffff;
/** Key indexes below this are looked up in an array (a run has a few keys, dense from 0); the rest by text. */
const MAX_INDEXED = 1 << 20;
/** How much a key's arrays grow when a count does not fit. */
const GROWTH = 1.5;

/** A record repeating a count: the count, the id of the first record with it, and this record's id. */
export interface RepeatedCount {
  count: number;
  firstId: number;
  id: number;
}

/** What is kept for one key. */
export class KeyCountRow {
  records = 0;
  /** The highest count in range. */
  maxCount = 0;
  /** Records repeating a count with the same id as its first record (a replay), and with another id. */
  sameId = 0;
  otherId = 0;
  /** Records whose count is not a positive integer, or out of range; the first few as `<id>:<count>` text. */
  malformed = 0;
  readonly repeatedExamples: RepeatedCount[] = [];
  readonly malformedExamples: string[] = [];
  occurrences = new Uint8Array(INITIAL_CAPACITY);
  firstIds: Uint32Array | Float64Array = new Uint32Array(INITIAL_CAPACITY);

  /** Counts 1..maxCount that no record carried, with the first few of them. */
  missing(): { counts: number; first: number[] } {
    const first: number[] = [];
    let counts = 0;
    for (let c = 1; c <= this.maxCount; c++) {
      if (this.occurrences[c] !== 0) continue;
      counts++;
      if (first.length < KEY_COUNT_EXAMPLES) first.push(c);
    }
    return { counts, first };
  }
}

/** Key counts of the output records, by key: `k<index>` when the meta gives the keys, else the record's key text. */
export class KeyCountTally {
  /** Rows of keys k0..k<MAX_INDEXED - 1> by index, the rest by key. */
  private readonly byIndex: (KeyCountRow | undefined)[] = [];
  private readonly byText = new Map<string, KeyCountRow>();
  private slots = 0;
  private records = 0;

  /** One output record (read once) of input `id` with count `count` (-1 when the value has none). */
  add(key: number | string, id: number, count: number): void {
    const row = this.rowOf(key);
    row.records++;
    this.records++;
    if (count < 1 || !this.fits(row, count)) {
      row.malformed++;
      if (row.malformedExamples.length < KEY_COUNT_EXAMPLES) row.malformedExamples.push(count < 0 ? String(id) : `${id}:${count}`);
      return;
    }
    if (id > MAX_UINT32 && row.firstIds instanceof Uint32Array) row.firstIds = Float64Array.from(row.firstIds);
    const seen = row.occurrences[count] as number;
    if (seen === 0) row.firstIds[count] = id;
    else noteRepeat(row, count, id);
    row.occurrences[count] = Math.min(seen + 1, MAX_OCCURRENCES);
    if (count > row.maxCount) row.maxCount = count;
  }

  /** Every key with its row: indexed keys first (ascending), then the others by text (sorted). */
  rows(): [key: string, row: KeyCountRow][] {
    const indexed: [string, KeyCountRow][] = [];
    this.byIndex.forEach((row, i) => {
      if (row !== undefined) indexed.push([`k${i}`, row]);
    });
    const named = [...this.byText].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return [...indexed, ...named];
  }

  private rowOf(key: number | string): KeyCountRow {
    if (typeof key === 'number' && key < MAX_INDEXED) {
      const row = this.byIndex[key];
      if (row !== undefined) return row;
      return (this.byIndex[key] = new KeyCountRow());
    }
    const text = typeof key === 'number' ? `k${key}` : key;
    let row = this.byText.get(text);
    if (row === undefined) {
      row = new KeyCountRow();
      this.byText.set(text, row);
    }
    return row;
  }

  /** Grows the row's arrays to hold `count` unless that would pass the slot budget. */
  private fits(row: KeyCountRow, count: number): boolean {
    const capacity = row.occurrences.length;
    if (count < capacity) return true;
    const grown = Math.max(count + 1, Math.ceil(capacity * GROWTH));
    if (this.slots + grown - capacity > 2 * this.records + SLOT_SLACK) return false;
    const occurrences = new Uint8Array(grown);
    occurrences.set(row.occurrences);
    const firstIds = row.firstIds instanceof Uint32Array ? new Uint32Array(grown) : new Float64Array(grown);
    firstIds.set(row.firstIds);
    row.occurrences = occurrences;
    row.firstIds = firstIds;
    this.slots += grown - capacity;
    return true;
  }
}

function noteRepeat(row: KeyCountRow, count: number, id: number): void {
  const firstId = row.firstIds[count] as number;
  if (firstId === id) row.sameId++;
  else row.otherId++;
  if (row.repeatedExamples.length < KEY_COUNT_EXAMPLES) row.repeatedExamples.push({ count, firstId, id });
}

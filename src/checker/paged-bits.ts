/** Bits per page: 2^16 offsets (8 KiB). */
const PAGE_BITS = 16;
const PAGE_SIZE = 1 << PAGE_BITS;

/**
 * A set of whole numbers (log offsets) in pages of 2^16 bits, allocated as numbers land in them: dense runs
 * cost one bit each, a stray large number costs one page.
 */
class PagedBits {
  private readonly pages = new Map<number, Uint8Array>();
  private lastIndex = -1;
  private lastPage: Uint8Array | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds n; true when it was not in the set. */
  add(n: number): boolean {
    const page = this.page(Math.floor(n / PAGE_SIZE), true) as Uint8Array;
    const bit = n % PAGE_SIZE;
    const mask = 1 << (bit & 7);
    const byte = page[bit >>> 3] as number;
    if ((byte & mask) !== 0) return false;
    page[bit >>> 3] = byte | mask;
    this.count++;
    return true;
  }

  has(n: number): boolean {
    const page = this.page(Math.floor(n / PAGE_SIZE), false);
    if (page === null) return false;
    const bit = n % PAGE_SIZE;
    return ((page[bit >>> 3] as number) & (1 << (bit & 7))) !== 0;
  }

  /** How many of this set's numbers `other` lacks. */
  countNotIn(other: PagedBits): number {
    let n = 0;
    for (const [index, page] of this.pages) {
      const theirs = other.pages.get(index);
      for (let b = 0; b < page.length; b++) n += popcount8((page[b] as number) & ~(theirs === undefined ? 0 : (theirs[b] as number)));
    }
    return n;
  }

  private page(index: number, create: boolean): Uint8Array | null {
    if (index === this.lastIndex) return this.lastPage;
    let page = this.pages.get(index) ?? null;
    if (page === null) {
      if (!create) return null;
      page = new Uint8Array(PAGE_SIZE / 8);
      this.pages.set(index, page);
    }
    this.lastIndex = index;
    this.lastPage = page;
    return page;
  }
}

function popcount8(b: number): number {
  let x = b & 0xff;
  x = x - ((x >>> 1) & 0x55);
  x = (x & 0x33) + ((x >>> 2) & 0x33);
  return (x + (x >>> 4)) & 0x0f;
}

/** Log locations (partition, offset) of one topic as seen by one reader. */
export class LocationSet {
  private readonly partitions = new Map<number, PagedBits>();
  private lastPartition = -1;
  private lastBits: PagedBits | null = null;

  /** true when the location is new. */
  add(partition: number, offset: number): boolean {
    return this.bits(partition).add(offset);
  }

  has(partition: number, offset: number): boolean {
    return this.partitions.get(partition)?.has(offset) ?? false;
  }

  get size(): number {
    let n = 0;
    for (const bits of this.partitions.values()) n += bits.size;
    return n;
  }

  /** Locations in this set and not in `other`. */
  countNotIn(other: LocationSet): number {
    let n = 0;
    for (const [partition, bits] of this.partitions) {
      const theirs = other.partitions.get(partition);
      n += theirs === undefined ? bits.size : bits.countNotIn(theirs);
    }
    return n;
  }

  private bits(partition: number): PagedBits {
    if (partition === this.lastPartition && this.lastBits !== null) return this.lastBits;
    let bits = this.partitions.get(partition);
    if (bits === undefined) {
      bits = new PagedBits();
      this.partitions.set(partition, bits);
    }
    this.lastPartition = partition;
    this.lastBits = bits;
    return bits;
  }
}

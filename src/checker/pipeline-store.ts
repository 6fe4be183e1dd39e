/** Ids per page: 2^16. */
const PAGE_BITS = 16;
export const PIPELINE_PAGE_SIZE = 1 << PAGE_BITS;

/** How an input's send ended, by precedence (a higher one wins: an ok is a promise whatever else was said). */
export const SEND_NONE = 0;
export const SEND_INVOKED = 1;
export const SEND_INFO = 2;
export const SEND_FAIL = 3;
export const SEND_OK = 4;

/** Output counts saturate here (a value output 255 times or more). */
export const MAX_COUNT = 255;

/** Where a dead-letter record says its input came from (its provenance headers). */
export interface Provenance {
  topic: string | null;
  partition: number | null;
  offset: number | null;
}

/** What the checker keeps per input id, for 2^16 ids. */
export class ValuePage {
  readonly send = new Uint8Array(PIPELINE_PAGE_SIZE);
  /** 1: the input was a poison record (`!<id>`). */
  readonly poison = new Uint8Array(PIPELINE_PAGE_SIZE);
  /** Where the send ok said the input was written, plus one (0: not acknowledged with a location; no fill needed). */
  readonly inPartition1 = new Int32Array(PIPELINE_PAGE_SIZE);
  readonly inOffset1 = new Float64Array(PIPELINE_PAGE_SIZE);

  /** The input's acknowledged partition and offset, -1 each when unknown. */
  inPartition(slot: number): number {
    return (this.inPartition1[slot] as number) - 1;
  }
  inOffset(slot: number): number {
    return (this.inOffset1[slot] as number) - 1;
  }
  /** Distinct records of the live reader in the output topic naming this id (saturating). */
  readonly out = new Uint8Array(PIPELINE_PAGE_SIZE);
  /** ... in the dead-letter topic. */
  readonly dlq = new Uint8Array(PIPELINE_PAGE_SIZE);
}

/**
 * Per input id (the decimal id of `17` / `!17`), in pages allocated as ids land in them: a run's ids are
 * dense from 0, so memory is about 23 bytes per id; a stray id costs one page. Provenance of dead-letter
 * records is kept by id (the first one per id).
 */
export class PipelineStore {
  private readonly pages = new Map<number, ValuePage>();
  private lastIndex = -1;
  private lastPage: ValuePage | null = null;
  readonly provenance = new Map<number, Provenance>();

  /** The page holding `id` (created when missing); the id's slot in it is `id % PIPELINE_PAGE_SIZE`. */
  page(id: number): ValuePage {
    const index = Math.floor(id / PIPELINE_PAGE_SIZE);
    if (index === this.lastIndex && this.lastPage !== null) return this.lastPage;
    let page = this.pages.get(index);
    if (page === undefined) {
      page = new ValuePage();
      this.pages.set(index, page);
    }
    this.lastIndex = index;
    this.lastPage = page;
    return page;
  }

  /** Pages by first id, ascending. */
  sortedPages(): [firstId: number, page: ValuePage][] {
    return [...this.pages].sort((a, b) => a[0] - b[0]).map(([index, page]) => [index * PIPELINE_PAGE_SIZE, page]);
  }
}

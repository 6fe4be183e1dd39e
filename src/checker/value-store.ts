import { parseValue } from '../history/operation.js';
import type { LogLocation } from './verdict.js';

/**
 * Per-value state in flat typed arrays ("slots"), so memory grows with the number of distinct values
 * (about 30 bytes each) and not with the history's size.
 *
 * Values of the form `<producer>-<digits>` with the producer's usual digit count are "canonical":
 * found through the producer's dense seq -> slot array, with no string made. Any other value
 * (unexpected garbage, odd padding) goes through a Map keyed by the whole string. A value string maps
 * to one slot whichever way it arrives (both lanes apply the same rule).
 */

/** Outcome codes; 0 (a zeroed slot) means none: invoked, never completed. */
export const OUTCOME_INFO = 1;
export const OUTCOME_FAIL = 2;
export const OUTCOME_OK = 3;

export const READ_NONE = 0;
export const READ_ONCE = 1;
/** Read at two or more distinct locations. */
export const READ_MANY = 2;

/** Seqs up to this (plus 8 per value seen) go in the dense array; larger ones in a Map. */
const DENSE_SEQ_BASE = 1 << 20;
const INITIAL_SLOTS = 1024;
const MAX_SEQ_DIGITS = 15;

export interface Producer {
  index: number;
  name: string;
  nameBytes: Buffer;
  /** Digit count of the first value seen; canonical values use it (or more digits, no leading zero). */
  width: number;
  /** seq -> slot + 1 (0 = none). */
  dense: Int32Array;
  sparse: Map<number, number> | null;
  values: number;
}

export class ValueStore {
  size = 0;
  /** Send seen: invoke or any completion. */
  sent = new Uint8Array(INITIAL_SLOTS);
  outcome = new Uint8Array(INITIAL_SLOTS);
  /** ok carried an offset. */
  ackWithOffset = new Uint8Array(INITIAL_SLOTS);
  ackPartition = new Int32Array(INITIAL_SLOTS);
  ackOffset = new Float64Array(INITIAL_SLOTS);
  readState = new Uint8Array(INITIAL_SLOTS);
  readPartition = new Int32Array(INITIAL_SLOTS);
  readOffset = new Float64Array(INITIAL_SLOTS);
  producerOf = new Int32Array(INITIAL_SLOTS);
  seqOf = new Float64Array(INITIAL_SLOTS);

  readonly producers: Producer[] = [];
  private readonly producerByName = new Map<string, Producer>();
  private readonly producerByHash = new Map<number, Producer>();
  private readonly otherValues = new Map<string, number>();
  private readonly otherValueOf = new Map<number, string>();
  /** Second and later distinct read locations of a slot (rare: duplicates). */
  readonly extraReads = new Map<number, number[]>();

  /** The slot of a value given as a string, created if new. */
  slotOf(value: string): number {
    const parsed = parseValue(value);
    if (parsed !== null) {
      const producer = this.producerNamed(parsed.producer, value.length - parsed.producer.length - 1);
      const digits = value.length - parsed.producer.length - 1;
      if (isCanonical(producer.width, digits, value.charCodeAt(parsed.producer.length + 1))) return this.slotForSeq(producer, parsed.seq);
    }
    return this.otherSlot(value);
  }

  /**
   * The slot of a value given as bytes buf[start, end), or -1 when the caller must use slotOf with the
   * decoded string (a new producer, a hash collision, or a non-canonical value).
   */
  slotOfBytes(buf: Buffer, start: number, end: number): number {
    let i = end - 1;
    let seq = 0;
    let scale = 1;
    while (i >= start) {
      const d = (buf[i] as number) - 48;
      if (d < 0 || d > 9) break;
      seq += d * scale;
      scale *= 10;
      i--;
    }
    const digits = end - 1 - i;
    if (i <= start || buf[i] !== 0x2d || digits === 0 || digits > MAX_SEQ_DIGITS) return -1;
    let hash = 0x811c9dc5;
    for (let k = start; k < i; k++) hash = Math.imul(hash ^ (buf[k] as number), 0x01000193);
    const producer = this.producerByHash.get(hash);
    if (producer?.nameBytes.length !== i - start) return -1;
    for (let k = 0; k < producer.nameBytes.length; k++) if (producer.nameBytes[k] !== buf[start + k]) return -1;
    if (!isCanonical(producer.width, digits, buf[i + 1] as number)) return -1;
    return this.slotForSeq(producer, seq);
  }

  /** The value string of a slot. */
  valueOf(slot: number): string {
    const p = this.producerOf[slot] as number;
    if (p < 0) return this.otherValueOf.get(slot) ?? '';
    const producer = this.producers[p] as Producer;
    return `${producer.name}-${String(this.seqOf[slot]).padStart(producer.width, '0')}`;
  }

  /** Every distinct location the slot was read at, in the order read. */
  locations(slot: number): LogLocation[] {
    if (this.readState[slot] === READ_NONE) return [];
    const out: LogLocation[] = [{ partition: this.readPartition[slot] as number, offset: this.readOffset[slot] as number }];
    const extra = this.extraReads.get(slot) ?? [];
    for (let k = 0; k < extra.length; k += 2) out.push({ partition: extra[k] as number, offset: extra[k + 1] as number });
    return out;
  }

  /** The lowest offset at which the slot was read in its first-read partition. */
  firstOffset(slot: number): number {
    let best = this.readOffset[slot] as number;
    if (this.readState[slot] === READ_MANY) {
      const extra = this.extraReads.get(slot) ?? [];
      for (let k = 0; k < extra.length; k += 2) if (extra[k] === this.readPartition[slot] && (extra[k + 1] as number) < best) best = extra[k + 1] as number;
    }
    return best;
  }

  /** Slots of one producer in seq order. */
  *slotsInSeqOrder(producer: Producer): Generator<number> {
    const sparse = producer.sparse === null ? [] : [...producer.sparse.entries()].sort((a, b) => a[0] - b[0]);
    let s = 0;
    const dense = producer.dense;
    for (let seq = 0; seq < dense.length; seq++) {
      const entry = dense[seq] as number;
      if (entry === 0) continue;
      while (s < sparse.length && (sparse[s] as [number, number])[0] < seq) yield (sparse[s++] as [number, number])[1];
      yield entry - 1;
    }
    while (s < sparse.length) yield (sparse[s++] as [number, number])[1];
  }

  private producerNamed(name: string, digits: number): Producer {
    let producer = this.producerByName.get(name);
    if (producer === undefined) {
      const nameBytes = Buffer.from(name, 'utf8');
      let hash = 0x811c9dc5;
      for (const byte of nameBytes) hash = Math.imul(hash ^ byte, 0x01000193);
      producer = { index: this.producers.length, name, nameBytes, width: digits, dense: new Int32Array(0), sparse: null, values: 0 };
      this.producers.push(producer);
      this.producerByName.set(name, producer);
      // On a collision the first producer keeps the hash; the other takes the string lane.
      if (!this.producerByHash.has(hash)) this.producerByHash.set(hash, producer);
    }
    return producer;
  }

  private slotForSeq(producer: Producer, seq: number): number {
    if (seq < producer.dense.length) {
      const entry = producer.dense[seq] as number;
      if (entry !== 0) return entry - 1;
    }
    const fromSparse = producer.sparse?.get(seq);
    if (fromSparse !== undefined) return fromSparse;
    const slot = this.newSlot(producer.index, seq);
    producer.values++;
    if (seq < DENSE_SEQ_BASE + 8 * producer.values) {
      if (seq >= producer.dense.length) {
        const grown = new Int32Array(Math.max(seq + 1, producer.dense.length * 2, 64));
        grown.set(producer.dense);
        producer.dense = grown;
      }
      producer.dense[seq] = slot + 1;
    } else {
      producer.sparse ??= new Map();
      producer.sparse.set(seq, slot);
    }
    return slot;
  }

  private otherSlot(value: string): number {
    let slot = this.otherValues.get(value);
    if (slot === undefined) {
      slot = this.newSlot(-1, -1);
      this.otherValues.set(value, slot);
      this.otherValueOf.set(slot, value);
    }
    return slot;
  }

  private newSlot(producer: number, seq: number): number {
    if (this.size === this.sent.length) this.grow();
    const slot = this.size++;
    this.producerOf[slot] = producer;
    this.seqOf[slot] = seq;
    this.ackPartition[slot] = -1;
    this.ackOffset[slot] = -1;
    this.readPartition[slot] = -1;
    this.readOffset[slot] = -1;
    return slot;
  }

  private grow(): void {
    const n = this.sent.length * 2;
    const g = <T extends Uint8Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.sent = g(this.sent, (k) => new Uint8Array(k));
    this.outcome = g(this.outcome, (k) => new Uint8Array(k));
    this.ackWithOffset = g(this.ackWithOffset, (k) => new Uint8Array(k));
    this.ackPartition = g(this.ackPartition, (k) => new Int32Array(k));
    this.ackOffset = g(this.ackOffset, (k) => new Float64Array(k));
    this.readState = g(this.readState, (k) => new Uint8Array(k));
    this.readPartition = g(this.readPartition, (k) => new Int32Array(k));
    this.readOffset = g(this.readOffset, (k) => new Float64Array(k));
    this.producerOf = g(this.producerOf, (k) => new Int32Array(k));
    this.seqOf = g(this.seqOf, (k) => new Float64Array(k));
  }
}

/** Same digit count as the producer's first value, or longer without a leading zero (seq outgrew the padding). */
function isCanonical(width: number, digits: number, firstDigitCode: number): boolean {
  return digits === width || (digits > width && firstDigitCode !== 48);
}

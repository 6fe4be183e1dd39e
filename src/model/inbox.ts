/**
 * A machine's FIFO inbox: a ring buffer of (event id, payload) pairs. Capacity is a power of two and
 * only grows (doubling), so a long run allocates nothing per message; a taken message's payload slot is
 * cleared at once, so the inbox keeps no delivered payload alive for the garbage collector.
 *
 * Positions are logical (`head` <= i < `tail`); the slot of position i is `i & mask`.
 */

/** Slots of a new inbox (machines rarely hold more messages at once): array literals, which V8 clones fast. */
const initialEvents = (): number[] => [0, 0, 0, 0, 0, 0, 0, 0];
const initialPayloads = (): unknown[] => [undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined];

export class Inbox {
  private events: number[] = initialEvents();
  private payloads: unknown[] = initialPayloads();
  private mask = this.events.length - 1;
  /** Position of the oldest message. */
  head = 0;
  /** Position after the newest message. */
  tail = 0;

  get size(): number {
    return this.tail - this.head;
  }

  push(ev: number, payload: unknown): void {
    if (this.tail - this.head > this.mask) this.grow();
    const slot = this.tail & this.mask;
    this.events[slot] = ev;
    this.payloads[slot] = payload;
    this.tail++;
  }

  /** The position of the first message whose event `skip` does not mark, or -1. */
  firstNotIn(skip: readonly boolean[]): number {
    const events = this.events;
    const mask = this.mask;
    for (let i = this.head; i < this.tail; i++) if (skip[events[i & mask] as number] !== true) return i;
    return -1;
  }

  eventAt(position: number): number {
    return this.events[position & this.mask] as number;
  }

  payloadAt(position: number): unknown {
    return this.payloads[position & this.mask];
  }

  /** Removes the message at `position` (the head, or one behind deferred messages: the later ones move up). */
  remove(position: number): void {
    const mask = this.mask;
    if (position === this.head) {
      this.payloads[position & mask] = undefined;
      this.head++;
    } else {
      const events = this.events;
      const payloads = this.payloads;
      for (let i = position; i + 1 < this.tail; i++) {
        events[i & mask] = events[(i + 1) & mask] as number;
        payloads[i & mask] = payloads[(i + 1) & mask];
      }
      this.tail--;
      payloads[this.tail & mask] = undefined;
    }
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
    }
  }

  /** Drops every message (a failed, halted or restarted machine). */
  clear(): void {
    for (let i = this.head; i < this.tail; i++) this.payloads[i & this.mask] = undefined;
    this.head = 0;
    this.tail = 0;
  }

  private grow(): void {
    const capacity = 2 * (this.mask + 1);
    const events: number[] = [];
    const payloads: unknown[] = [];
    const n = this.tail - this.head;
    for (let i = 0; i < capacity; i++) {
      events.push(i < n ? (this.events[(this.head + i) & this.mask] as number) : 0);
      payloads.push(i < n ? this.payloads[(this.head + i) & this.mask] : undefined);
    }
    this.events = events;
    this.payloads = payloads;
    this.mask = capacity - 1;
    this.head = 0;
    this.tail = n;
  }
}

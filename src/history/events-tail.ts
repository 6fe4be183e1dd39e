import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { EventRecord } from './operation.js';
import { toJournalRecord } from './record-validate.js';

/** Bytes read from events.jsonl per poll: the bound on one live fold. */
export const EVENTS_READ_CHUNK_BYTES = 1024 * 1024;
/** A line longer than this without its newline is dropped as malformed (bounds the carried-over tail). */
const EVENTS_MAX_LINE_BYTES = 1024 * 1024;
/** Every line the nemesis's default sink writes starts like this; used to recover a line glued to a torn one. */
const EVENT_LINE_START = '{"kind":"event"';
const NEWLINE = 0x0a;

export interface EventsPoll {
  readonly events: EventRecord[];
  /** Lines that were not an event record (torn by a crashed writer, or garbage); skipped. */
  readonly malformed: number;
}

/**
 * Reads events.jsonl incrementally from a byte cursor: each complete line once, in file order.
 * A partial last line is carried to the next poll (a writer may be mid-append); at the final poll it is
 * taken if it parses, else counted as torn. A torn line glued to the next writer's line is split there.
 */
export class EventsTail {
  private offsetBytes: number;
  private carried: Buffer = Buffer.alloc(0);

  /** `startBytes`: where to start (the current size when reopening a run whose earlier events were folded). */
  constructor(readonly path: string, startBytes = 0) {
    this.offsetBytes = startBytes;
  }

  /** Size of the file now, 0 when it does not exist. */
  static sizeOf(path: string): number {
    const fd = openOrNull(path);
    if (fd === null) return 0;
    try {
      return fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Folds what was appended since the last poll, at most `maxChunks` chunks of EVENTS_READ_CHUNK_BYTES.
   * `final`: the writer side is done; a partial last line is parsed or dropped, not carried.
   */
  poll(final = false, maxChunks = 1): EventsPoll {
    const events: EventRecord[] = [];
    let malformed = 0;
    for (let chunk = 0; chunk < maxChunks; chunk++) {
      const data = this.read();
      if (data.length === 0) break;
      const lines = this.splitLines(data);
      for (const line of lines) {
        const event = parseEventLine(line);
        if (event) events.push(event);
        else malformed++;
      }
    }
    if (this.carried.length > EVENTS_MAX_LINE_BYTES || (final && this.carried.length > 0)) {
      const event = final ? parseEventLine(this.carried.toString('utf8')) : null;
      if (event) events.push(event);
      else malformed++;
      this.carried = Buffer.alloc(0);
    }
    return { events, malformed };
  }

  private read(): Buffer {
    const fd = openOrNull(this.path);
    if (fd === null) return Buffer.alloc(0);
    try {
      const available = fstatSync(fd).size - this.offsetBytes;
      if (available <= 0) return Buffer.alloc(0);
      const buffer = Buffer.alloc(Math.min(available, EVENTS_READ_CHUNK_BYTES));
      const got = readSync(fd, buffer, 0, buffer.length, this.offsetBytes);
      this.offsetBytes += got;
      return buffer.subarray(0, got);
    } finally {
      closeSync(fd);
    }
  }

  /** Complete lines of carried + data; keeps the rest (no newline yet) for the next read. */
  private splitLines(data: Buffer): string[] {
    const all = this.carried.length > 0 ? Buffer.concat([this.carried, data]) : data;
    const lastNewline = all.lastIndexOf(NEWLINE);
    if (lastNewline < 0) {
      this.carried = Buffer.from(all);
      return [];
    }
    this.carried = Buffer.from(all.subarray(lastNewline + 1));
    return all.subarray(0, lastNewline).toString('utf8').split('\n').filter((line) => line.trim() !== '');
  }
}

function openOrNull(path: string): number | null {
  try {
    return openSync(path, 'r');
  } catch {
    return null;
  }
}

/** One event record from a line, or null. A line that fails whole is retried from its last event start. */
function parseEventLine(line: string): EventRecord | null {
  const whole = tryEvent(line);
  if (whole) return whole;
  const start = line.lastIndexOf(EVENT_LINE_START);
  return start > 0 ? tryEvent(line.slice(start)) : null;
}

function tryEvent(text: string): EventRecord | null {
  try {
    const record = toJournalRecord(JSON.parse(text));
    return record.kind === 'event' ? record : null;
  } catch {
    return null;
  }
}

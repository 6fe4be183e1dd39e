import { open, type FileHandle } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { JOURNAL_FORMAT_VERSION, type JournalRecord } from './operation.js';
import { OpLineView, parseOpLineFast } from './op-line-fast.js';
import { OutLineView, parseOutLineFast } from './out-line-fast.js';
import { toJournalRecord } from './record-validate.js';

/** A line that is not a valid record. */
export interface MalformedLine {
  lineNumber: number;
  reason: string;
  /** The start of the line, at most 200 characters. */
  excerpt: string;
}

/** Receives records in file order. */
export interface JournalVisitor {
  record(record: JournalRecord, lineNumber: number): void;
  /**
   * Optional fast lane: op lines in canonical form arrive here as a reused view instead of `record`
   * (no objects, no strings). The view is valid only during the call.
   */
  opView?(view: OpLineView): void;
  /** Optional fast lane for `out` lines in canonical form (without headers), like `opView`. */
  outView?(view: OutLineView): void;
}

export interface ReadJournalOptions {
  /** Bytes read per chunk. */
  chunkBytes?: number;
  /** A longer line is an error (protects memory against a file that is not a journal). */
  maxLineBytes?: number;
  /** Called for a malformed line other than a truncated last line; by default the read throws. */
  onMalformed?: (line: MalformedLine) => void;
  /**
   * Read at most this many bytes from the start: a journal still being appended is read as it was when the
   * read began (pass its size then). A line cut at the limit is the truncated tail.
   */
  untilBytes?: number;
}

export interface ScanSummary {
  lines: number;
  records: number;
  bytes: number;
  /** The last line, unterminated and unparsable: a write cut short by a crash. Tolerated, not a record. */
  truncatedTail: MalformedLine | null;
  /** Malformed lines passed to onMalformed. */
  malformed: number;
}

const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;
const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
const NEWLINE = 0x0a;
const EXCERPT_CHARS = 200;
/** Where an out line's kind differs from an op line's: byte 10 of `{"kind":"out"`. */
const OUT_KIND_AT = 10;
const OUT_KIND_BYTE = 0x75;

/** Thrown for a malformed journal line: `<path>:<line>: <reason>`. Exit code 2. */
export class JournalFormatError extends UsageError {
  readonly lineNumber: number;
  constructor(path: string, line: MalformedLine) {
    super(`${path}:${line.lineNumber}: ${line.reason}: ${line.excerpt}`);
    this.name = 'JournalFormatError';
    this.lineNumber = line.lineNumber;
  }
}

type LineHandler = (buf: Buffer, start: number, end: number, lineNumber: number, terminated: boolean) => void;

/** Reads a file chunk by chunk and hands out whole lines (the last one possibly unterminated). */
class LineSource {
  private buf: Buffer;
  private filled = 0;
  private lineNumber = 0;
  bytes = 0;
  private ended = false;

  constructor(
    private readonly handle: FileHandle,
    private readonly path: string,
    chunkBytes: number,
    private readonly maxLineBytes: number,
    private readonly untilBytes = Number.POSITIVE_INFINITY,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  /** Reads one chunk and calls `onLine` for every line completed by it; false at end of file. */
  async next(onLine: LineHandler): Promise<boolean> {
    if (this.ended) return false;
    const room = Math.min(this.buf.length - this.filled, this.untilBytes - this.bytes);
    const { bytesRead } = room <= 0 ? { bytesRead: 0 } : await this.handle.read(this.buf, this.filled, room, null);
    if (bytesRead === 0) {
      this.ended = true;
      if (this.filled > 0) onLine(this.buf, 0, this.filled, ++this.lineNumber, false);
      return false;
    }
    this.bytes += bytesRead;
    this.filled += bytesRead;
    const buf = this.buf;
    const filled = this.filled;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(NEWLINE, start);
      if (nl < 0 || nl >= filled) break;
      onLine(buf, start, nl, ++this.lineNumber, true);
      start = nl + 1;
    }
    if (start === 0 && filled === buf.length) {
      // One line fills the whole buffer: grow it, within the bound.
      if (buf.length >= this.maxLineBytes) {
        throw new UsageError(`${this.path}:${this.lineNumber + 1}: line longer than ${this.maxLineBytes} bytes; is this a faultline journal?`);
      }
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, this.maxLineBytes));
      buf.copy(bigger, 0, 0, filled);
      this.buf = bigger;
    } else if (start > 0) {
      buf.copy(buf, 0, start, filled);
      this.filled = filled - start;
    }
    return true;
  }
}

/** Turns lines into records for a visitor, applying the tolerance rules. */
function makeLineHandler(path: string, visitor: JournalVisitor, summary: ScanSummary, options: ReadJournalOptions): LineHandler {
  const view = new OpLineView();
  const fast = visitor.opView?.bind(visitor);
  const outView = new OutLineView();
  const fastOut = visitor.outView?.bind(visitor);
  return (buf, start, end, lineNumber, terminated) => {
    summary.lines = lineNumber;
    // `{"kind":"out"` has a 'u' where `{"kind":"op"` has its 'p': each line tries one fast lane at most.
    const outLine = buf[start + OUT_KIND_AT] === OUT_KIND_BYTE;
    if (!outLine && fast !== undefined && parseOpLineFast(buf, start, end, view)) {
      view.lineNumber = lineNumber;
      summary.records++;
      fast(view);
      return;
    }
    if (outLine && fastOut !== undefined && parseOutLineFast(buf, start, end, outView)) {
      outView.lineNumber = lineNumber;
      summary.records++;
      fastOut(outView);
      return;
    }
    const text = buf.toString('utf8', start, end);
    if (text.trim() === '') return;
    let record: JournalRecord;
    try {
      record = toJournalRecord(JSON.parse(text));
    } catch (error) {
      const bad: MalformedLine = { lineNumber, reason: error instanceof Error ? error.message : String(error), excerpt: text.slice(0, EXCERPT_CHARS) };
      if (!terminated) {
        summary.truncatedTail = bad;
        return;
      }
      if (options.onMalformed === undefined) throw new JournalFormatError(path, bad);
      summary.malformed++;
      options.onMalformed(bad);
      return;
    }
    if (record.kind === 'meta' && Math.floor(record.formatVersion) > JOURNAL_FORMAT_VERSION) {
      throw new UsageError(`${path}:${lineNumber}: journal format version ${record.formatVersion} is newer than this faultline reads (${JOURNAL_FORMAT_VERSION})`);
    }
    summary.records++;
    visitor.record(record, lineNumber);
  };
}

async function openJournal(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read journal ${path}: ${code === 'ENOENT' ? 'no such file' : String(code ?? error)}`);
  }
}

const emptySummary = (): ScanSummary => ({ lines: 0, records: 0, bytes: 0, truncatedTail: null, malformed: 0 });

/**
 * Reads a journal front to back, calling `visitor` for each record. Streaming: memory is one chunk plus
 * the longest line. Blank lines are skipped. A truncated last line (no newline, not parsable) is reported
 * in the summary rather than thrown; any other malformed line throws JournalFormatError unless
 * `onMalformed` is given.
 */
export async function scanJournal(path: string, visitor: JournalVisitor, options: ReadJournalOptions = {}): Promise<ScanSummary> {
  const summary = emptySummary();
  const onLine = makeLineHandler(path, visitor, summary, options);
  const handle = await openJournal(path);
  try {
    const source = new LineSource(handle, path, options.chunkBytes ?? DEFAULT_CHUNK_BYTES, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, options.untilBytes);
    while (await source.next(onLine));
    summary.bytes = source.bytes;
  } finally {
    await handle.close();
  }
  return summary;
}

/**
 * Async iterator over a journal's records as plain objects, for tools and tests. Same tolerance rules
 * as scanJournal; one chunk (default 1 MiB) of records is parsed at a time, so memory stays bounded.
 * The generator's return value is the ScanSummary.
 */
export async function* readJournal(path: string, options: ReadJournalOptions = {}): AsyncGenerator<JournalRecord, ScanSummary, undefined> {
  const summary = emptySummary();
  const batch: JournalRecord[] = [];
  const onLine = makeLineHandler(path, { record: (r) => batch.push(r) }, summary, options);
  const handle = await openJournal(path);
  try {
    const source = new LineSource(handle, path, options.chunkBytes ?? 1024 * 1024, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, options.untilBytes);
    let more = true;
    while (more) {
      more = await source.next(onLine);
      for (const record of batch) yield record;
      batch.length = 0;
    }
    summary.bytes = source.bytes;
  } finally {
    await handle.close();
  }
  return summary;
}

import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { FaultlineError } from '../errors.js';
import type { JournalRecord } from './operation.js';
import { encodeRecord } from './record-encode.js';

export interface JournalWriterOptions {
  /** Buffered lines are written at least this often (a SIGKILL loses at most this much). Default 200 ms. */
  flushIntervalMs?: number;
  /** ...or as soon as this many lines are buffered. Default 4096. */
  flushLines?: number;
  /** ...or as soon as this many bytes are buffered: the bound on the buffer. Default 1 MiB. */
  flushBytes?: number;
  /** Clock origin for `elapsedMs` (a performance.now() value); default: when the writer opened. */
  originMs?: number;
}

/**
 * Append-only JSONL journal. Records are buffered and written with synchronous writes (so a write that
 * returned is in the OS page cache and survives a crash of this process; only the unflushed buffer is
 * lost), on a timer, when the buffer reaches its bound, and on close, which also fsyncs.
 * One writer per file; the file is opened for append, never truncated.
 */
export class JournalWriter {
  readonly path: string;
  private fd: number | null;
  private pending: string[] = [];
  private pendingBytes = 0;
  private readonly flushLines: number;
  private readonly flushBytes: number;
  private readonly timer: NodeJS.Timeout;
  private readonly originMs: number;

  private constructor(path: string, fd: number, options: JournalWriterOptions) {
    this.path = path;
    this.fd = fd;
    this.flushLines = Math.max(1, options.flushLines ?? 4096);
    this.flushBytes = Math.max(1, options.flushBytes ?? 1024 * 1024);
    this.originMs = options.originMs ?? performance.now();
    this.timer = setInterval(() => this.flushQuietly(), Math.max(1, options.flushIntervalMs ?? 200));
    // The timer alone must not keep the process alive.
    this.timer.unref();
  }

  /** Opens (creating if needed) `path` for appending. */
  static open(path: string, options: JournalWriterOptions = {}): JournalWriter {
    let fd: number;
    try {
      fd = openSync(path, 'a');
    } catch (error) {
      throw new FaultlineError(`cannot open journal ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return new JournalWriter(path, fd, options);
  }

  /** Milliseconds since the clock origin (monotonic, microsecond precision): the `timeMs` of a new record. */
  elapsedMs(): number {
    return Math.round((performance.now() - this.originMs) * 1000) / 1000;
  }

  get closed(): boolean {
    return this.fd === null;
  }

  /** Buffers one record; writes the buffer when it reaches its bound. Throws after close. */
  append(record: JournalRecord): void {
    if (this.fd === null) throw new FaultlineError(`journal ${this.path} is closed`);
    const line = encodeRecord(record) + '\n';
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pending.length >= this.flushLines || this.pendingBytes >= this.flushBytes) this.flush();
  }

  /** Writes everything buffered to the file (no fsync). */
  flush(): void {
    if (this.fd === null || this.pending.length === 0) return;
    const data = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingBytes = 0;
    let done = 0;
    // writeSync may write less than asked; the bound is the data's length.
    while (done < data.length) {
      try {
        done += writeSync(this.fd, data, done, data.length - done);
      } catch (error) {
        throw new FaultlineError(`cannot write journal ${this.path}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Flushes, fsyncs and closes. Idempotent. */
  async close(): Promise<void> {
    this.closeSync();
  }

  /** Same as close, for exit handlers that cannot wait. */
  closeSync(): void {
    if (this.fd === null) return;
    clearInterval(this.timer);
    try {
      this.flush();
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  private flushQuietly(): void {
    try {
      this.flush();
    } catch (error) {
      // A timer has no caller to throw to: say it on stderr; the next append or close throws too.
      process.stderr.write(`faultline: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

import { FaultlineError } from '../errors.js';
import { cappedSink, type CappedSink } from './capped-sink.js';

/** The stdout trailer after the end marker is `:<status>\n`; anything longer is not one. */
const MAX_TRAILER_BYTES = 8;
const NEWLINE = 0x0a;

/** One command's output, cut out of the persistent shell's streams. */
export interface FrameResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly truncated: boolean;
}

/**
 * Passes a stream's bytes to a capped sink until the marker, which may arrive split across chunks: the last
 * marker length - 1 bytes are held back until the next chunk says whether they start it. Memory: the sink's cap
 * plus one chunk, however much the command prints.
 */
class MarkerScanner {
  private held = Buffer.alloc(0);
  private readonly marker: Buffer;
  private readonly sink: CappedSink;

  constructor(marker: string, sink: CappedSink) {
    this.marker = Buffer.from(marker, 'latin1');
    this.sink = sink;
  }

  /** The bytes after the marker once it is seen (the caller stops feeding then), else undefined. */
  push(chunk: Buffer): Buffer | undefined {
    const data = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
    const at = data.indexOf(this.marker);
    if (at >= 0) {
      this.sink.push(data.subarray(0, at));
      this.held = Buffer.alloc(0);
      return data.subarray(at + this.marker.length);
    }
    const holdBytes = Math.min(data.length, this.marker.length - 1);
    this.sink.push(data.subarray(0, data.length - holdBytes));
    this.held = Buffer.from(data.subarray(data.length - holdBytes));
    return undefined;
  }
}

/**
 * Reads one frame: the command's stdout up to `<marker>:<status>\n`, its stderr up to `<marker>`. Complete when
 * both ends have arrived (the two streams travel separately, in either order).
 */
export class FrameReader {
  private readonly out: CappedSink;
  private readonly err: CappedSink;
  private readonly outScanner: MarkerScanner;
  private readonly errScanner: MarkerScanner;
  private trailer: Buffer | undefined;
  private status: number | undefined;
  private stderrDone = false;
  private protocolError: string | undefined;

  constructor(marker: string, maxOutputBytes: number) {
    this.out = cappedSink(maxOutputBytes);
    this.err = cappedSink(maxOutputBytes);
    this.outScanner = new MarkerScanner(marker, this.out);
    this.errScanner = new MarkerScanner(marker, this.err);
  }

  pushStdout(chunk: Buffer): void {
    if (this.status !== undefined || this.protocolError !== undefined) return;
    if (this.trailer === undefined) {
      const rest = this.outScanner.push(chunk);
      if (rest === undefined) return;
      this.trailer = rest;
    } else {
      this.trailer = Buffer.concat([this.trailer, chunk]);
    }
    this.readTrailer(this.trailer);
  }

  pushStderr(chunk: Buffer): void {
    if (!this.stderrDone && this.errScanner.push(chunk) !== undefined) this.stderrDone = true;
  }

  private readTrailer(trailer: Buffer): void {
    const end = trailer.indexOf(NEWLINE);
    if (end < 0) {
      if (trailer.length > MAX_TRAILER_BYTES) this.protocolError = 'no exit status after the end marker';
      return;
    }
    const match = /^:(\d{1,3})$/.exec(trailer.subarray(0, end).toString('latin1'));
    if (match) this.status = Number(match[1]);
    else this.protocolError = `a malformed exit status after the end marker: ${JSON.stringify(trailer.subarray(0, end).toString('latin1'))}`;
  }

  complete(): boolean {
    return (this.status !== undefined && this.stderrDone) || this.protocolError !== undefined;
  }

  /** The frame; throws when the shell sent something that is not one (the shell is then killed). */
  result(): FrameResult {
    if (this.protocolError !== undefined || this.status === undefined) {
      throw new FaultlineError(`the persistent shell broke its framing: ${this.protocolError ?? 'the frame is incomplete'}`);
    }
    return { code: this.status, stdout: this.out.text(), stderr: this.err.text(), truncated: this.out.dropped() || this.err.dropped() };
  }
}

import type { ExperimentProgress } from '../index.js';
import { renderStatusLine } from './status-line.js';

/** At most about 4 redraws a second (the library reports every 250 ms; a little slack for timer jitter). */
const MIN_REDRAW_MS = 240;
/** Width when the terminal does not say. */
const DEFAULT_COLUMNS = 80;
/** Carriage return, then erase the whole line. */
const CLEAR_LINE = '\r\x1b[2K';

/** The stream a status line draws on: stderr, or a fake in tests. */
export interface StatusStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): boolean;
}

/**
 * One status line redrawn in place at the bottom of a terminal. Log lines go through `log`, which clears the
 * line, prints, and draws it again; `clear` leaves the terminal clean for what follows. Only for a terminal:
 * `forStderr` gives null when stderr is not one (CI logs, pipes) or JSON output was asked for.
 */
export class TerminalStatus {
  private line = '';
  private shown = false;
  private lastDrawMs = Number.NEGATIVE_INFINITY;
  private readonly onExit = (): void => this.clear();

  constructor(private readonly stream: StatusStream, private readonly nowMs: () => number = () => performance.now()) {}

  static forStderr(json: boolean): TerminalStatus | null {
    return process.stderr.isTTY && !json ? new TerminalStatus(process.stderr) : null;
  }

  /** Clears the line when the process exits, even by process.exit (a second Ctrl-C). Undone by `close`. */
  attach(): this {
    process.once('exit', this.onExit);
    return this;
  }

  update(progress: ExperimentProgress): void {
    const now = this.nowMs();
    if (now - this.lastDrawMs < MIN_REDRAW_MS) return;
    this.lastDrawMs = now;
    // One column less than the terminal's: writing into the last column makes some terminals wrap.
    this.line = renderStatusLine(progress, Math.max(0, (this.stream.columns ?? DEFAULT_COLUMNS) - 1));
    this.stream.write(CLEAR_LINE + this.line);
    this.shown = true;
  }

  log(text: string): void {
    this.clear();
    this.stream.write(`${text}\n`);
    if (this.line !== '') {
      this.stream.write(this.line);
      this.shown = true;
    }
  }

  /** Erases the line (if drawn); the next `update` draws it again. */
  clear(): void {
    if (this.shown) this.stream.write(CLEAR_LINE);
    this.shown = false;
  }

  /** Erases the line and forgets it: log lines no longer redraw it until the next `update`. */
  reset(): void {
    this.clear();
    this.line = '';
  }

  /** Erases the line for good and stops listening for the process's exit. */
  close(): void {
    this.reset();
    process.removeListener('exit', this.onExit);
  }
}

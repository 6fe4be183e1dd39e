import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { UsageError } from '../errors.js';
import { clearActiveRun, EVENTS_FILE, markRunActive, type FaultEventSink } from './active-run.js';
import { EventsTail, EVENTS_READ_CHUNK_BYTES } from './events-tail.js';
import { JournalWriter, type JournalWriterOptions } from './journal-writer.js';
import { LiveTally } from './live-tally.js';
import { JOURNAL_FORMAT_VERSION, type EventRecord, type JournalRecord, type MetaRecord } from './operation.js';
import { HISTORY_FILE, META_FILE, openRunDir, type RunDir, type RunMetaInput } from './run-dir.js';

/** How often a live run folds events written by other processes (events.jsonl) into its history. */
export const DEFAULT_FOLD_INTERVAL_MS = 250;

export interface RunOptions {
  readonly journal?: JournalWriterOptions;
  /** Live fold period; 0 = fold only at close. Default DEFAULT_FOLD_INTERVAL_MS. */
  readonly foldIntervalMs?: number;
  /** Mark the run active in the faultline home, so faults fired from other terminals land in it. Default true. */
  readonly markActive?: boolean;
}

const RUN_NAME = /^[A-Za-z0-9._-]+$/;

/**
 * One run directory, owned for as long as the run is live: meta.json, the journal (history.jsonl),
 * the in-process event sink, the active-run marker, and the fold of events other processes append to
 * events.jsonl (tailed every foldIntervalMs, and once more at close; each line folded once).
 * A Run is also the workloads' OpSink. `close()` is idempotent and always clears the marker.
 * `live` tallies every record appended while live (counts, faults in effect, last probes, open steps).
 */
export class Run {
  readonly dir: RunDir;
  readonly live = new LiveTally();
  private readonly journal: JournalWriter;
  private readonly tail: EventsTail;
  private readonly timer: NodeJS.Timeout | null;
  private readonly marked: boolean;
  private readonly foreign: EventRecord[] = [];
  private malformedLines = 0;
  private closing: Promise<void> | null = null;

  private constructor(dir: RunDir, journal: JournalWriter, tailStartBytes: number, options: RunOptions) {
    this.dir = dir;
    this.journal = journal;
    this.tail = new EventsTail(join(dir.path, EVENTS_FILE), tailStartBytes);
    this.marked = options.markActive ?? true;
    try {
      if (this.marked) markRunActive(dir.path, Date.now() - journal.elapsedMs());
    } catch (error) {
      journal.closeSync();
      throw error;
    }
    const intervalMs = options.foldIntervalMs ?? DEFAULT_FOLD_INTERVAL_MS;
    this.timer = intervalMs > 0 ? setInterval(() => this.foldQuietly(), intervalMs) : null;
    this.timer?.unref();
  }

  /**
   * Creates `<runsRoot>/<input.run>/`, writes meta.json and the journal's meta line, marks the run active.
   * Refuses a directory that already holds a history (runs are never mixed) and names other than [A-Za-z0-9._-]+.
   */
  static create(runsRoot: string, input: RunMetaInput, options: RunOptions = {}): Run {
    if (!RUN_NAME.test(input.run) || input.run === '.' || input.run === '..') {
      throw new UsageError(`run name '${input.run}': use letters, digits, '.', '_' and '-' only`);
    }
    const path = resolve(runsRoot, input.run);
    mkdirSync(path, { recursive: true });
    if (!statSync(path).isDirectory()) throw new UsageError(`${path} is not a directory`);
    const historyPath = join(path, HISTORY_FILE);
    if (existsSync(historyPath)) throw new UsageError(`${path} already holds a run (${HISTORY_FILE} exists); choose another run name`);
    const meta: MetaRecord = { ...input, run: input.run, kind: 'meta', timeMs: 0, formatVersion: JOURNAL_FORMAT_VERSION, startedAt: input.startedAt ?? new Date().toISOString() };
    const metaPath = join(path, META_FILE);
    writeFileSync(metaPath, JSON.stringify(meta, null, 2) + '\n');
    const journal = JournalWriter.open(historyPath, options.journal);
    journal.append(meta);
    journal.flush();
    return new Run({ path, historyPath, metaPath, meta }, journal, 0, options);
  }

  /**
   * Opens an earlier run to append to it (a read-back after a produce). Records are stamped on that run's
   * clock (wall time since meta.startedAt). events.jsonl is tailed from its current end: what is already
   * there was folded by the run's earlier owner.
   */
  static async reopen(path: string, options: RunOptions = {}): Promise<Run> {
    const opened = await openRunDir(path);
    const dir = { ...opened, path: resolve(opened.path) };
    const startedAtMs = Date.parse(dir.meta?.startedAt ?? '');
    const originMs = Number.isFinite(startedAtMs) ? performance.now() - (Date.now() - startedAtMs) : performance.now();
    const journal = JournalWriter.open(dir.historyPath, { ...options.journal, originMs });
    return new Run(dir, journal, EventsTail.sizeOf(join(dir.path, EVENTS_FILE)), options);
  }

  get path(): string {
    return this.dir.path;
  }

  get historyPath(): string {
    return this.dir.historyPath;
  }

  get closed(): boolean {
    return this.journal.closed;
  }

  /** Events folded in from other processes so far, in file order. */
  get foreignEvents(): readonly EventRecord[] {
    return this.foreign;
  }

  /** Lines of events.jsonl skipped as torn or not an event. */
  get malformedEventLines(): number {
    return this.malformedLines;
  }

  /** Appends one record to the history. Throws after close. */
  append(record: JournalRecord): void {
    this.journal.append(record);
    this.live.add(record);
  }

  /** The run's clock: ms since the run started (monotonic). */
  elapsedMs(): number {
    return this.journal.elapsedMs();
  }

  /** The in-process nemesis sink: events straight into the history, stamped now; dropped after close. */
  readonly events: FaultEventSink = (event) => {
    if (!this.journal.closed) this.append({ kind: 'event', timeMs: this.journal.elapsedMs(), ...event });
  };

  /** Folds what other processes appended to events.jsonl since the last fold; returns how many events. */
  foldEvents(final = false): number {
    if (this.journal.closed) return 0;
    const maxChunks = final ? Math.ceil(EventsTail.sizeOf(this.tail.path) / EVENTS_READ_CHUNK_BYTES) + 1 : 1;
    const { events, malformed } = this.tail.poll(final, maxChunks);
    this.malformedLines += malformed;
    for (const event of events) {
      this.append(event);
      this.foreign.push(event);
    }
    return events.length;
  }

  /** Clears the marker, folds the rest of events.jsonl, closes the journal (flush + fsync). Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    // The marker goes first so nothing new lands in events.jsonl after the final fold.
    if (this.marked) clearActiveRun(this.dir.path);
    try {
      this.foldEvents(true);
    } finally {
      await this.journal.close();
    }
  }

  private foldQuietly(): void {
    try {
      this.foldEvents();
    } catch (error) {
      // A timer has no caller to throw to; the journal's next append or close throws too.
      process.stderr.write(`faultline: folding ${EVENTS_FILE}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

/** Runs `body` with the run and closes it whatever happens (the marker is cleared on a thrown error too). */
export async function withRun<T>(run: Run, body: (run: Run) => Promise<T>): Promise<T> {
  try {
    return await body(run);
  } finally {
    await run.close();
  }
}

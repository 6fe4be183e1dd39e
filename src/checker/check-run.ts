import { scanJournal, type ReadJournalOptions, type ScanSummary } from '../history/journal-reader.js';
import { openRunDir } from '../history/run-dir.js';
import { AvailabilityChecker, type AvailabilityVerdict } from './availability.js';
import type { Checker, CheckerResult } from './checker.js';
import { ConsumerChecker, type ConsumerCheckerOptions } from './consumer-checker.js';
import type { ConsumerVerdict } from './consumer-verdict.js';
import { ComposedChecker, type ComposedResult, type NamedResults } from './compose.js';
import { ExactChecker, type ExactCheckerOptions } from './exact-checker.js';
import { PipelineChecker, type PipelineCheckerOptions } from './pipeline-checker.js';
import type { PipelineVerdict } from './pipeline-verdict.js';
import { QueueChecker, type QueueCheckerOptions } from './queue-checker.js';
import type { QueueVerdict } from './queue-verdict.js';
import type { ExactVerdict } from './verdict.js';
import { WindowJournalChecker } from './window-journal.js';
import type { WindowVerdict } from './window-types.js';

/** A composed result from a journal file, plus what the read said. */
export interface JournalCheck<M extends Record<string, CheckerResult>> extends ComposedResult<M> {
  /** About the journal itself: a truncated last line (a crash mid-write?). */
  readonly warnings: string[];
  readonly journal: ScanSummary;
}

/**
 * The results of the checkers of a run (a type alias: it must index as a record). `consumer` says
 * `applicable: false` when the run had no consumer group; the composed verdict then leaves it out.
 */
export type RunCheckers = { exact: ExactVerdict; availability: AvailabilityVerdict; consumer: ConsumerVerdict; queue: QueueVerdict; pipeline: PipelineVerdict; window: WindowVerdict };

export type RunCheckOptions = ExactCheckerOptions & ConsumerCheckerOptions & QueueCheckerOptions & PipelineCheckerOptions;

/**
 * Every checker of a run: exact (not applicable to a pipeline run without a read-back), availability, consumer
 * (not applicable without a consumer group), queue (not applicable without queue ops; it keeps nothing for
 * other records), pipeline (not applicable without a pipeline meta or out records), window (not applicable without windows in the
 * pipeline meta).
 */
export function runCheckers(options: RunCheckOptions = {}): [ExactChecker, AvailabilityChecker, ConsumerChecker, QueueChecker, PipelineChecker, WindowJournalChecker] {
  // The consumer checker reads only runs that had a consumer group (it keeps an entry per value).
  return [new ExactChecker(options), new AvailabilityChecker(), new ConsumerChecker({ ...options, consumerGroup: options.consumerGroup ?? false }), new QueueChecker(options), new PipelineChecker(options), new WindowJournalChecker()];
}

/** Runs `checkers` over a journal file in one streaming pass (fast lane for the checkers that have one). */
export async function checkJournalWith<C extends readonly Checker[]>(path: string, checkers: C, readOptions: ReadJournalOptions = {}): Promise<JournalCheck<NamedResults<C>>> {
  const composed = new ComposedChecker<NamedResults<C>>(checkers);
  const journal = await scanJournal(path, { record: (r, line) => composed.add(r, line), opView: (v) => composed.addOpView(v), outView: (v) => composed.addOutView(v) }, readOptions);
  if (journal.truncatedTail !== null) composed.noteTruncated();
  const warnings = journal.truncatedTail === null ? [] : [`last line ${journal.truncatedTail.lineNumber} is truncated (a crash mid-write?) and was ignored`];
  return { ...composed.result(), warnings, journal };
}

/**
 * Checks a run directory with every checker that applies (`faultline check RUN_DIR`); the topic defaults
 * to the run's. Throws UsageError when `runDir` is not a run directory or its journal is malformed.
 */
export async function checkRun(runDir: string, options: RunCheckOptions = {}): Promise<JournalCheck<RunCheckers>> {
  const run = await openRunDir(runDir);
  const topic = options.topic ?? (typeof run.meta?.topic === 'string' ? run.meta.topic : undefined);
  const consumerGroup = options.consumerGroup ?? run.meta?.['consumerGroup'] === true;
  return checkJournalWith(run.historyPath, runCheckers({ ...options, consumerGroup, ...(topic === undefined ? {} : { topic }) }));
}

import type { JournalRecord } from '../history/operation.js';
import { scanJournal, type ReadJournalOptions, type ScanSummary } from '../history/journal-reader.js';
import { openRunDir } from '../history/run-dir.js';
import { ExactChecker, type ExactCheckerOptions } from './exact-checker.js';
import type { ExactVerdict } from './verdict.js';

/** The verdict plus what the journal read said (a truncated last line, for instance). */
export interface CheckedJournal {
  verdict: ExactVerdict;
  journal: ScanSummary;
}

/** Checks records already in memory (tests, the model checker). */
export function checkHistory(records: Iterable<JournalRecord>, options: ExactCheckerOptions = {}): ExactVerdict {
  const checker = new ExactChecker(options);
  for (const record of records) checker.add(record);
  return checker.result();
}

/** Checks a stream of records (e.g. readJournal). */
export async function checkHistoryStream(records: AsyncIterable<JournalRecord>, options: ExactCheckerOptions = {}): Promise<ExactVerdict> {
  const checker = new ExactChecker(options);
  for await (const record of records) checker.add(record);
  return checker.result();
}

/** Checks a journal file end to end, streaming, through the reader's fast lane. */
export async function checkJournalFile(path: string, options: ExactCheckerOptions = {}, readOptions: ReadJournalOptions = {}): Promise<CheckedJournal> {
  const checker = new ExactChecker(options);
  const journal = await scanJournal(path, { record: (r) => checker.add(r), opView: (v) => checker.addOpView(v) }, readOptions);
  const verdict = checker.result();
  if (journal.truncatedTail !== null) {
    verdict.warnings.push(`last line ${journal.truncatedTail.lineNumber} is truncated (a crash mid-write?) and was ignored`);
  }
  return { verdict, journal };
}

/** Checks a run directory (`faultline check RUN_DIR`). Throws UsageError when it is not one. */
export async function checkRunDir(path: string, options: ExactCheckerOptions = {}): Promise<CheckedJournal> {
  const run = await openRunDir(path);
  const topic = options.topic ?? (typeof run.meta?.topic === 'string' ? run.meta.topic : undefined);
  return checkJournalFile(run.historyPath, topic === undefined ? options : { ...options, topic });
}

import type { JournalRecord } from '../history/operation.js';
import type { ReadJournalOptions, ScanSummary } from '../history/journal-reader.js';
import { checkJournalWith } from './check-run.js';
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

/** Checks a journal file end to end with the exact checker alone, streaming, through the reader's fast lane. */
export async function checkJournalFile(path: string, options: ExactCheckerOptions = {}, readOptions: ReadJournalOptions = {}): Promise<CheckedJournal> {
  const { checkers, warnings, journal } = await checkJournalWith(path, [new ExactChecker(options)], readOptions);
  const verdict = checkers.exact;
  verdict.warnings.push(...warnings);
  return { verdict, journal };
}

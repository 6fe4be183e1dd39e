export * from './verdict.js';
export { combineValidity, validityWord, type Checker, type CheckerResult, type Validity } from './checker.js';
export { composeCheckers, composeResults, ComposedChecker, type ComposedResult, type NamedResults } from './compose.js';
export { checkRun, checkJournalWith, runCheckers, type JournalCheck, type RunCheckers, type RunCheckOptions } from './check-run.js';
export { ExactChecker, type ExactCheckerOptions } from './exact-checker.js';
export { checkHistory, checkHistoryStream, checkJournalFile, type CheckedJournal } from './check-history.js';
export { formatVerdictText, formatAvailabilityText, formatRunCheckText, DEFAULT_MAX_LISTED } from './report-text.js';
export { AvailabilityChecker, checkAvailability, type AvailabilityVerdict } from './availability.js';

export * from './verdict.js';
export { ExactChecker, type ExactCheckerOptions } from './exact-checker.js';
export { checkHistory, checkHistoryStream, checkJournalFile, checkRunDir, type CheckedJournal } from './check-history.js';
export { formatVerdictText, DEFAULT_MAX_LISTED } from './report-text.js';
export { AvailabilityChecker, checkAvailability, type AvailabilityVerdict } from './availability.js';

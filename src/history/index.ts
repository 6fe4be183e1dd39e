export * from './operation.js';
export { encodeRecord, encodeOp } from './record-encode.js';
export { toJournalRecord, RecordShapeError } from './record-validate.js';
export { OpLineView, parseOpLineFast } from './op-line-fast.js';
export { scanJournal, readJournal, JournalFormatError, type JournalVisitor, type ReadJournalOptions, type ScanSummary, type MalformedLine } from './journal-reader.js';
export { JournalWriter, type JournalWriterOptions } from './journal-writer.js';
export { openRunDir, HISTORY_FILE, META_FILE, type RunDir, type RunMetaInput } from './run-dir.js';
export { Run, withRun, DEFAULT_FOLD_INTERVAL_MS, type RunOptions } from './run.js';
export { activeRunSink, EVENTS_FILE, type FaultEventSink } from './active-run.js';

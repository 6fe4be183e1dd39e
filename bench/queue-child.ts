import { performance } from 'node:perf_hooks';
import { checkJournalWith, runCheckers } from '../src/checker/check-run.js';

/** Child process of the queue checker benchmark: checks one journal with every run checker (as `faultline check`), prints time, memory, verdict. */
const path = process.argv[2];
if (path === undefined) {
  process.stderr.write('usage: queue-child.js HISTORY\n');
  process.exit(2);
}
const started = performance.now();
const result = await checkJournalWith(path, runCheckers());
const checkMs = Math.round(performance.now() - started);
const q = result.checkers.queue;
process.stdout.write(
  JSON.stringify({
    checkMs,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    valid: result.valid,
    queueValid: q.valid,
    evidence: q.evidence,
    anomalies: Object.fromEntries(Object.entries(q.anomalies).map(([name, a]) => [name, a.count])),
    counts: q.counts,
    lines: result.journal.lines,
    bytes: result.journal.bytes,
  }) + '\n',
);

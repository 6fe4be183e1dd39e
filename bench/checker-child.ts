import { performance } from 'node:perf_hooks';
import { checkJournalWith, runCheckers } from '../src/checker/check-run.js';
import { ANOMALY_NAMES } from '../src/checker/verdict.js';

/**
 * Child process of the checker benchmark: checks one journal with every run checker (exact + availability,
 * one pass, as `faultline check` does), prints timing, memory and verdict counts as JSON.
 */
const path = process.argv[2];
if (path === undefined) {
  process.stderr.write('usage: checker-child.js HISTORY\n');
  process.exit(2);
}
const started = performance.now();
const { valid, checkers, journal } = await checkJournalWith(path, runCheckers());
const verdict = checkers.exact;
const elapsedMs = performance.now() - started;
const usage = process.resourceUsage();
process.stdout.write(
  JSON.stringify({
    checkMs: Math.round(elapsedMs),
    maxRssBytes: usage.maxRSS * 1024,
    heapUsedBytes: process.memoryUsage().heapUsed,
    valid,
    verdict: verdict.verdict,
    longestGapMs: checkers.availability.longestGapMs,
    counts: verdict.counts,
    anomalies: Object.fromEntries(ANOMALY_NAMES.map((name) => [name, verdict.anomalies[name].length])),
    lines: journal.lines,
    bytes: journal.bytes,
  }) + '\n',
);

import { performance } from 'node:perf_hooks';
import { checkWindows } from '../src/checker/window-check.js';
import { generateWindowInput, type WindowBenchShape } from './window-input.js';

/**
 * Child process of the window benchmark: generates the input in-process (not timed), then times one
 * checkWindows call; prints time, memory (RSS with the input alone, and the peak) and whether the verdict is
 * the expected one.
 */
const shapeArg = process.argv[2];
if (shapeArg === undefined) {
  process.stderr.write('usage: window-child.js SHAPE_JSON\n');
  process.exit(2);
}
const shape = JSON.parse(shapeArg) as WindowBenchShape;
const genStart = performance.now();
const { input, expected } = generateWindowInput(shape);
const generateMs = Math.round(performance.now() - genStart);
global.gc?.();
const inputRssBytes = process.memoryUsage().rss;
const cpuStart = process.cpuUsage();
const started = performance.now();
const v = checkWindows(input);
const checkMs = Math.round(performance.now() - started);
const cpu = process.cpuUsage(cpuStart);
const found = { droppedLate: v.late.droppedLate.min, missingWindows: v.findings.missingWindow?.count ?? 0 };
process.stdout.write(
  JSON.stringify({
    generateMs,
    checkMs,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    inputRssBytes,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    results: input.results.length,
    valid: v.valid,
    evidence: v.evidence,
    findings: Object.fromEntries(Object.entries(v.findings).map(([name, f]) => [name, f.count])),
    expected,
    found,
    asExpected: v.valid === true && JSON.stringify(found) === JSON.stringify(expected),
  }) + '\n',
);

import { performance } from 'node:perf_hooks';
import { checkJournalWith, runCheckers } from '../src/checker/check-run.js';
import { PipelineChecker } from '../src/checker/pipeline-checker.js';

/**
 * Child process of the pipeline benchmark: checks one journal with the pipeline checker alone (`pipeline`)
 * or with every run checker as `faultline check` does (`all`); prints time, memory and the verdict.
 */
const [path, mode] = process.argv.slice(2);
if (path === undefined || (mode !== 'pipeline' && mode !== 'all')) {
  process.stderr.write('usage: pipeline-child.js HISTORY pipeline|all\n');
  process.exit(2);
}
const started = performance.now();
const cpuStart = process.cpuUsage();
const result = mode === 'all' ? await checkJournalWith(path, runCheckers()) : await checkJournalWith(path, [new PipelineChecker()]);
const checkMs = Math.round(performance.now() - started);
const cpu = process.cpuUsage(cpuStart);
const v = result.checkers.pipeline;
process.stdout.write(
  JSON.stringify({
    checkMs,
    // CPU time of the check (user + system): the machine may be shared, wall time includes waiting for a core.
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    valid: result.valid,
    pipelineValid: v.valid,
    evidence: v.evidence,
    findings: Object.fromEntries(Object.entries(v.findings).map(([name, f]) => [name, f.count])),
    table: v.table,
    lines: result.journal.lines,
    bytes: result.journal.bytes,
  }) + '\n',
);

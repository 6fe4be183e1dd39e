import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatQueueText } from '../checker/queue-report-text.js';
import { QUEUE_ANOMALY_NAMES, type QueueAnomaly, type QueueVerdict } from '../checker/queue-verdict.js';

/** Cases per anomaly in suite.md and suite.json (every case is in the run directory's queue-verdict.json). */
const SUITE_CASES_LISTED = 3;
const SUITE_JSON_CASES = 10;

function caseText(c: QueueAnomaly): string {
  return `${c.detail} (ops ${c.ops.map((o) => `${o.op} ${o.process} ${o.f} ${o.type} line ${o.line}`).join(', ')})`;
}

/** suite.md lines of a queue verdict: the policy, then per anomaly found its count, severity and first cases with their ops. */
export function queueVerdictLines(v: QueueVerdict): string[] {
  const lines = [`queue checker: ${v.evidence}; policy: ${v.policy.text}`, ...v.reasons.map((r) => `queue checker: ${r}`)];
  for (const name of QUEUE_ANOMALY_NAMES) {
    const a = v.anomalies[name];
    if (a === undefined) continue;
    const more = a.count > SUITE_CASES_LISTED ? `; ${a.count - SUITE_CASES_LISTED} more in the run's queue-check.txt` : '';
    lines.push(`${name}: ${a.count} (${a.severity}): ${a.cases.slice(0, SUITE_CASES_LISTED).map(caseText).join('; ')}${more}`);
  }
  return lines;
}

/** The queue verdict for suite.json: everything but the cases cut to the first few per anomaly. */
export function queueVerdictSummary(v: QueueVerdict): unknown {
  const anomalies = Object.fromEntries(Object.entries(v.anomalies).map(([name, a]) => [name, { count: a.count, severity: a.severity, cases: a.cases.slice(0, SUITE_JSON_CASES) }]));
  return { valid: v.valid, evidence: v.evidence, reasons: v.reasons, counts: v.counts, policy: v.policy.text, drainComplete: v.drainComplete, truncated: v.truncated, anomalies };
}

/** queue-check.txt (every anomaly with every case the checker listed, and its ops) and queue-verdict.json in the run directory. */
export function writeQueueReports(runDir: string, v: QueueVerdict): void {
  const listed = Math.max(0, ...Object.values(v.anomalies).map((a) => a.cases.length));
  writeFileSync(join(runDir, 'queue-check.txt'), `${formatQueueText(v, listed)}\n`);
  writeFileSync(join(runDir, 'queue-verdict.json'), `${JSON.stringify(v, null, 2)}\n`);
}

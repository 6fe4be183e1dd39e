import { validityWord } from './checker.js';
import { QUEUE_ANOMALY_NAMES, type QueueVerdict } from './queue-verdict.js';

/** The queue checker's lines: verdict, evidence, policy, then per anomaly found its count, severity, explanation and first cases. */
export function formatQueueText(v: QueueVerdict, maxListed: number): string {
  if (!v.applicable) return `queue: not applicable: ${v.evidence}`;
  const out = [`queue: ${validityWord(v.valid)}: ${v.evidence}`, ...v.reasons.map((r) => `  - ${r}`), `  policy: ${v.policy.text}`];
  for (const name of QUEUE_ANOMALY_NAMES) {
    const a = v.anomalies[name];
    if (a === undefined) continue;
    out.push(`  ${name}: ${a.count} (${a.severity})`, `    ${a.explanation}`);
    for (const c of a.cases.slice(0, Math.max(0, maxListed))) {
      out.push(`    - ${c.detail}; ops ${c.ops.map((o) => `${o.op} (${o.process} ${o.f} ${o.type}, line ${o.line})`).join(', ')}`);
    }
    if (a.count > maxListed) out.push(`    ... and ${a.count - maxListed} more (the first ${a.cases.length} in --json)`);
  }
  for (const w of v.warnings) out.push(`  warning: ${w}`);
  return out.join('\n');
}

import type { JobFailure } from '../checker/job-failure.js';
import type { WindowVerdict } from '../checker/window-types.js';
import { validityWord } from '../checker/checker.js';
import { KEY_COUNT_FINDING_NAMES, PIPELINE_FINDING_NAMES, type PipelineVerdict } from '../checker/pipeline-verdict.js';
import { countTableText, keyCountsLine } from '../checker/pipeline-report-text.js';
import { keyCountExpectation, type Scenario } from '../scenario/scenario.js';
import { rowClients, type ScenarioRow, type ScheduleTally } from './scenario-result.js';

/** lost / duplicates as a pipeline scenario counts them: acknowledged inputs output 0 times / more than once. */
function pipelineNumbers(verdict: PipelineVerdict): { lost: number; duplicates: number; once: number } {
  const lost = verdict.table.find((r) => r.count === 0)?.values ?? 0;
  const once = verdict.table.find((r) => r.count === 1)?.values ?? 0;
  const duplicates = verdict.table.filter((r) => r.count > 1).reduce((sum, r) => sum + r.values, 0);
  return { lost, duplicates, once };
}

function holds(expected: 'none' | 'some' | 'any', count: number): boolean {
  return expected === 'any' || (expected === 'none' ? count === 0 : count > 0);
}

/**
 * Whether a pipeline run is as the scenario expects: its lost / duplicates expectations hold on the count table,
 * its per-key count expectation on the key counts (consistent = no inconsistent key, inconsistent = at least one),
 * and the verdict is valid or invalid only through what the expectations allow (lost, duplicate, key counts other
 * than consistent). An unknown verdict (an incomplete read of the output) is never as expected.
 */
function pipelineExpectationMet(scenario: Scenario, verdict: PipelineVerdict): boolean {
  if (verdict.valid === 'unknown') return false;
  const { lost, duplicates } = pipelineNumbers(verdict);
  if (!holds(scenario.expect.lost, lost) || !holds(scenario.expect.duplicates, duplicates)) return false;
  const keyCounts = keyCountExpectation(scenario);
  if (!holds(keyCounts === 'consistent' ? 'none' : keyCounts === 'inconsistent' ? 'some' : 'any', verdict.keyCounts.inconsistentKeys)) return false;
  const allowed = new Set<string>([
    ...(scenario.expect.lost !== 'none' ? ['lost', 'committed-not-output'] : []),
    ...(scenario.expect.duplicates !== 'none' ? ['duplicate', 'uncommitted-output'] : []),
    ...(keyCounts !== 'consistent' ? KEY_COUNT_FINDING_NAMES : []),
  ]);
  return Object.entries(verdict.findings).every(([name, finding]) => finding.severity !== 'violation' || allowed.has(name));
}

/**
 * Windows, when the job computes them, must be judged and hold no failure; late drops (measured, not failures by
 * themselves) must meet `expect.lateDrops` when the scenario gives it: none = no event dropped for sure, some = at
 * least one.
 */
function windowsAsExpected(scenario: Scenario, window: WindowVerdict | undefined): boolean {
  if (window === undefined || window.applicable === false) return true;
  if (window.valid !== true) return false;
  const expected = scenario.expect.lateDrops ?? 'any';
  return expected === 'any' || (expected === 'none' ? window.late.droppedLate.max === 0 : window.late.droppedLate.min > 0);
}

function verdictWord(verdict: PipelineVerdict): string {
  return verdict.valid === true ? 'valid' : verdict.valid === false ? 'invalid' : 'unknown';
}

/** The suite row of a pipeline scenario: input sends, output + DLQ records read, lost and duplicated inputs. */
export function pipelineScenarioRow(scenario: Scenario, verdict: PipelineVerdict, schedule: ScheduleTally, window?: WindowVerdict): ScenarioRow {
  const { lost, duplicates } = pipelineNumbers(verdict);
  const allFired = schedule.fired === scenario.faults.length;
  const { counts } = verdict;
  return {
    scenario: scenario.name, workload: 'pipeline', ...rowClients(scenario), sent: counts.inputs, acknowledged: counts.acknowledged,
    failed: counts.failed, unknown: counts.unknown, highWatermark: null, readBack: counts.outputRecords + counts.dlqRecords, lost, lostUnconfirmed: 0, duplicates, reordered: 0,
    verdict: schedule.problems > 0 && !allFired ? 'error' : verdictWord(verdict),
    asExpected: allFired && pipelineExpectationMet(scenario, verdict) && windowsAsExpected(scenario, window),
    anomalies: {}, drainComplete: verdict.complete,
  };
}

/** The suite report's line for a window verdict: windows judged, late drops, findings. */
export function windowVerdictLines(v: WindowVerdict): string[] {
  const t = v.totals;
  const dropped = v.late.droppedLate;
  const late = dropped.min === dropped.max ? String(dropped.min) : `${dropped.min}-${dropped.max}`;
  const findings = Object.entries(v.findings).map(([name, f]) => `${name} ${f.count} (${f.severity})`);
  return [`windows ${validityWord(v.valid)}: ${t.finalWindows} final of ${t.windows}, ${t.emitted} emitted, watermark ${v.watermarkMs ?? '-'}; events dropped as late ${late}${findings.length > 0 ? `; ${findings.join(', ')}` : ''}${v.reasons.length > 0 ? `; ${v.reasons.join('; ')}` : ''}`];
}

/** Cases of each finding a suite report names. */
const FINDING_CASES_LISTED = 3;

/** The suite report's lines for a pipeline verdict: the count table, the read, the per-key counts, each finding with its first cases. */
export function pipelineVerdictLines(v: PipelineVerdict): string[] {
  const c = v.counts;
  const lines = [
    `${v.guarantee ?? '?'}: per acknowledged input, times in output + DLQ: ${countTableText(v.table)} (output ${c.outputRecords}, DLQ ${c.dlqRecords}, poison sent ${c.acknowledgedPoison}; read ${v.complete ? 'to the end' : 'incomplete'})`,
    keyCountsLine(v.keyCounts),
  ];
  for (const name of PIPELINE_FINDING_NAMES) {
    const f = v.findings[name];
    if (f === undefined) continue;
    const cases = f.cases.slice(0, FINDING_CASES_LISTED).map((one) => one.detail).join(', ');
    lines.push(`${name}: ${f.count} (${f.severity})${cases ? `, e.g. ${cases}` : ''}`);
  }
  return lines;
}

/** A job's own failure, for the suite's scenario lines: when, its exit code, its error and the root cause. */
export function jobFailureText(f: JobFailure): string {
  const why = [f.error, f.cause !== '' && !f.error.includes(f.cause) ? `cause: ${f.cause}` : ''].filter((s) => s !== '').join('; ');
  return `job failed at ${(f.atMs / 1000).toFixed(1)} s (exit ${f.code}${f.instance !== null ? `, instance ${f.instance}` : ''}): ${why || 'no error line in its output'}`;
}

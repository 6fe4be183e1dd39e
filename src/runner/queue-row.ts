import { QUEUE_ANOMALY_NAMES, type QueueAnomalyName, type QueueVerdict } from '../checker/queue-verdict.js';
import type { Scenario, ScenarioExpectation } from '../scenario/scenario.js';
import { expectedAnomalyCounts, rowClients, type ScenarioRow, type ScheduleTally } from './scenario-result.js';

/** The verdict word of a row: valid, invalid or unknown. */
function verdictWord(verdict: QueueVerdict): string {
  return verdict.valid === true ? 'valid' : verdict.valid === false ? 'invalid' : 'unknown';
}

/**
 * Every anomaly expectation holds: none = no case that fails the run (cases the policy makes informational, such as
 * G1c cycles that need a ww edge, are listed but allowed), some = at least one case, any = anything.
 */
function anomalyExpectationsHold(expect: ScenarioExpectation, verdict: QueueVerdict): boolean {
  return Object.entries(expect.anomalies ?? {}).every(([name, expected]) => {
    const report = verdict.anomalies[name as QueueAnomalyName];
    const count = report?.count ?? 0;
    if (expected === 'none') return count === 0 || report?.severity === 'informational';
    return expected === 'any' || count > 0;
  });
}

/**
 * Whether a queue verdict is as the scenario expects: its anomaly expectations hold, and the verdict is valid,
 * or invalid only through failing anomalies the scenario expects (some) or allows (any). An unknown verdict
 * (no complete drain, a truncated journal) is never as expected: it lacks the evidence.
 */
export function queueExpectationMet(expect: ScenarioExpectation, verdict: QueueVerdict): boolean {
  if (!anomalyExpectationsHold(expect, verdict)) return false;
  if (verdict.valid === true) return true;
  if (verdict.valid === 'unknown') return false;
  return Object.entries(verdict.anomalies).every(([name, report]) => {
    const expected = expect.anomalies?.[name as QueueAnomalyName];
    return report.severity !== 'failure' || expected === 'some' || expected === 'any';
  });
}

/** The suite row of a queue scenario from the queue verdict; `error` when faults failed and not all fired. */
export function queueScenarioRow(scenario: Scenario, verdict: QueueVerdict, schedule: ScheduleTally): ScenarioRow {
  const expected = expectedAnomalyCounts(scenario);
  const anomalies: Partial<Record<QueueAnomalyName, number>> = {};
  // In the checker's order, found or expected.
  for (const name of QUEUE_ANOMALY_NAMES) {
    const count = verdict.anomalies[name]?.count ?? expected[name];
    if (count !== undefined) anomalies[name] = count;
  }
  const allFired = schedule.fired === scenario.faults.length;
  const { counts } = verdict;
  return {
    scenario: scenario.name, workload: 'queue', ...rowClients(scenario), sent: counts.sent, acknowledged: counts.acknowledged,
    failed: 0, unknown: 0, highWatermark: null, readBack: counts.polled, lost: 0, lostUnconfirmed: 0, duplicates: 0, reordered: 0,
    verdict: schedule.problems > 0 && !allFired ? 'error' : verdictWord(verdict),
    asExpected: allFired && queueExpectationMet(scenario.expect, verdict),
    anomalies, drainComplete: verdict.drainComplete,
  };
}

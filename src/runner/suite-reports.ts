import { junitXml } from '../report/junit.js';
import { writeRunReports } from '../report/write-reports.js';
import { writeQueueReports } from './queue-report.js';
import type { ScenarioOutcome } from './scenario-result.js';

/**
 * report.html and junit.xml next to a scenario's history, its notes as the steps table (a queue scenario also
 * gets queue-check.txt and queue-verdict.json); a failure is logged, never thrown.
 */
export async function writeScenarioReports(outcome: ScenarioOutcome, log: ((line: string) => void) | undefined): Promise<void> {
  if (outcome.runDir === null) return;
  const steps = outcome.notes.map((note) => ({ name: 'note', status: 'note', detail: note }));
  try {
    if (outcome.queueVerdict !== null) writeQueueReports(outcome.runDir, outcome.queueVerdict);
    await writeRunReports(outcome.runDir, { formats: ['html', 'junit'], title: `${outcome.name}: ${outcome.title}`, steps });
  } catch (error) {
    log?.(`${outcome.name}: reports not written: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The suite's junit.xml: one testcase per scenario, a failure when it did not run as expected. */
export function suiteJunitXml(outcomes: readonly ScenarioOutcome[], durationMs: number): string {
  const cases = outcomes.map((o) => {
    const base = { classname: 'faultline.suite', name: o.name, timeS: o.durationMs / 1000 };
    if (o.row.asExpected) return { ...base, output: `${o.title}: verdict ${o.row.verdict}` };
    const why = o.error ?? `verdict ${o.row.verdict}, ${countsText(o)}`;
    return { ...base, failure: { message: `not as expected: ${why}`, detail: [o.title, ...o.notes].join('\n') } };
  });
  return junitXml([{ name: 'faultline suite', timeS: durationMs / 1000, cases }]);
}

/** The numbers that decide a row: lost, duplicates, reordered; for a queue scenario its anomaly counts. */
export function countsText(o: ScenarioOutcome): string {
  if (o.row.workload === 'queue') {
    const found = Object.entries(o.row.anomalies).map(([name, count]) => `${name} ${count}`);
    return `anomalies: ${found.length > 0 ? found.join(', ') : 'none'}${o.row.drainComplete === false ? ', drain incomplete' : ''}`;
  }
  return `lost ${o.row.lost}, duplicates ${o.row.duplicates}, reordered ${o.row.reordered}`;
}

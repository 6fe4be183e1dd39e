/** `faultline model kafka-verdicts --compare SUITE`: the model's prediction next to a suite run's results, row by row. */
import { EXIT_VIOLATION, compareWithModel, kafkaPredictor, loadScenarioDir, modelComparisonTable, modelSummaryLine, readSuiteRows } from '../index.js';
import { table } from './output.js';

export interface KafkaCompareFlags {
  /** suite.json, or the suite run directory holding it. */
  readonly compare: string;
  /** The scenario files the suite ran (their acks, topic and fault pick the model row). */
  readonly scenarios: string;
  readonly schedules: number;
  readonly seed: number;
  readonly json?: boolean;
}

/** Prints the comparison; exit code 1 when a row disagrees (this command's finding, as a violation is `model check`'s). */
export function runKafkaCompare(flags: KafkaCompareFlags): void {
  const suite = readSuiteRows(flags.compare);
  const scenarios = loadScenarioDir(flags.scenarios);
  const comparisons = compareWithModel(scenarios, suite.rows, kafkaPredictor({ schedules: flags.schedules, seed: flags.seed }));
  if (flags.json) {
    process.stdout.write(JSON.stringify({ suite: suite.file, startedAt: suite.startedAt, scenarios: flags.scenarios, schedules: flags.schedules, seed: flags.seed, comparisons }, null, 2) + '\n');
  } else {
    const { headers, rows } = modelComparisonTable(comparisons);
    const lines = [
      `suite ${suite.file}${suite.startedAt !== '' ? ` (${suite.startedAt})` : ''} against the model (seed ${flags.seed}), scenarios from ${flags.scenarios}`,
      '',
      table(headers, rows),
      '',
      modelSummaryLine(comparisons),
      ...comparisons.map((c) => `${c.agreement === 'disagree' ? 'DISAGREE' : c.agreement}: ${c.scenario}: ${c.reason}`),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
  if (comparisons.some((c) => c.agreement === 'disagree')) process.exitCode = EXIT_VIOLATION;
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { Scenario } from '../scenario/scenario.js';
import { queueVerdictLines, queueVerdictSummary } from './queue-report.js';
import { jobFailureText, pipelineVerdictLines, windowVerdictLines } from './pipeline-row.js';
import { assertClientFits, runScenario } from './run-scenario.js';
import { assertFaultsWithinUndoExpiry, scenarioUndoAfterMs } from './undo-expiry.js';
import type { ProducerClient } from './verifiable-producer-workload.js';
import { anomalyColumns, rowCells, rowHeaders, type ScenarioOutcome } from './scenario-result.js';
import { assertSuiteMayReplaceCluster } from './cluster-ownership.js';
import { writeScenarioReports, suiteJunitXml } from './suite-reports.js';
import { recoveryMarkdown } from './pipeline-recovery-report.js';
import { anyModelled, compareWithModel, kafkaPredictor, type ModelComparison } from './model-comparison.js';
import { MODEL_HEADERS, modelCells, modelNoteLines, modelSummaryLine } from './model-comparison-text.js';

export interface SuiteOptions {
  /** Parent folder of the suite's run directory (default 'runs'). */
  readonly runsRoot?: string;
  readonly full?: boolean;
  readonly client?: ProducerClient;
  readonly log?: (line: string) => void;
  /**
   * Replace a running cluster the suite did not start (one started by hand, or by another suite run that is
   * still running). Default false: such a cluster makes the suite refuse before anything starts.
   */
  readonly replaceCluster?: boolean;
  /** Run on an attached cluster (`cluster attach`): its topics created and deleted, faults on its hosts. */
  readonly confirmed?: boolean;
  /** Called after each scenario with its outcome (progress). */
  readonly onScenario?: (outcome: ScenarioOutcome, index: number, count: number) => void;
}

export interface SuiteResult {
  readonly dir: string;
  readonly startedAt: string;
  readonly full: boolean;
  /** Who produced: faultline's producer or Kafka's VerifiableProducer. */
  readonly client: ProducerClient;
  readonly machine: { cpus: number; memoryGiB: number; node: string };
  readonly outcomes: ScenarioOutcome[];
  readonly durationMs: number;
  /** Every scenario ran and matched its expectation. */
  readonly allAsExpected: boolean;
  readonly errors: number;
  /**
   * The Kafka replication model's prediction per scenario next to what the run lost (model-comparison.ts).
   * Informational: a disagreement is flagged in the reports but does not decide allAsExpected or the exit code.
   */
  readonly model: ModelComparison[];
}

/**
 * Runs scenarios one by one, each on a fresh cluster; writes suite.json and suite.md into the suite's run directory.
 * Refuses (UsageError) before anything starts when a cluster it may not replace is running (see replaceCluster).
 */
export async function runSuite(scenarios: readonly Scenario[], options: SuiteOptions = {}): Promise<SuiteResult> {
  assertSuiteMayReplaceCluster(options.replaceCluster ?? false, options.confirmed ?? false);
  const undoAfterMs = scenarioUndoAfterMs();
  for (const scenario of scenarios) {
    assertClientFits(scenario, options.client);
    assertFaultsWithinUndoExpiry(scenario.name, scenario.faults, undoAfterMs);
  }
  const startedAt = new Date().toISOString();
  const dir = resolve(options.runsRoot ?? 'runs', `suite-${startedAt.replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const outcomes: ScenarioOutcome[] = [];
  const predict = kafkaPredictor();
  const result = (): SuiteResult =>
    buildResult(dir, startedAt, options.full ?? false, options.client ?? 'faultline', outcomes, performance.now() - started, compareWithModel(scenarios, outcomes.map((o) => o.row), predict));
  for (const [index, scenario] of scenarios.entries()) {
    options.log?.(`scenario ${index + 1}/${scenarios.length}: ${scenario.name} — ${scenario.title}`);
    const outcome = await runScenario(scenario, { runsRoot: dir, ...(options.full !== undefined ? { full: options.full } : {}), ...(options.client ? { client: options.client } : {}), ...(options.log ? { log: options.log } : {}), confirmed: options.confirmed ?? false });
    await writeScenarioReports(outcome, options.log);
    outcomes.push(outcome);
    options.onScenario?.(outcome, index, scenarios.length);
    writeReports(dir, result());
  }
  const final = result();
  writeReports(dir, final);
  return final;
}

function buildResult(dir: string, startedAt: string, full: boolean, client: ProducerClient, outcomes: ScenarioOutcome[], durationMs: number, model: ModelComparison[]): SuiteResult {
  return {
    dir,
    startedAt,
    full,
    client,
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    outcomes,
    durationMs,
    allAsExpected: outcomes.every((o) => o.row.asExpected),
    errors: outcomes.filter((o) => o.error !== null || o.row.verdict === 'error').length,
    model,
  };
}

/**
 * The suite table: ROW_HEADERS plus a column per queue anomaly any queue scenario found or expects, and the model's
 * prediction with its agreement (MODEL_HEADERS) when a scenario maps to a model row.
 */
export function suiteTable(outcomes: readonly ScenarioOutcome[], model: readonly ModelComparison[] = []): { headers: string[]; rows: (string | number)[][] } {
  const anomalies = anomalyColumns(outcomes.map((o) => o.row));
  if (!anyModelled(model)) return { headers: rowHeaders(anomalies), rows: outcomes.map((o) => rowCells(o.row, anomalies)) };
  const byName = new Map(model.map((c) => [c.scenario, c]));
  return { headers: [...rowHeaders(anomalies), ...MODEL_HEADERS], rows: outcomes.map((o) => [...rowCells(o.row, anomalies), ...modelCells(byName.get(o.name))]) };
}

/** The model summary line and a line per disagreement or scenario not modelled; none when no scenario is modelled. */
export function suiteModelLines(model: readonly ModelComparison[]): string[] {
  return anyModelled(model) ? [modelSummaryLine(model), ...modelNoteLines(model)] : [];
}

/** The suite table as Markdown, with a line per scenario of notes (faults fired, slow-producer gaps, queue anomalies) and a recovery table per pipeline scenario. */
export function suiteMarkdown(result: SuiteResult): string {
  const table = suiteTable(result.outcomes, result.model);
  const [modelSummary, ...modelNotes] = suiteModelLines(result.model);
  const lines = [
    `# faultline suite, ${result.startedAt}`,
    '',
    `Machine: ${result.machine.cpus} cores, ${result.machine.memoryGiB} GiB, Node ${result.machine.node}. ${result.full ? 'Full seed sizes.' : 'Scaled sizes (--full for the seed sizes).'} Producer: ${result.client === 'faultline' ? "faultline's (librdkafka)" : "Kafka's VerifiableProducer"}. Took ${(result.durationMs / 60000).toFixed(1)} min.`,
    '',
    `| ${table.headers.join(' | ')} |`,
    `|${table.headers.map(() => '---').join('|')}|`,
    ...table.rows.map((cells) => `| ${cells.join(' | ')} |`),
    '',
    ...(modelSummary !== undefined ? [`${modelSummary} (informational: not part of "as expected")`, '', ...modelNotes.map((line) => `- ${line}`), ...(modelNotes.length > 0 ? [''] : [])] : []),
  ];
  for (const o of result.outcomes) {
    const details = [
      ...o.faults.map((f) => `${f.kind} ${f.target} -> ${f.nodes.join(',')} at ${(f.atMs / 1000).toFixed(1)} s${f.healedAtMs !== null ? `, healed at ${(f.healedAtMs / 1000).toFixed(1)} s` : ''}`),
      ...(o.availability?.longestGapMs != null ? [`longest time without an acknowledgement: ${(o.availability.longestGapMs / 1000).toFixed(1)} s from ${((o.availability.gapStartMs ?? 0) / 1000).toFixed(1)} s`] : []),
      ...Object.entries(o.availability?.recoveryMs ?? {}).map(([id, ms]) => `first write sent after ${id} acknowledged ${ms === null ? 'never during the run' : `${(ms / 1000).toFixed(1)} s after it`}`),
      ...(o.slowProducerImpliedLost !== null ? [`slow producer: fail-over gaps imply ${o.slowProducerImpliedLost} acknowledged messages lost`] : []),
      ...(o.verdict ? o.verdict.partitions.map((p) => `partition ${p.partition}: acknowledged ${p.acknowledged}, high watermark ${p.highWatermark ?? '-'}${p.ackedAboveHighWatermark ? ` (acknowledged exceeds it by ${p.ackedAboveHighWatermark})` : ''}`) : []),
      ...(o.verdict && o.verdict.anomalies.lost.length > 0 ? [`first lost values: ${o.verdict.anomalies.lost.slice(0, 5).map((l) => `${l.value}@${l.partition ?? '?'}:${l.offset ?? '?'}`).join(', ')}`] : []),
      ...(o.queueVerdict ? queueVerdictLines(o.queueVerdict) : []),
      ...(o.pipelineVerdict ? pipelineVerdictLines(o.pipelineVerdict) : []),
      ...(o.windowVerdict ? windowVerdictLines(o.windowVerdict) : []),
      ...(o.pipelineRecovery?.jobFailures ?? []).map((f) => jobFailureText(f)),
      ...o.notes,
      ...(o.error ? [`error: ${o.error}`] : []),
    ];
    lines.push(`- **${o.name}** (${o.title}): ${details.join('; ') || 'no faults'}${o.runDir ? ` — run \`${o.runDir}\`` : ''}`);
  }
  const recovery = recoveryMarkdown(result.outcomes);
  if (recovery.length > 0) lines.push('', ...recovery);
  return lines.join('\n') + '\n';
}

function writeReports(dir: string, result: SuiteResult): void {
  writeFileSync(join(dir, 'suite.json'), JSON.stringify({ ...result, outcomes: result.outcomes.map((o) => ({ ...o, availability: o.availability, verdict: o.verdict ? { verdict: o.verdict.verdict, reasons: o.verdict.reasons, counts: o.verdict.counts, partitions: o.verdict.partitions } : null, queueVerdict: o.queueVerdict ? queueVerdictSummary(o.queueVerdict) : null })), anomalyColumns: anomalyColumns(result.outcomes.map((o) => o.row)) }, null, 2) + '\n');
  writeFileSync(join(dir, 'suite.md'), suiteMarkdown(result));
  writeFileSync(join(dir, 'junit.xml'), suiteJunitXml(result.outcomes, result.durationMs));
}

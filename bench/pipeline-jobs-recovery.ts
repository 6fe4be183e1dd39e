import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { PipelineFaultRecovery } from '../src/checker/pipeline-recovery.js';
import { clusterDown } from '../src/cluster/local-cluster.js';
import { runScenario } from '../src/runner/run-scenario.js';
import type { ScenarioOutcome } from '../src/runner/scenario-result.js';
import { loadScenario } from '../src/scenario/load-scenario.js';

/**
 * The pipeline scenarios that each exercise one fault kind, per engine, in the order run. Scaled sizes (not --full):
 * a Kafka Streams one takes about a minute on 2 cores, a Spark one two to four (two JVM starts and first batches).
 */
const RECOVERY_SCENARIOS = [
  { engine: 'kafka-streams', dir: 'scenarios/pipeline', file: '03-state-deleted-then-update.yaml' }, // state-delete (exactly-once)
  { engine: 'kafka-streams', dir: 'scenarios/pipeline', file: '04-cancel-recreate.yaml' }, // job-cancel-recreate (exactly-once)
  { engine: 'kafka-streams', dir: 'scenarios/pipeline', file: '06b-kill9-exactly-once.yaml' }, // job-kill (exactly-once)
  { engine: 'kafka-streams', dir: 'scenarios/pipeline', file: '06-kill9-at-least-once.yaml' }, // job-kill (at-least-once)
  { engine: 'kafka-streams', dir: 'scenarios/pipeline', file: '07-leader-killed-exactly-once.yaml' }, // kill (a broker) + job-partition (exactly-once)
  { engine: 'kafka-streams', dir: 'scenarios/pipeline', file: '02-logic-error-then-update.yaml' }, // job-update (exactly-once)
  { engine: 'spark', dir: 'scenarios/pipeline-spark', file: '01-kill9-kafka-sink.yaml' }, // job-kill (at-least-once, Kafka sink)
  { engine: 'spark', dir: 'scenarios/pipeline-spark', file: '01b-kill9-transactional-sink.yaml' }, // job-kill (exactly-once, transactional sink)
  { engine: 'spark', dir: 'scenarios/pipeline-spark', file: '02-checkpoint-deleted.yaml' }, // state-delete
  { engine: 'spark', dir: 'scenarios/pipeline-spark', file: '06-backlog-cascading-recovery.yaml' }, // job-kill with a backlog, capped batches
  { engine: 'spark', dir: 'scenarios/pipeline-spark', file: '07-checkpoint-corrupt.yaml' }, // state-corrupt
  { engine: 'spark', dir: 'scenarios/pipeline-spark', file: '08-checkpoint-full.yaml' }, // state-fill
] as const;

export type RecoveryEngine = (typeof RECOVERY_SCENARIOS)[number]['engine'];
export const RECOVERY_ENGINES: readonly RecoveryEngine[] = ['kafka-streams', 'spark'];

/** Run directories are kept here, one folder per engine set (under the working directory; runs/ is not committed): the journals behind the numbers. */
const BENCH_RUNS_DIR = join('runs', 'bench-pipeline-jobs');

/** A scenario's row: the checker's verdict, lost and duplicated inputs, whether it went as the scenario expects. */
export interface RecoveryScenario {
  readonly scenario: string;
  /** The job's engine (kafka-streams, spark). */
  readonly engine: string;
  readonly guarantee: string;
  readonly faultKinds: string[];
  readonly verdict: string;
  readonly lost: number;
  readonly duplicates: number;
  readonly asExpected: boolean;
  readonly durationMs: number;
  readonly error: string | null;
  /** The run directory, relative to the working directory (journal, job log, suite-style files). */
  readonly runDir: string | null;
}

/** One fault's recovery measures (docs/pipelines.md, "Recovery times"), with its scenario's row. */
export type FaultKindMeasure = { readonly scenario: string; readonly engine: string; readonly guarantee: string } & PipelineFaultRecovery & Pick<RecoveryScenario, 'lost' | 'duplicates' | 'asExpected'>;

export interface RecoveryResult {
  readonly scenarios: RecoveryScenario[];
  /** Fault kind -> one entry per fault of that kind, in the order run. */
  readonly byFaultKind: Record<string, FaultKindMeasure[]>;
}

function scenarioRow(outcome: ScenarioOutcome, engine: string, guarantee: string): RecoveryScenario {
  const { row } = outcome;
  return {
    scenario: outcome.name, engine, guarantee, faultKinds: (outcome.pipelineRecovery?.faults ?? []).map((f) => f.fault), verdict: row.verdict, lost: row.lost,
    duplicates: row.duplicates, asExpected: row.asExpected, durationMs: Math.round(outcome.durationMs), error: outcome.error,
    runDir: outcome.runDir === null ? null : relative(process.cwd(), outcome.runDir),
  };
}

function faultMeasure(f: PipelineFaultRecovery, row: RecoveryScenario): FaultKindMeasure {
  return { scenario: row.scenario, engine: row.engine, guarantee: row.guarantee, ...f, lost: row.lost, duplicates: row.duplicates, asExpected: row.asExpected };
}

/**
 * Recovery time per fault kind and engine (issues 11, 12): each scenario of RECOVERY_SCENARIOS run as a suite runs it (a fresh
 * cluster each, torn down after: never two at once), its `pipelineRecovery` collected per fault kind. A scenario that
 * fails is recorded with its error; the others still run. Every wait is bounded by the scenario runner's own limits.
 */
export async function runRecoveryBench(repoRoot: string, log: (line: string) => void, engines: readonly RecoveryEngine[] = RECOVERY_ENGINES): Promise<RecoveryResult> {
  const scenarios: RecoveryScenario[] = [];
  const byFaultKind: Record<string, FaultKindMeasure[]> = {};
  const runsRoot = join(process.cwd(), BENCH_RUNS_DIR, engines.join('+'));
  rmSync(runsRoot, { recursive: true, force: true }); // the last bench's runs: a run directory is never reused
  try {
    for (const { dir, file } of RECOVERY_SCENARIOS.filter((s) => engines.includes(s.engine))) {
      const scenario = loadScenario(join(repoRoot, dir, file));
      const guarantee = scenario.workload.kind === 'pipeline' ? scenario.workload.job.guarantee : '-';
      const engine = scenario.workload.kind === 'pipeline' ? scenario.workload.job.engine : '-';
      log(`scenario ${scenario.name}...`);
      const outcome = await runScenario(scenario, { runsRoot, keepCluster: false, log: (line) => log(`  ${scenario.name}: ${line}`) });
      const row = scenarioRow(outcome, engine, guarantee);
      scenarios.push(row);
      log(`scenario ${row.scenario}: ${row.verdict}, lost ${row.lost}, duplicates ${row.duplicates}, as expected: ${row.asExpected ? 'yes' : 'NO'}${row.error !== null ? `, error: ${row.error}` : ''}`);
      for (const f of outcome.pipelineRecovery?.faults ?? []) (byFaultKind[f.fault] ??= []).push(faultMeasure(f, row));
    }
  } finally {
    await clusterDown(); // runScenario tears its cluster down; this covers a throw between scenarios
  }
  return { scenarios, byFaultKind };
}

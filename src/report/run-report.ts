import { checkRun, type JournalCheck, type RunCheckers, type RunCheckOptions } from '../checker/check-run.js';
import { openRunDir } from '../history/run-dir.js';
import type { MetaRecord } from '../history/operation.js';
import type { Budgets } from '../experiment/experiment.js';
import { readRunBudgets } from './run-budgets.js';
import { readTimeline, type Timeline } from './timeline.js';

/** One row of a report's steps table: an experiment's step, or a note of a suite scenario. */
export interface ReportStep {
  name: string;
  /** e.g. 'ok', 'failed', 'skipped', 'note'. */
  status: string;
  /** ms since the run started; null or absent when not timed. */
  startMs?: number | null;
  endMs?: number | null;
  detail?: string;
}

/** Everything the reports show about one run directory. */
export interface RunReport {
  title: string;
  runDir: string;
  meta: MetaRecord | null;
  timeline: Timeline;
  check: JournalCheck<RunCheckers>;
  steps: ReportStep[];
  /** Recovery budgets the run was held to (the recovery times table marks what went over); empty: none. */
  budgets: Budgets;
}

export interface RunReportOptions extends RunCheckOptions {
  /** Default: the meta's title, else its run name, else the directory. */
  title?: string;
  steps?: readonly ReportStep[];
  /** Default: `recovery.budgets` of the run's journal.json (an experiment run), else none. */
  budgets?: Budgets;
}

/** Reads a run directory (meta.json + history.jsonl): its timeline and its verdicts, two streaming passes. */
export async function loadRunReport(runDir: string, options: RunReportOptions = {}): Promise<RunReport> {
  const run = await openRunDir(runDir);
  const { title, steps, budgets, ...checkOptions } = options;
  const [timeline, check] = [await readTimeline(run.historyPath), await checkRun(runDir, checkOptions)];
  const metaTitle = typeof run.meta?.['title'] === 'string' ? run.meta['title'] : null;
  return {
    title: title ?? metaTitle ?? run.meta?.run ?? runDir,
    runDir,
    meta: run.meta,
    timeline,
    check,
    steps: [...(steps ?? [])],
    budgets: budgets ?? (await readRunBudgets(runDir)),
  };
}

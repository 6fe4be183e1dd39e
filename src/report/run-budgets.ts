import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RECOVERY_MEASURES, type Budgets, type RecoveryMeasure } from '../experiment/experiment.js';

/** The experiment journal the runner writes next to the history (Chaos Toolkit's shape; see docs/experiments.md). */
const EXPERIMENT_JOURNAL_FILE = 'journal.json';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The recovery budgets an experiment run was held to: `recovery.budgets` of its journal.json. Empty when the run
 * has no journal.json (a scenario, a hand-made run) or it holds no readable budgets: a report never fails on it.
 */
export async function readRunBudgets(runDir: string): Promise<Budgets> {
  let journal: unknown;
  try {
    journal = JSON.parse(await readFile(join(runDir, EXPERIMENT_JOURNAL_FILE), 'utf8'));
  } catch {
    return {};
  }
  const recovery = isRecord(journal) ? journal['recovery'] : undefined;
  const budgets = isRecord(recovery) ? recovery['budgets'] : undefined;
  if (!isRecord(budgets)) return {};
  const found: Partial<Record<RecoveryMeasure, number>> = {};
  for (const m of RECOVERY_MEASURES) {
    const v = budgets[m];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) found[m] = v;
  }
  return found;
}

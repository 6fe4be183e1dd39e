import { stat } from 'node:fs/promises';
import { UsageError } from '../../errors.js';
import { checkJournalWith, runCheckers } from '../../checker/check-run.js';
import type { Validity } from '../../checker/checker.js';
import type { ProbeContext } from './probe-context.js';
import type { CheckerProbe } from './probe-spec.js';

/** The value of a checker probe: the composed verdict so far. */
export interface CheckerValue {
  readonly valid: Validity;
  readonly evidence: string;
}

/**
 * Runs the run's checkers (all, or those named) over the journal as it is when the probe starts: the file is
 * still being appended, so it is read up to its size then (a line cut there is ignored).
 */
export async function measureChecker(spec: CheckerProbe, context: ProbeContext): Promise<CheckerValue> {
  if (context.historyPath === undefined) throw new UsageError(`probe ${spec.name}: a checker probe needs the run's journal (no history path in this run)`);
  const { size } = await stat(context.historyPath);
  const all = runCheckers(spec.topic !== undefined ? { topic: spec.topic } : {});
  const chosen = spec.checkers === undefined ? all : all.filter((c) => (spec.checkers as readonly string[]).includes(c.name));
  const result = await checkJournalWith(context.historyPath, chosen, { untilBytes: size });
  return { valid: result.valid, evidence: result.evidence };
}

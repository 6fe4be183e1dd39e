import type { AvailabilityVerdict } from '../checker/availability.js';
import { checkJournalWith, runCheckers } from '../checker/index.js';
import type { QueueVerdict } from '../checker/queue-verdict.js';
import type { PipelineVerdict } from '../checker/pipeline-verdict.js';
import type { ExactVerdict } from '../checker/verdict.js';
import type { WindowVerdict } from '../checker/window-types.js';

export interface ScenarioVerdicts {
  readonly verdict: ExactVerdict;
  readonly availability: AvailabilityVerdict;
  /** The queue checker's verdict (not applicable without queue ops); the scenario's verdict for a queue workload. */
  readonly queue: QueueVerdict;
  /** The pipeline checker's verdict (not applicable without a pipeline meta); the scenario's verdict for a pipeline. */
  readonly pipeline: PipelineVerdict;
  /** The window checker's verdict (not applicable without windows). */
  readonly window: WindowVerdict;
}

/** The check phase: every checker that applies (the same composition as `faultline check`), in one pass over the closed history. */
export async function checkScenarioHistory(historyPath: string, topic: string): Promise<ScenarioVerdicts> {
  const check = await checkJournalWith(historyPath, runCheckers({ topic }));
  if (check.warnings.length > 0) check.checkers.exact.warnings.push(...check.warnings);
  return { verdict: check.checkers.exact, availability: check.checkers.availability, queue: check.checkers.queue, pipeline: check.checkers.pipeline, window: check.checkers.window };
}

import { AvailabilityChecker, type AvailabilityVerdict } from '../checker/availability.js';
import { checkJournalFile } from '../checker/check-history.js';
import type { ExactVerdict } from '../checker/verdict.js';
import { readJournal } from '../history/journal-reader.js';

export interface ScenarioVerdicts {
  readonly verdict: ExactVerdict;
  readonly availability: AvailabilityVerdict;
}

/** The check phase: every checker the suite reports, over the closed history. */
export async function checkScenarioHistory(historyPath: string, topic: string): Promise<ScenarioVerdicts> {
  const { verdict } = await checkJournalFile(historyPath, { topic });
  const availability = new AvailabilityChecker();
  for await (const record of readJournal(historyPath)) availability.add(record);
  return { verdict, availability: availability.result() };
}

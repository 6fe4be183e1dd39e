/** The model comparison as text: the suite table's two model columns, the summary line, and the side-by-side table. */
import type { ModelComparison } from './model-comparison.js';

/** The columns a suite table gains when a scenario maps to a model row (after 'as expected'). */
export const MODEL_HEADERS = ['model predicts', 'vs model'] as const;

/** 'loss possible (80/200)', 'not modelled', or '-' for a row the comparison does not know. */
function predictionCell(c: ModelComparison | undefined): string {
  if (c === undefined) return '-';
  if (c.model === null) return 'not modelled';
  return `${c.model.prediction} (${c.model.lossSchedules}/${c.model.schedules})`;
}

/** A disagreement in capitals, so it stands out in a table of 'agree'. */
function agreementCell(c: ModelComparison | undefined): string {
  if (c === undefined || c.agreement === 'not modelled') return '-';
  return c.agreement === 'disagree' ? 'DISAGREE' : c.agreement;
}

/** A row's cells under MODEL_HEADERS. */
export function modelCells(c: ModelComparison | undefined): [string, string] {
  return [predictionCell(c), agreementCell(c)];
}

/** One line: how many rows are modelled, agree and disagree, naming the disagreeing scenarios. */
export function modelSummaryLine(comparisons: readonly ModelComparison[]): string {
  const count = (agreement: ModelComparison['agreement']): number => comparisons.filter((c) => c.agreement === agreement).length;
  const modelled = comparisons.filter((c) => c.model !== null);
  const schedules = [...new Set(modelled.map((c) => c.model?.schedules))].join('/');
  const noResult = count('no result');
  const disagreeing = comparisons.filter((c) => c.agreement === 'disagree').map((c) => c.scenario);
  return (
    `model kafka-replication (${schedules || '-'} random schedules per row): ${modelled.length} of ${comparisons.length} scenarios modelled; ` +
    `${count('agree')} agree, ${disagreeing.length} disagree${noResult > 0 ? `, ${noResult} without a result` : ''}` +
    (disagreeing.length > 0 ? ` (DISAGREE: ${disagreeing.join(', ')})` : '')
  );
}

/** A line per disagreement and per scenario not modelled, with its reason. */
export function modelNoteLines(comparisons: readonly ModelComparison[]): string[] {
  return comparisons
    .filter((c) => c.agreement === 'disagree' || c.agreement === 'not modelled')
    .map((c) => `${c.agreement === 'disagree' ? 'DISAGREE' : 'not modelled'}: ${c.scenario}: ${c.reason}`);
}

/** The headers and rows of the side-by-side table (`faultline model kafka-verdicts --compare`). */
export function modelComparisonTable(comparisons: readonly ModelComparison[]): { headers: string[]; rows: string[][] } {
  const headers = ['scenario', 'acks', 'min.isr', 'model fault', 'producers', 'model predicts', 'max lost (model)', 'run lost', 'vs model'];
  const rows = comparisons.map((c) => {
    const m = c.model;
    const [predicts, agreement] = modelCells(c);
    const row = m === null ? ['-', '-', '-', '-'] : [m.acks, String(m.minInsyncReplicas), m.fault, m.producerShape];
    return [c.scenario, ...row, predicts, m === null ? '-' : String(m.maxLost), c.observedLost === null ? '-' : String(c.observedLost), agreement];
  });
  return { headers, rows };
}

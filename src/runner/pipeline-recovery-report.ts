import type { PipelineFaultRecovery } from '../checker/pipeline-recovery.js';
import type { ScenarioOutcome } from './scenario-result.js';

const RECOVERY_HEADERS = ['fault', 'at', 'healed', 'job up', 'running', 'first output', 'caught up', 'pending at fault', 'backlog at restart', 'catch-up rate'] as const;

const seconds = (ms: number | null): string => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** One fault's row: when it fired and healed (s into the run), then each measure (s after the fault-start). */
function recoveryCells(f: PipelineFaultRecovery): string[] {
  return [
    `${f.fault} ${f.target} (${f.faultId})`, seconds(f.atMs), seconds(f.healedAtMs), seconds(f.jobUpMs), seconds(f.jobRunningMs), seconds(f.firstOutputMs), seconds(f.caughtUpMs),
    String(f.pendingAtFault), String(f.backlogAtRestart), f.catchUpRatePerSec === null ? '-' : `${f.catchUpRatePerSec}/s`,
  ];
}

/** suite.md's recovery section: a table per pipeline scenario with faults; no lines when there is none. */
export function recoveryMarkdown(outcomes: readonly ScenarioOutcome[]): string[] {
  const measured = outcomes.flatMap((o) => (o.pipelineRecovery !== null && o.pipelineRecovery.faults.length > 0 ? [{ name: o.name, faults: o.pipelineRecovery.faults }] : []));
  if (measured.length === 0) return [];
  const lines = [
    '## Recovery per fault (pipeline scenarios)',
    '',
    'at / healed: seconds into the run; the rest: seconds after the fault-start (docs/pipelines.md, "Recovery times"). `-`: did not happen in the run, or does not apply.',
  ];
  for (const { name, faults } of measured) {
    lines.push('', `### ${name}`, '', `| ${RECOVERY_HEADERS.join(' | ')} |`, `|${RECOVERY_HEADERS.map(() => '---').join('|')}|`, ...faults.map((f) => `| ${recoveryCells(f).join(' | ')} |`));
  }
  lines.push('');
  return lines;
}

import type { Command } from 'commander';
import { checkRunDir } from '../checker/check-history.js';
import { DEFAULT_MAX_LISTED, formatVerdictText } from '../checker/report-text.js';
import { EXIT_VIOLATION } from '../errors.js';
import { parseIntOption } from './parse.js';

interface CheckFlags {
  json?: boolean;
  maxListed?: string;
  allowDuplicates?: boolean;
  topic?: string;
}

/**
 * `faultline check RUN_DIR [--json] [--max-listed N]`: exit 0 valid, 1 invalid or unknown, 2 bad input.
 * `write` receives the report (stdout by default; tests pass their own).
 */
export function registerCheckCommand(program: Command, write: (text: string) => void = (t) => void process.stdout.write(t)): void {
  program
    .command('check')
    .description('Check a run\'s history: lost, duplicate, unexpected, reordered and recovered values, acked vs high watermark')
    .argument('<run-dir>', 'run directory holding history.jsonl (e.g. runs/<name>)')
    .option('--json', 'print the whole verdict as JSON (every anomalous value)')
    .option('--max-listed <n>', `values listed per anomaly in the text summary (default ${DEFAULT_MAX_LISTED})`)
    .option('--allow-duplicates', 'at-least-once: report duplicates without failing the verdict')
    .option('--topic <topic>', 'topic whose high watermark samples count (default: the run\'s topic)')
    .action(async (runDir: string, flags: CheckFlags) => {
      const maxListed = flags.maxListed === undefined ? DEFAULT_MAX_LISTED : parseIntOption('--max-listed', flags.maxListed, 0);
      const { verdict } = await checkRunDir(runDir, {
        ...(flags.allowDuplicates ? { allowDuplicates: true } : {}),
        ...(flags.topic !== undefined ? { topic: flags.topic } : {}),
      });
      write((flags.json ? JSON.stringify(verdict, null, 2) : formatVerdictText(verdict, maxListed)) + '\n');
      if (!verdict.valid) process.exitCode = EXIT_VIOLATION;
    });
}

import type { Command } from 'commander';
import { DEFAULT_MAX_LISTED, EXIT_VIOLATION, checkRun, formatRunCheckText } from '../index.js';
import { intOption } from './options.js';

interface CheckFlags {
  json?: boolean;
  maxListed: number;
  allowDuplicates?: boolean;
  topic?: string;
  stallMs?: number;
}

/**
 * `faultline check RUN_DIR [--json] [--max-listed N]`: runs every checker of a run (exact,
 * availability, consumer, queue; each says when it does not apply); exit 0 when the overall verdict is valid, 1 when invalid or unknown, 2 bad input.
 * `--json` prints `{ valid, evidence, warnings, checkers: { <name>: result } }`.
 * `write` receives the report (stdout by default; tests pass their own).
 */
export function registerCheckCommand(program: Command, write: (text: string) => void = (t) => void process.stdout.write(t)): void {
  program
    .command('check')
    .description('Check a run\'s history with every checker that applies: lost, duplicate, unexpected, reordered and recovered values, acked vs high watermark, availability')
    .argument('<run-dir>', 'run directory holding history.jsonl (e.g. runs/<name>)')
    .option('--json', 'print every checker\'s whole result as JSON (every anomalous value)')
    .addOption(intOption('--max-listed <n>', 'values listed per anomaly in the text summary', 0).default(DEFAULT_MAX_LISTED))
    .option('--allow-duplicates', 'at-least-once: report duplicates without failing the verdict')
    .option('--topic <topic>', 'topic whose high watermark samples count (default: the run\'s topic)')
    .addOption(intOption('--stall-ms <ms>', 'consumer checker: flag a member silent this long before the end while its partitions got new values (default 10000)', 0))
    .action(async (runDir: string, flags: CheckFlags) => {
      const result = await checkRun(runDir, {
        ...(flags.allowDuplicates ? { allowDuplicates: true } : {}),
        ...(flags.topic !== undefined ? { topic: flags.topic } : {}),
        ...(flags.stallMs !== undefined ? { stallMs: flags.stallMs } : {}),
      });
      const { valid, evidence, warnings, checkers } = result;
      write((flags.json ? JSON.stringify({ valid, evidence, warnings, checkers }, null, 2) : formatRunCheckText(result, flags.maxListed)) + '\n');
      if (valid !== true) process.exitCode = EXIT_VIOLATION;
    });
}

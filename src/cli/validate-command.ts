import type { Command } from 'commander';
import { EXIT_USAGE, UsageError, loadFile } from '../index.js';
import { printResult } from './output.js';

/** One file's verdict: valid (with its kind and, for an experiment, its variant names) or the positioned error. */
interface FileVerdict {
  readonly file: string;
  readonly ok: boolean;
  readonly kind?: 'scenario' | 'experiment';
  readonly variants?: readonly string[];
  readonly error?: string;
}

function verdictOf(file: string): FileVerdict {
  try {
    const loaded = loadFile(file);
    if (loaded.kind === 'scenario') return { file, ok: true, kind: 'scenario' };
    return { file, ok: true, kind: 'experiment', variants: loaded.variants.map((v) => v.name) };
  } catch (error) {
    if (error instanceof UsageError) return { file, ok: false, error: error.message };
    throw error;
  }
}

function humanText(verdicts: readonly FileVerdict[]): string {
  const lines = verdicts.flatMap((v) => {
    if (!v.ok) return [`INVALID ${v.error ?? v.file}`];
    const variants = v.variants ?? [];
    const what = v.kind === 'scenario' ? 'scenario' : `experiment, ${variants.length} variant${variants.length === 1 ? '' : 's'}`;
    return [`OK ${v.file} (${what})`, ...(variants.length > 1 ? variants.map((name) => `  ${name}`) : [])];
  });
  const invalid = verdicts.filter((v) => !v.ok).length;
  return [...lines, invalid === 0 ? `${verdicts.length} valid` : `${invalid} of ${verdicts.length} invalid`].join('\n');
}

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('check scenario and experiment files without running anything: each is OK or its positioned error; matrices are expanded')
    .argument('<files...>', 'scenario or experiment files (YAML)')
    .option('--json', 'print the verdicts as JSON')
    .action((files: string[], flags: { json?: boolean }) => {
      const verdicts = files.map(verdictOf);
      printResult(flags.json, verdicts, humanText);
      process.exitCode = verdicts.every((v) => v.ok) ? 0 : EXIT_USAGE;
    });
}

import { Option, type Command } from 'commander';
import { REPORT_FORMATS, validityWord, writeRunReports, type ReportFormat } from '../index.js';
import { printResult } from './output.js';

const FORMAT_CHOICES = [...REPORT_FORMATS, 'all'] as const;

interface ReportFlags {
  format: ReportFormat | 'all';
  out?: string;
  json?: boolean;
}

/**
 * `faultline report RUN_DIR [--format html|junit|md|all] [--out DIR] [--json]`: writes report.html, junit.xml
 * and report.md of a run directory (default all, into the run directory). Exit 0 when written, whatever the
 * verdict (junit.xml carries the failures); 2 when RUN_DIR is not a run directory.
 */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('write the reports a person reads of a run directory: report.html (timeline and verdicts), junit.xml, report.md')
    .argument('<run-dir>', 'run directory holding history.jsonl (e.g. runs/<name>)')
    .addOption(new Option('--format <format>', 'which report to write').choices(FORMAT_CHOICES).default('all'))
    .option('--out <dir>', 'folder to write into (default: the run directory)')
    .option('--json', 'print { valid, evidence, files } as JSON')
    .action(async (runDir: string, flags: ReportFlags) => {
      const written = await writeRunReports(runDir, {
        formats: flags.format === 'all' ? REPORT_FORMATS : [flags.format],
        ...(flags.out !== undefined ? { outDir: flags.out } : {}),
      });
      printResult(flags.json, written, (w) => [...w.files.map((f) => `${f.format}: ${f.path}`), `verdict: ${validityWord(w.valid)} (${w.evidence})`].join('\n'));
    });
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Validity } from '../checker/checker.js';
import { renderHtmlReport } from './html.js';
import { renderJunitReport } from './junit.js';
import { renderMarkdownReport } from './markdown.js';
import { loadRunReport, type RunReport, type RunReportOptions } from './run-report.js';

export const REPORT_FORMATS = ['html', 'junit', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The file each format is written to, in the run directory (or outDir). */
export const REPORT_FILES: Readonly<Record<ReportFormat, string>> = { html: 'report.html', junit: 'junit.xml', md: 'report.md' };

const RENDER: Readonly<Record<ReportFormat, (report: RunReport) => string>> = { html: renderHtmlReport, junit: renderJunitReport, md: renderMarkdownReport };

export interface WriteReportsOptions extends RunReportOptions {
  /** Default: all three. */
  formats?: readonly ReportFormat[];
  /** Default: the run directory itself. */
  outDir?: string;
}

export interface WrittenReports {
  /** The run's composed verdict (as `faultline check`). */
  valid: Validity;
  evidence: string;
  files: { format: ReportFormat; path: string }[];
}

/** Writes report.html, junit.xml and/or report.md of a run directory. UsageError when it is not a run directory. */
export async function writeRunReports(runDir: string, options: WriteReportsOptions = {}): Promise<WrittenReports> {
  const { formats = REPORT_FORMATS, outDir = runDir, ...loadOptions } = options;
  const report = await loadRunReport(runDir, loadOptions);
  await mkdir(outDir, { recursive: true });
  const files: WrittenReports['files'] = [];
  for (const format of new Set(formats)) {
    const path = resolve(join(outDir, REPORT_FILES[format]));
    await writeFile(path, RENDER[format](report));
    files.push({ format, path });
  }
  return { valid: report.check.valid, evidence: report.check.evidence, files };
}

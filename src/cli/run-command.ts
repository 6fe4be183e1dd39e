import type { Command } from 'commander';
import {
  EXIT_ENVIRONMENT,
  UsageError,
  abortActiveRun,
  dryRunExperiment,
  experimentExitCode,
  loadExperiment,
  runExperiment,
  type ExperimentProgress,
  type ExperimentResult,
  type ExperimentVariant,
} from '../index.js';
import { interruptSignal } from './interrupt.js';
import { intOption } from './options.js';
import { printResult, progress, table } from './output.js';
import { TerminalStatus } from './terminal-status.js';

interface RunFlags {
  readonly dryRun?: boolean;
  readonly seed?: number;
  readonly runsDir: string;
  readonly only?: string;
  readonly replaceCluster?: boolean;
  readonly json?: boolean;
}

function resultLines(r: ExperimentResult): string {
  const verdict = r.status !== 'completed' ? r.status.toUpperCase() : r.deviated ? 'DEVIATED' : 'PASSED';
  const lines = [`${verdict}  ${r.name}  (${(r.durationMs / 1000).toFixed(1)} s)${r.runDir ? `  run: ${r.runDir}` : ''}`];
  if (r.abortedBy) lines.push(`  stopped by ${r.abortedBy}`);
  lines.push(`  steady state before: ${r.steadyStateBefore?.passed === true ? 'held' : r.steadyStateBefore ? 'FAILED' : '-'}; after: ${r.steadyStateAfter?.passed === true ? `held again after ${r.steadyStateAfter.recoveredAfterMs ?? '?'} ms` : r.steadyStateAfter ? 'FAILED' : '-'}`);
  if (r.method.length > 0) lines.push(table(['step', 'kind', 'status', 'start ms', 'end ms'], r.method.map((s) => [s.name, s.kind, s.status, s.startedAtMs, s.endedAtMs])).replace(/^/gm, '  '));
  for (const fault of r.recovery?.faults ?? []) {
    const m = Object.entries(fault.measures).map(([k, v]) => `${k} ${v === null ? '-' : Math.round(v)}`).join(', ');
    lines.push(`  ${fault.faultId} ${fault.fault} ${fault.target}: ${m}`);
  }
  if (r.checks) lines.push(`  checks: ${r.checks.valid === true ? 'VALID' : r.checks.valid === false ? 'INVALID' : 'UNKNOWN'} (${r.checks.evidence})`);
  for (const note of r.notes) lines.push(`  - ${note}`);
  if (r.error) lines.push(`  error: ${r.error}`);
  return lines.join('\n');
}

function selectVariants(variants: readonly ExperimentVariant[], only: string | undefined, seed: number | undefined): ExperimentVariant[] {
  const picked = only === undefined ? [...variants] : variants.filter((v) => v.name.includes(only));
  if (picked.length === 0) throw new UsageError(`--only ${only ?? ''}: no variant matches; variants: ${variants.map((v) => v.name).join(', ')}`);
  return seed === undefined ? picked : picked.map((v) => ({ ...v, experiment: { ...v.experiment, seed } }));
}

async function runAll(variants: readonly ExperimentVariant[], flags: RunFlags): Promise<number> {
  const signal = interruptSignal();
  const results: ExperimentResult[] = [];
  // On a terminal (and without --json) a status line below the progress lines; elsewhere only the lines.
  const status = TerminalStatus.forStderr(flags.json ?? false)?.attach() ?? null;
  const log = status === null ? progress : (line: string) => status.log(line);
  try {
    for (const variant of variants) {
      if (signal.aborted) break;
      log(`experiment ${variant.name}: fresh cluster, steady state, method, steady state`);
      const result = await runExperiment(variant, { runsRoot: flags.runsDir, replaceCluster: flags.replaceCluster ?? false, signal, log, ...(status === null ? {} : { onProgress: (p: ExperimentProgress) => status.update(p) }) });
      status?.reset();
      results.push(result);
      if (!flags.json) process.stdout.write(resultLines(result) + '\n');
    }
  } finally {
    status?.close();
  }
  if (flags.json) printResult(true, { results }, () => '');
  return Math.max(0, ...results.map((r) => experimentExitCode(r, EXIT_ENVIRONMENT)));
}

export function registerRunCommands(program: Command): void {
  program
    .command('run')
    .description('run an experiment: steady state, method (faults, waits, workloads, probes), steady state again; rollbacks always run')
    .argument('<file>', 'an experiment file (experiments/kafka/*.yaml)')
    .option('--dry-run', 'on the live cluster: validate, resolve every target and run the steady-state probes once; inject nothing')
    .addOption(intOption('--seed <n>', "override the experiment's seed (workload values, targets, random schedules)", 0, 2 ** 32 - 1))
    .option('--runs-dir <dir>', 'where run directories are made', 'runs')
    .option('--only <text>', 'run only the matrix variants whose name contains this')
    .option('--replace-cluster', 'replace a live cluster this tool did not start')
    .option('--json', 'print the results as JSON')
    .addHelpText('after', '\nExit codes: 0 passed, 1 deviated (a probe, checker or budget failed), 2 bad input, 3 environment, 4 aborted (safeguard, signal or faultline abort).')
    .action(async (file: string, flags: RunFlags) => {
      const variants = selectVariants(loadExperiment(file).variants, flags.only, flags.seed);
      if (flags.dryRun) {
        const results = [];
        for (const v of variants) results.push(await dryRunExperiment(v));
        printResult(flags.json, { results }, (r) => r.results.map((d) => [`${d.ok ? 'OK' : 'PROBLEMS'}  ${d.name}`, ...d.faults.map((f) => `  ${f.step}: ${f.target} -> ${f.error ?? f.nodes.join(',')}`), ...d.probes.map((p) => `  probe ${p.name}: ${p.ok ? 'ok' : 'FAILED'} (${p.detail})`)].join('\n')).join('\n'));
        process.exitCode = results.every((d) => d.ok) ? 0 : 1;
        return;
      }
      process.exitCode = await runAll(variants, flags);
    });

  program
    .command('abort')
    .description('stop the live experiment (or any live run) from another terminal: its rollbacks and heal run, it exits 4')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }) => {
      const outcome = await abortActiveRun();
      printResult(flags.json, outcome, (o) => `${o.ended ? 'stopped' : 'signalled (still running after the wait)'}: pid ${o.pid}, run ${o.runDir} (${(o.waitedMs / 1000).toFixed(1)} s)`);
      if (!outcome.ended) process.exitCode = EXIT_ENVIRONMENT;
    });
}

import { statSync } from 'node:fs';
import type { Command } from 'commander';
import {
  EXIT_ENVIRONMENT, EXIT_VIOLATION, PRODUCER_CLIENTS, UsageError, countsText, loadScenario, loadScenarioDir, runSuite, suiteModelLines, suiteTable,
  type ProducerClient, type SuiteResult,
} from '../index.js';
import { choiceOption } from './options.js';
import { printResult, progress, table } from './output.js';

function suiteText(result: SuiteResult): string {
  const { headers, rows } = suiteTable(result.outcomes, result.model);
  return [
    table(headers, rows),
    '',
    ...suiteModelLines(result.model),
    `${result.outcomes.length} scenarios in ${(result.durationMs / 60000).toFixed(1)} min; ${result.outcomes.filter((o) => o.row.asExpected).length} as expected; reports: ${result.dir}/suite.md, suite.json`,
    ...result.outcomes.filter((o) => o.error).map((o) => `error in ${o.name}: ${o.error}`),
  ].join('\n');
}

interface SuiteFlags {
  full?: boolean;
  json?: boolean;
  only?: string;
  runsDir: string;
  client: ProducerClient;
  replaceCluster?: boolean;
  yes?: boolean;
}

/**
 * Exit code: 3 when a scenario could not run, 1 when one did not match its expectation, else 0. A disagreement with
 * the model does not count: the model is a coarse abstraction (one producer, 30 writes, millisecond timings), so it
 * is a finding to look into (in the model or the system), not a failed expectation; the report flags it.
 */
function exitCodeOf(result: SuiteResult): number {
  if (result.errors > 0) return EXIT_ENVIRONMENT;
  return result.allAsExpected ? 0 : EXIT_VIOLATION;
}

export function registerSuiteCommands(program: Command): void {
  program
    .command('suite')
    .description('run every scenario file of a folder (or one file), each on a fresh cluster, and print one table')
    .argument('<path>', 'a folder of scenario files (e.g. scenarios/kafka) or one file')
    .option('--full', "the seed's full sizes instead of the scaled ones")
    .option('--only <names>', 'comma-separated scenario names (or name prefixes) to run')
    .option('--runs-dir <dir>', 'where the suite run directory is made', 'runs')
    .addOption(choiceOption('--client <client>', "who produces: faultline (our librdkafka producer) or verifiable-producer (Kafka's own Java tool)", PRODUCER_CLIENTS).default('faultline'))
    .option('--replace-cluster', 'tear down a running cluster the suite did not start (by default the suite refuses to)')
    .option('--yes', 'run on an attached cluster (`cluster attach`): scenario topics created and deleted there, faults on its hosts')
    .option('--json', 'print the result as JSON')
    .action(async (path: string, flags: SuiteFlags) => {
      let isDir: boolean;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        throw new UsageError(`${path}: no such file or folder`);
      }
      let scenarios = isDir ? loadScenarioDir(path) : [loadScenario(path)];
      if (flags.only) {
        const wanted = flags.only.split(',').map((s) => s.trim()).filter(Boolean);
        scenarios = scenarios.filter((s) => wanted.some((w) => s.name === w || s.name.startsWith(w)));
        if (scenarios.length === 0) throw new UsageError(`--only ${flags.only}: no scenario matches`);
      }
      if (scenarios.length === 0) throw new UsageError(`${path}: no scenario files (*.yaml)`);
      progress(`running ${scenarios.length} scenario(s)${flags.full ? ' at full size' : ''}; each starts a fresh cluster`);
      const result = await runSuite(scenarios, {
        runsRoot: flags.runsDir,
        full: flags.full ?? false,
        client: flags.client,
        replaceCluster: flags.replaceCluster ?? false,
        confirmed: flags.yes ?? false,
        log: progress,
        onScenario: (o, i, n) => progress(`done ${i + 1}/${n}: ${o.name}: verdict ${o.row.verdict}, ${countsText(o)}, ${o.row.asExpected ? 'as expected' : 'NOT as expected'} (${(o.durationMs / 1000).toFixed(0)} s)`),
      });
      printResult(flags.json, result, suiteText);
      process.exitCode = exitCodeOf(result);
    });
}

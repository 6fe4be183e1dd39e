/** `faultline model list|check|replay`: the model checker's command group (thin: calls faultline/model). */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../index.js';
import {
  checkModelParallel, checkScheduleVersion, findModel, formatCoverage, formatKafkaVerdicts, formatTrace, kafkaVerdictMatrix, listModels, loadSchedule, modelVersion, replayFromSeed, replaySchedule,
  resolveParams, saveSchedule, toMermaid, DEFAULT_WORKERS, MAX_WORKERS, STRATEGY_NAMES, type CheckResult, type RunResult, type StrategyName,
} from '../model/index.js';
import { runKafkaCompare } from './model-compare.js';
import { choiceOption, intOption, numberOption } from './options.js';
import { collect, parseKeyValues } from './parse.js';

/** Flag values as commander hands them over: numbers parsed, the strategy one of STRATEGY_NAMES. */
interface CheckFlags {
  strategy: StrategyName;
  schedules: number;
  maxSteps?: number;
  seed?: number;
  json?: boolean;
  param?: string[];
  pctDepth: number;
  maxDeviations?: number;
  shrink: boolean;
  saveSchedule?: string;
  mermaid?: string;
  timeLimit?: number;
  coverage?: boolean;
  fullTrace?: boolean;
  workers: number;
}

interface ReplayFlags {
  schedule?: string;
  seed?: number;
  maxSteps?: number;
  json?: boolean;
  mermaid?: string;
  param?: string[];
}

/** How many trace lines the text report shows when not asked for the full trace. */
const TRACE_TAIL_LINES = 80;
const MAX_SCHEDULES = 1e9;
const MAX_STEPS = 1e9;
const MAX_SEED = 0xffffffff;
const MAX_PCT_DEPTH = 1000;
const MAX_DEVIATIONS = 1e6;
const MAX_VERDICT_SCHEDULES = 1e7;
const MIN_TIME_LIMIT_SECONDS = 0.001;

const seedOption = (description: string): ReturnType<typeof intOption> => intOption('--seed <n>', description, 0, MAX_SEED);
const maxStepsOption = (description: string): ReturnType<typeof intOption> => intOption('--max-steps <n>', description, 1, MAX_STEPS);

export function registerModelCommand(program: Command): void {
  const model = program.command('model').description('check a design as communicating state machines before building it');

  model
    .command('list')
    .description('list the built-in models')
    .option('--json', 'machine-readable output')
    .action((flags: { json?: boolean }) => {
      const entries = listModels().map((m) => ({ name: m.name, expect: m.expect, description: m.description, params: m.params }));
      if (flags.json) {
        process.stdout.write(JSON.stringify(entries, null, 2) + '\n');
        return;
      }
      const width = Math.max(...entries.map((e) => e.name.length));
      const lines = entries.map((e) => {
        const params = e.params.map((p) => `\n${' '.repeat(width + 14)}--param ${p.name}=${p.values?.join('|') ?? (p.integer !== undefined ? `${p.integer.min}..${p.integer.max}` : '…')} (default ${p.default})`).join('');
        return `${e.name.padEnd(width)}  ${e.expect === 'pass' ? 'should pass' : 'finds a bug'}  ${e.description}${params}`;
      });
      process.stdout.write(lines.join('\n') + '\n');
    });

  model
    .command('check')
    .description('explore many schedules of MODEL; exit code 1 when a violation is found')
    .argument('<model>', 'model name (see `faultline model list`)')
    .addOption(choiceOption('--strategy <name>', 'scheduling strategy', STRATEGY_NAMES).default('random'))
    .addOption(intOption('--schedules <n>', 'schedules to explore (an upper bound for exhaustive)', 1, MAX_SCHEDULES).default(1000))
    .addOption(maxStepsOption('step bound per schedule (default: the model\'s)'))
    .addOption(seedOption('seed (default: derived from the clock, and printed)'))
    .option('--param <key=value>', 'model parameter (repeatable)', collect)
    .addOption(intOption('--pct-depth <d>', 'PCT bug depth', 1, MAX_PCT_DEPTH).default(3))
    .addOption(intOption('--max-deviations <k>', 'exhaustive: bound on deviations from the default schedule', 0, MAX_DEVIATIONS))
    .option('--no-shrink', 'do not shrink a failing schedule')
    .option('--save-schedule <file>', 'where to write the failing (shrunk) schedule', '')
    .option('--mermaid <file>', 'write the violation as a Mermaid sequence diagram')
    .addOption(numberOption('--time-limit <seconds>', 'stop exploring after this long', MIN_TIME_LIMIT_SECONDS))
    .option('--coverage', 'print state and transition coverage')
    .option('--full-trace', 'print the whole failing trace (default: its last lines)')
    .addOption(intOption('--workers <n>', 'worker threads exploring random schedules in parallel (the same schedules and first violation as one)', 1, MAX_WORKERS).default(DEFAULT_WORKERS))
    .option('--json', 'machine-readable output')
    .action((name: string, flags: CheckFlags) => runCheck(name, flags));

  model
    .command('kafka-verdicts')
    .description('seed 001 as model verdicts: acknowledged-write loss per acks setting and leader fault')
    .addOption(intOption('--schedules <n>', 'random schedules per scenario', 1, MAX_VERDICT_SCHEDULES).default(200))
    .addOption(seedOption('seed').default(1))
    .option('--json', 'machine-readable output')
    .option('--compare <suite>', "set the prediction next to a suite run's results (suite.json or its folder); exit code 1 when a row disagrees")
    .option('--scenarios <dir>', 'with --compare: the scenario files the suite ran', 'scenarios/kafka')
    .action((flags: { schedules: number; seed: number; json?: boolean; compare?: string; scenarios: string }) => {
      if (flags.compare !== undefined) {
        runKafkaCompare({ ...flags, compare: flags.compare });
        return;
      }
      const rows = kafkaVerdictMatrix({ schedules: flags.schedules, seed: flags.seed });
      process.stdout.write((flags.json ? JSON.stringify(rows, null, 2) : formatKafkaVerdicts(rows)) + '\n');
    });

  model
    .command('replay')
    .description('replay one run exactly, from a saved schedule or a run seed, and print its trace')
    .argument('<model>', 'model name')
    .option('--schedule <file>', 'schedule file written by `model check`')
    .addOption(seedOption('run seed of a random schedule (printed by `model check`)'))
    .addOption(maxStepsOption('step bound (default: the schedule\'s or the model\'s)'))
    .option('--param <key=value>', 'model parameter (repeatable; a schedule file carries its own)', collect)
    .option('--mermaid <file>', 'write the run as a Mermaid sequence diagram')
    .option('--json', 'machine-readable output')
    .action((name: string, flags: ReplayFlags) => runReplay(name, flags));
}

async function runCheck(name: string, flags: CheckFlags): Promise<void> {
  const entry = findModel(name);
  const params = resolveParams(entry, parseKeyValues('--param', flags.param ?? []));
  const model = entry.build(params);
  const { strategy, schedules, pctDepth, maxDeviations } = flags;
  const maxSteps = flags.maxSteps ?? model.maxSteps;
  const seed = flags.seed ?? (Date.now() ^ (process.pid << 16)) >>> 0;
  const timeLimitMs = flags.timeLimit !== undefined ? flags.timeLimit * 1000 : undefined;

  // Progress: live on a terminal, a line every few seconds otherwise; never on stdout.
  const tty = process.stderr.isTTY;
  const result = await checkModelParallel(name, {
    workers: flags.workers,
    strategy,
    schedules,
    maxSteps,
    seed,
    pctDepth,
    maxDeviations,
    shrink: flags.shrink,
    timeLimitMs,
    params,
    progressIntervalMs: tty ? 500 : 5000,
    onProgress: (p) => {
      const rate = p.elapsedMs > 0 ? Math.round((p.schedulesRun * 1000) / p.elapsedMs) : 0;
      const line = `model ${name}: ${p.schedulesRun}/${p.schedules} schedules, ${rate}/s, ${(p.elapsedMs / 1000).toFixed(1)}s`;
      process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    },
  });
  if (tty && result.elapsedMs >= 500) process.stderr.write('\n');

  let savedPath: string | undefined;
  if (result.violation !== undefined) {
    savedPath = flags.saveSchedule !== undefined && flags.saveSchedule !== '' ? flags.saveSchedule : `${name}.violation.schedule.json`;
    saveSchedule(savedPath, result.violation.shrunk ?? result.violation.schedule);
    if (flags.mermaid !== undefined) writeFileSync(flags.mermaid, result.violation.mermaid + '\n');
  }

  if (flags.json) {
    const { violation, ...rest } = result;
    const out = {
      ...rest,
      ...(violation !== undefined
        ? {
            violation: {
              ...violation.violation,
              scheduleIndex: violation.scheduleIndex,
              runSeed: violation.runSeed,
              elapsedMsToFind: violation.elapsedMsToFind,
              shrink: violation.shrink,
              scheduleFile: savedPath,
              schedule: violation.shrunk ?? violation.schedule,
              trace: violation.traceText,
              mermaid: violation.mermaid,
            },
          }
        : {}),
      ...(flags.coverage ? {} : { coverage: undefined }),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    process.stdout.write(formatCheck(result, name, flags, savedPath) + '\n');
  }
  if (result.violation !== undefined) process.exitCode = 1;
}

function formatCheck(r: CheckResult, name: string, flags: CheckFlags, savedPath: string | undefined): string {
  const lines: string[] = [];
  lines.push(`model ${r.model}: ${r.violation !== undefined ? 'VIOLATION' : 'no violation'}`);
  lines.push(
    `  strategy ${r.strategy}, seed ${r.seed}, ${r.schedulesRun} schedules${r.complete ? ' (search complete)' : ''}, ${r.totalSteps} steps, ` +
      `${(r.elapsedMs / 1000).toFixed(2)}s, ${r.schedulesPerSecond} schedules/s`,
  );
  const outcomes = Object.entries(r.outcomes)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  lines.push(`  run endings: ${outcomes}`);
  const v = r.violation;
  if (v !== undefined) {
    lines.push('');
    lines.push(`${v.violation.kind} violation in ${v.violation.source}: ${v.violation.message}`);
    lines.push(`  found in schedule ${v.scheduleIndex} after ${v.elapsedMsToFind} ms${v.runSeed !== undefined ? ` (run seed ${v.runSeed})` : ''}`);
    if (v.shrink !== undefined) {
      lines.push(
        `  shrunk from ${v.shrink.original.steps} steps / ${v.shrink.original.faults} faults / ${v.shrink.original.choices} choices ` +
          `to ${v.shrink.steps} steps / ${v.shrink.faults} faults / ${v.shrunk?.choices.length ?? 0} choices (${v.shrink.attempts} replays, ${v.shrink.elapsedMs} ms)`,
      );
      if (v.shrink.reductions.length > 0) lines.push(`  on a smaller model: ${v.shrink.reductions.join(', ')} (the saved schedule's params say so)`);
    }
    if (savedPath !== undefined) lines.push(`  schedule saved to ${savedPath}; replay: faultline model replay ${name} --schedule ${savedPath}`);
    if (flags.mermaid !== undefined) lines.push(`  Mermaid sequence diagram written to ${flags.mermaid}`);
    lines.push('');
    const trace = formatTrace(v.trace, { verbose: false }).split('\n');
    if (!flags.fullTrace && trace.length > TRACE_TAIL_LINES) {
      lines.push(`trace (last ${TRACE_TAIL_LINES} of ${trace.length} lines; --full-trace for all):`);
      lines.push(...trace.slice(-TRACE_TAIL_LINES));
    } else {
      lines.push('trace:');
      lines.push(...trace);
    }
  }
  if (flags.coverage && r.coverage !== undefined) {
    lines.push('');
    lines.push('coverage:');
    lines.push(formatCoverage(r.coverage));
  }
  return lines.join('\n');
}

/** The one run `model replay` asks for: from a saved schedule file, or from a random schedule's run seed. */
function replayRun(name: string, flags: ReplayFlags): RunResult {
  const entry = findModel(name);
  const { schedule: file, seed } = flags;
  const exactlyOne = new UsageError('model replay: give exactly one of --schedule FILE or --seed N');
  if (file !== undefined && seed !== undefined) throw exactlyOne;
  if (file !== undefined) {
    const schedule = loadSchedule(file);
    if (schedule.model !== name) throw new UsageError(`${file}: the schedule is for model '${schedule.model}', not '${name}'`);
    const params = resolveParams(entry, schedule.params);
    const model = entry.build(params);
    if (checkScheduleVersion(schedule, modelVersion(model, params), file) === 'unversioned') {
      process.stderr.write(`warning: ${file} has no modelVersion (written before schedules carried one): replaying it anyway; if the model changed since, the run differs\n`);
    }
    return replaySchedule(model, { ...schedule, maxSteps: flags.maxSteps ?? schedule.maxSteps });
  }
  if (seed === undefined) throw exactlyOne;
  const model = entry.build(resolveParams(entry, parseKeyValues('--param', flags.param ?? [])));
  return replayFromSeed(model, seed, flags.maxSteps ?? model.maxSteps);
}

function runReplay(name: string, flags: ReplayFlags): void {
  const run = replayRun(name, flags);
  const trace = run.trace ?? [];
  const mermaid = toMermaid(trace);
  if (flags.mermaid !== undefined) writeFileSync(flags.mermaid, mermaid + '\n');
  if (flags.json) {
    process.stdout.write(
      JSON.stringify({ outcome: run.outcome, steps: run.steps, timeMs: run.timeMs, faults: run.faults, violation: run.violation, choices: run.choices, trace }, null, 2) + '\n',
    );
  } else {
    const lines = [formatTrace(trace), '', `outcome: ${run.outcome} after ${run.steps} steps, ${run.timeMs} ms virtual time, ${run.faults} faults`];
    if (run.violation !== undefined) lines.push(`${run.violation.kind} violation in ${run.violation.source}: ${run.violation.message}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  if (run.violation !== undefined) process.exitCode = 1;
}

#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { EXIT_ENVIRONMENT, EXIT_INTERRUPTED, EXIT_USAGE, FaultlineError, exitProcess } from '../index.js';
import { registerCommands } from './commands.js';
import { interrupt, wasInterrupted } from './interrupt.js';

/**
 * After the first interruption a command gets this long to clean up and return; a command stuck past it (an
 * await that never settles) is left, so one Ctrl-C or SIGTERM always ends the process. Rollbacks and heal of a
 * run take well under it; what a stuck command leaves, `faultline heal --all` and `cluster down` undo.
 */
const INTERRUPT_DEADLINE_MS = 180_000;

// The one place that handles signals: commands get the interruption as an AbortSignal (./interrupt.ts).
const onSignal = (): void => {
  if (!interrupt()) process.exit(EXIT_INTERRUPTED);
  setTimeout(() => {
    process.stderr.write(`faultline: still running ${INTERRUPT_DEADLINE_MS / 1000} s after the interruption; exiting (undo what is left with: faultline heal --all)\n`);
    exitProcess(EXIT_INTERRUPTED);
  }, INTERRUPT_DEADLINE_MS).unref();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const program = new Command();
program
  .name('faultline')
  .description('Prove whether an event-streaming system keeps its promises under failure.')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();
registerCommands(program);

try {
  await program.parseAsync(process.argv);
  // A command that handled the interruption itself (run: rollbacks done, exit 4) keeps its own exit code.
  if (wasInterrupted()) exitProcess(typeof process.exitCode === 'number' && process.exitCode !== 0 ? process.exitCode : EXIT_INTERRUPTED);
  // The command is done: exit now, even if a native client it used is still closing (its threads would keep
  // the process alive; seen after queue scenarios with a broker killed), and never block in exit (exitProcess).
  exitProcess(typeof process.exitCode === 'number' ? process.exitCode : 0);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander already printed its message (help, version, or a usage error)
    process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE);
  }
  if (error instanceof FaultlineError) {
    process.stderr.write(`faultline: ${error.message}\n`);
    exitProcess(wasInterrupted() ? EXIT_INTERRUPTED : error.exitCode);
  }
  process.stderr.write(`faultline: unexpected error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  exitProcess(wasInterrupted() ? EXIT_INTERRUPTED : EXIT_ENVIRONMENT);
}

#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { EXIT_ENVIRONMENT, EXIT_INTERRUPTED, EXIT_USAGE, FaultlineError } from '../index.js';
import { registerCommands } from './commands.js';
import { interrupt, wasInterrupted } from './interrupt.js';

// The one place that handles signals: commands get the interruption as an AbortSignal (./interrupt.ts).
const onSignal = (): void => {
  if (!interrupt()) process.exit(EXIT_INTERRUPTED);
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
  if (wasInterrupted()) process.exit(typeof process.exitCode === 'number' && process.exitCode !== 0 ? process.exitCode : EXIT_INTERRUPTED);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander already printed its message (help, version, or a usage error)
    process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE);
  }
  if (error instanceof FaultlineError) {
    process.stderr.write(`faultline: ${error.message}\n`);
    process.exit(wasInterrupted() ? EXIT_INTERRUPTED : error.exitCode);
  }
  process.stderr.write(`faultline: unexpected error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(wasInterrupted() ? EXIT_INTERRUPTED : EXIT_ENVIRONMENT);
}

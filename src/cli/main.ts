#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { FaultlineError, EXIT_USAGE } from '../errors.js';
import { registerCommands } from './commands.js';

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
} catch (error) {
  if (error instanceof CommanderError) {
    // commander already printed its message (help, version, or a usage error)
    process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE);
  }
  if (error instanceof FaultlineError) {
    process.stderr.write(`faultline: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  process.stderr.write(`faultline: unexpected error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(3);
}

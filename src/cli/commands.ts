import type { Command } from 'commander';

/** Every command group registers itself here; each group lives in its own file. */
export function registerCommands(program: Command): void {
  void program;
}

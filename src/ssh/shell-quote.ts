import { UsageError } from '../errors.js';

/**
 * One argument for a POSIX shell: wrapped in single quotes, each `'` written as `'\''`. Nothing inside single
 * quotes is special to sh, so the remote shell sees exactly these bytes. A NUL cannot pass through any argv.
 */
export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new UsageError(`argument contains a NUL byte: ${JSON.stringify(arg)}`);
  if (/^[A-Za-z0-9_./=:,+@%-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command line for the remote login shell that runs exactly `argv` (each element one argument). */
export function shellCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new UsageError('argv: empty command');
  return argv.map(shellQuote).join(' ');
}

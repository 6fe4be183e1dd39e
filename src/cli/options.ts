import { Option } from 'commander';
import { UsageError } from '../index.js';
import { parseIntOption, parseNumberOption } from './parse.js';

/** `a, b or c`: how an error lists the allowed values. */
function listText(values: readonly string[]): string {
  return values.length < 2 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values.at(-1) ?? ''}`;
}

/**
 * An option whose value is one of `values` (commander's `choices`, so help lists them). A value outside them is
 * a UsageError naming the flag (exit 2); `aliases` maps extra spellings onto a choice (e.g. acks -1 -> all).
 */
export function choiceOption<T extends string>(flags: string, description: string, values: readonly T[], aliases: Readonly<Record<string, T>> = {}): Option {
  const option = new Option(flags, description).choices(values);
  return option.argParser((raw: string): T => {
    const value = values.find((v) => v === raw) ?? aliases[raw];
    if (value === undefined) throw new UsageError(`${option.long ?? flags}: expected ${listText(values)}, got '${raw}'`);
    return value;
  });
}

/** An option holding a whole number in [min, max]; a bad one is a UsageError naming the flag. */
export function intOption(flags: string, description: string, min?: number, max?: number): Option {
  const option = new Option(flags, description);
  return option.argParser((raw: string) => parseIntOption(option.long ?? flags, raw, min, max));
}

/** An option holding a number (decimals allowed) in [min, max]; a bad one is a UsageError naming the flag. */
export function numberOption(flags: string, description: string, min?: number, max?: number): Option {
  const option = new Option(flags, description);
  return option.argParser((raw: string) => parseNumberOption(option.long ?? flags, raw, min, max));
}

import { UsageError } from '../index.js';

/** Parses a whole number option, naming the option in the error. */
export function parseIntOption(name: string, raw: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new UsageError(`${name}: expected a whole number, got '${raw}'`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${name}: ${raw} is out of range (${min}..${max})`);
  }
  return value;
}

/** Parses a number option (decimals allowed), naming the option in the error. */
export function parseNumberOption(name: string, raw: string, min = -Infinity, max = Infinity): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${name}: expected a number, got '${raw}'`);
  if (value < min || value > max) throw new UsageError(`${name}: ${raw} is out of range (${min}..${max})`);
  return value;
}

/** Parses repeated `key=value` options into a record. */
export function parseKeyValues(name: string, raws: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of raws) {
    const eq = raw.indexOf('=');
    if (eq <= 0) throw new UsageError(`${name}: expected key=value, got '${raw}'`);
    out[raw.slice(0, eq).trim()] = raw.slice(eq + 1).trim();
  }
  return out;
}

/** Collects a repeatable option into an array (commander's argParser signature). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

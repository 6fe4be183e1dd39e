/** The rows of a suite run read back from its suite.json, for comparisons made after the run (model-comparison.ts). */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import type { ObservedRow } from './model-comparison.js';

export interface SuiteRows {
  /** The suite.json read. */
  readonly file: string;
  readonly startedAt: string;
  readonly rows: ObservedRow[];
}

/** Reads suite.json, given it or the suite run directory holding it; a missing or malformed file is a UsageError naming the field. */
export function readSuiteRows(path: string): SuiteRows {
  if (!existsSync(path)) throw new UsageError(`${path}: no such file or folder`);
  const file = statSync(path).isDirectory() ? join(path, 'suite.json') : path;
  if (!existsSync(file)) throw new UsageError(`${path}: no suite.json in this folder`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const fail = (field: string, expected: string): never => {
    throw new UsageError(`${file}: ${field}: expected ${expected}`);
  };
  if (!isRecord(data)) return fail('(top level)', 'an object (a suite.json written by `faultline suite`)');
  const { outcomes, startedAt } = data;
  if (!Array.isArray(outcomes)) return fail('outcomes', 'a list');
  const rows = outcomes.map((outcome: unknown, i): ObservedRow => {
    const row = isRecord(outcome) ? outcome['row'] : undefined;
    if (!isRecord(row)) return fail(`outcomes[${i}].row`, 'an object');
    const number = (key: string, absent?: number): number => {
      const value = row[key] ?? absent;
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fail(`outcomes[${i}].row.${key}`, 'a whole number >= 0');
    };
    const text = (key: string): string => {
      const value = row[key];
      return typeof value === 'string' && value !== '' ? value : fail(`outcomes[${i}].row.${key}`, 'a non-empty string');
    };
    // lostUnconfirmed absent: 0, as lost then holds every loss.
    return { scenario: text('scenario'), lost: number('lost'), lostUnconfirmed: number('lostUnconfirmed', 0), verdict: text('verdict') };
  });
  return { file, startedAt: typeof startedAt === 'string' ? startedAt : '', rows };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

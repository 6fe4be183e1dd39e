/** Saved schedules: the compact choice array of a run plus what is needed to replay it exactly. */
import { readFileSync, writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

export const SCHEDULE_FORMAT = 'faultline-model-schedule/1';

export interface SavedSchedule {
  readonly format: typeof SCHEDULE_FORMAT;
  readonly model: string;
  readonly params: Readonly<Record<string, string>>;
  readonly maxSteps: number;
  /** Every recorded choice, in order; replay chooses 0 past the end. */
  readonly choices: readonly number[];
  readonly steps: number;
  readonly faults: number;
  readonly violation?: { readonly kind: string; readonly source: string; readonly message: string };
  /** How the schedule was found (informational). */
  readonly origin?: { readonly strategy: string; readonly seed: number; readonly scheduleIndex: number; readonly runSeed?: number; readonly shrunk: boolean };
}

export function saveSchedule(path: string, schedule: SavedSchedule): void {
  writeFileSync(path, JSON.stringify(schedule) + '\n');
}

export function loadSchedule(path: string): SavedSchedule {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${path}: cannot read schedule (${error instanceof Error ? error.message : String(error)})`);
  }
  return parseSchedule(raw, path);
}

export function parseSchedule(raw: unknown, where: string): SavedSchedule {
  if (typeof raw !== 'object' || raw === null) throw new UsageError(`${where}: a schedule must be a JSON object`);
  const o = raw as Record<string, unknown>;
  if (o['format'] !== SCHEDULE_FORMAT) throw new UsageError(`${where}: format must be '${SCHEDULE_FORMAT}'`);
  if (typeof o['model'] !== 'string') throw new UsageError(`${where}: 'model' must be a string`);
  const maxSteps = o['maxSteps'];
  if (typeof maxSteps !== 'number' || !Number.isSafeInteger(maxSteps) || maxSteps < 1) throw new UsageError(`${where}: 'maxSteps' must be a positive integer`);
  const choices = o['choices'];
  if (!Array.isArray(choices) || !choices.every((c) => Number.isSafeInteger(c) && (c as number) >= 0)) {
    throw new UsageError(`${where}: 'choices' must be an array of non-negative integers`);
  }
  const params = o['params'] ?? {};
  if (typeof params !== 'object' || Object.values(params).some((v) => typeof v !== 'string')) {
    throw new UsageError(`${where}: 'params' must map names to strings`);
  }
  return {
    ...(o as unknown as SavedSchedule),
    params: params as Record<string, string>,
    choices: choices as number[],
    steps: typeof o['steps'] === 'number' ? o['steps'] : 0,
    faults: typeof o['faults'] === 'number' ? o['faults'] : 0,
  };
}

/** Saved schedules: the compact choice array of a run plus what is needed to replay it exactly. */
import { readFileSync, writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

export const SCHEDULE_FORMAT = 'faultline-model-schedule/1';

export interface SavedSchedule {
  readonly format: typeof SCHEDULE_FORMAT;
  readonly model: string;
  /**
   * The model's version when the schedule was written (`modelVersion`: version string and structure
   * hash). Absent in files written before it existed: those replay with a warning.
   */
  readonly modelVersion?: string;
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
  if (o['modelVersion'] !== undefined && typeof o['modelVersion'] !== 'string') throw new UsageError(`${where}: 'modelVersion' must be a string`);
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

/** How a schedule's model version compares with the model about to replay it. */
export type ScheduleVersionCheck = 'same' | 'unversioned';

/**
 * Checks that `schedule` was written by this version of its model (`expectedVersion`, from
 * `modelVersion(model, params)`): a schedule from another version would replay a different run, so
 * that is a UsageError naming the file and both versions. A file without a version (written before
 * versions were saved) is 'unversioned': the caller replays it with a warning.
 */
export function checkScheduleVersion(schedule: SavedSchedule, expectedVersion: string, where: string): ScheduleVersionCheck {
  const found = schedule.modelVersion;
  if (found === undefined) return 'unversioned';
  if (found !== expectedVersion) {
    throw new UsageError(
      `${where}: the schedule was written by model '${schedule.model}' version ${found}, but this model is version ${expectedVersion}; ` +
        'a schedule only replays on the model version that wrote it (run the check again to get a new one)',
    );
  }
  return 'same';
}

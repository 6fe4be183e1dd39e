import { FaultlineError } from '../errors.js';

/** One parsed JSON object line of a Kafka tool. */
export type ToolJson = Record<string, unknown>;

/** The JSON object on a stdout line, or null for anything else (log lines, notices, half lines). */
export function parseToolJsonLine(text: string): ToolJson | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return null;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as ToolJson) : null;
  } catch {
    return null;
  }
}

/** A field that must be a whole number (offsets, partitions, counts); `tool` names the tool in the error. */
export function wholeToolField(o: ToolJson, key: string, tool: string, text: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new FaultlineError(`${tool} line without a whole-number '${key}': ${text}`);
  return v;
}

/** The number of kept examples of ignored lines. */
const MAX_KEPT_IGNORED_LINES = 5;

/** Counts lines that are not the tool's JSON and keeps the first few (shortened) for the summary. */
export class IgnoredLines {
  count = 0;
  readonly first: string[] = [];
  add(text: string): void {
    this.count++;
    if (this.first.length < MAX_KEPT_IGNORED_LINES) this.first.push(text.length > 300 ? `${text.slice(0, 300)}…` : text);
  }
}

/**
 * Tool wall-clock (epoch ms) → run time, never going back: a tool stamps a line before it takes the stdout
 * lock, so neighbouring lines can be a millisecond out of order.
 */
export class RunClock {
  private lastMs = 0;
  constructor(private readonly runStartEpochMs: number) {}
  /** The run time of a stamp (the latest time so far when the stamp is missing or earlier). */
  at(epochMs: unknown): number {
    if (typeof epochMs === 'number' && Number.isFinite(epochMs)) this.lastMs = Math.max(this.lastMs, epochMs - this.runStartEpochMs);
    return this.lastMs;
  }
  get nowMs(): number {
    return this.lastMs;
  }
}

/** Trace entries, recorded only when tracing (replays), never in the hot checking loop. */
export type TraceKind =
  | 'send'
  | 'deliver'
  | 'drop'
  | 'duplicate'
  | 'delay'
  | 'state'
  | 'create'
  | 'fault'
  | 'timer'
  | 'announce'
  | 'monitor'
  | 'log'
  | 'halt'
  | 'violation';

export interface TraceEntry {
  readonly step: number;
  readonly timeMs: number;
  readonly kind: TraceKind;
  /** The acting machine (sender, handler, fault injector) or monitor. */
  readonly machine: string;
  readonly target?: string;
  readonly event?: string;
  readonly detail?: string;
}

const MAX_DETAIL_CHARS = 160;

/** Short, readable description of a payload: integer arrays become ranges ("ids 0-9,12"). */
export function describePayload(payload: unknown): string {
  const text = describe(payload, 0);
  return text.length > MAX_DETAIL_CHARS ? text.slice(0, MAX_DETAIL_CHARS - 1) + '…' : text;
}

function describe(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'undefined':
      return '';
    case 'object':
      return value === null ? 'null' : describeObject(value, depth);
    case 'function':
    case 'symbol':
      return value.toString();
    default:
      return String(value);
  }
}

function describeObject(value: object, depth: number): string {
  if (Array.isArray(value)) {
    if (value.every((v) => Number.isInteger(v))) return compressRanges(value as number[]);
    if (depth > 1) return `[${value.length}]`;
    return `[${value.slice(0, 8).map((v) => describe(v, depth + 1)).join(', ')}${value.length > 8 ? ', …' : ''}]`;
  }
  const o = value as Record<string, unknown>;
  // Machine handles read best as their names.
  if (typeof o['name'] === 'string' && typeof o['id'] === 'number' && Object.keys(o).length <= 3) return o['name'];
  if (depth > 1) return '{…}';
  return Object.entries(o)
    .map(([k, v]) => `${k}=${describe(v, depth + 1)}`)
    .join(' ');
}

/** [0,1,2,3,7,9,10] -> "0-3,7,9-10" (sorted copy; duplicates kept visible as repeats). */
export function compressRanges(values: readonly number[]): string {
  if (values.length === 0) return '[]';
  const sorted = [...values].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = sorted[0] ?? 0;
  let prev = start;
  for (let i = 1; i <= sorted.length; i++) {
    const v = sorted[i];
    if (v !== undefined && v === prev + 1) {
      prev = v;
      continue;
    }
    parts.push(start === prev ? String(start) : `${start}-${prev}`);
    if (v !== undefined) {
      start = v;
      prev = v;
    }
  }
  return parts.join(',');
}

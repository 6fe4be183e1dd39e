/** The fields of a `FAULTLINE-PROGRESS` line (docs/pipelines.md), without the job and instance. */
export interface ProgressLine {
  readonly query: string;
  readonly batch: number;
  readonly rows: number;
  readonly watermarkMs: number | null;
  readonly lateDropped: number;
  readonly durationMs: number | null;
}

const PREFIX = /^FAULTLINE-PROGRESS\s+/;
/** At most this many fields on a line (a line with more is not a progress line). */
const MAX_FIELDS = 16;
const WHOLE = /^\d{1,16}$/;
const QUERY = /^[A-Za-z0-9._-]{1,64}$/;

/** A whole number, null for `-`, undefined when neither. */
function whole(text: string | undefined, dashAllowed: boolean): number | null | undefined {
  if (text === '-' && dashAllowed) return null;
  return text !== undefined && WHOLE.test(text) ? Number(text) : undefined;
}

/** Reads `FAULTLINE-PROGRESS query=… batch=… rows=… watermarkMs=… lateDropped=… durationMs=…`; undefined if the line is not one. */
export function parseProgressLine(line: string): ProgressLine | undefined {
  if (!PREFIX.test(line)) return undefined;
  const fields = new Map<string, string>();
  const parts = line.replace(PREFIX, '').trim().split(/\s+/);
  if (parts.length > MAX_FIELDS) return undefined;
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const query = fields.get('query');
  const batch = whole(fields.get('batch'), false);
  const rows = whole(fields.get('rows'), false);
  const watermarkMs = whole(fields.get('watermarkMs'), true);
  const lateDropped = whole(fields.get('lateDropped') ?? '0', false);
  const durationMs = whole(fields.get('durationMs') ?? '-', true);
  if (query === undefined || !QUERY.test(query) || batch == null || rows == null || watermarkMs === undefined || lateDropped == null || durationMs === undefined) return undefined;
  return { query, batch, rows, watermarkMs, lateDropped, durationMs };
}

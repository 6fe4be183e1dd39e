// STAND-IN (part A): helper C owns src/experiment/probes/ and replaces this file at merge. It keeps the
// contract's names and shapes (PROBE_KINDS, ProbeSpec, parseProbe) so the loader can read probes today.
import type { FieldPath } from '../../errors.js';
import { PlainField } from '../../util/plain-fields.js';

export const PROBE_KINDS = ['cluster-health', 'round-trip', 'consumer-group', 'topic-view', 'command', 'checker'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];
const PROBE_MODES = ['before', 'after', 'during', 'on-fault', 'edge'] as const;
type ProbeMode = (typeof PROBE_MODES)[number];

/** A probe as plain typed data: name, kind, the kind's own fields, tolerance, mode, intervalMs. */
export interface ProbeSpec {
  readonly name: string;
  readonly kind: ProbeKind;
  readonly tolerance?: unknown;
  readonly mode?: ProbeMode;
  readonly intervalMs?: number;
  readonly [field: string]: unknown;
}

/** Parses a probe; every problem is a FieldError naming the field. (Stand-in: kind fields are kept as written.) */
export function parseProbe(value: unknown, path: FieldPath): ProbeSpec {
  const map = new PlainField(value, path).map();
  const name = map.required('name', 'a probe name').string();
  const kindField = map.required('kind', `one of ${PROBE_KINDS.join(', ')}`);
  const kind = kindField.oneOf(PROBE_KINDS);
  const mode = map.optional('mode')?.oneOf(PROBE_MODES);
  const intervalMs = map.optional('intervalMs')?.integer({ min: 1 });
  return { ...map.value, name, kind, ...(mode !== undefined ? { mode } : {}), ...(intervalMs !== undefined ? { intervalMs } : {}) };
}

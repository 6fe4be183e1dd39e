import { FieldError, type FieldPath } from '../../errors.js';
import { PlainField, type PlainMap } from '../../util/plain-fields.js';
import { parseJsonPath, typeAtPath, type PathStep } from './json-path.js';
import { ANY, nonNull, valueTypeText, type ValueType } from './value-type.js';

/**
 * A probe's pass/fail rule, as plain typed data. Leaves compare the value; `path` picks a part of it;
 * `consecutive` and `ratio` look at the probe's earlier observations too; `all` needs every part to pass.
 */
export type Tolerance =
  | { readonly kind: 'equals'; readonly value: unknown }
  | { readonly kind: 'one-of'; readonly values: readonly unknown[] }
  | { readonly kind: 'range'; readonly min: number | null; readonly max: number | null }
  | { readonly kind: 'regex'; readonly pattern: string }
  | { readonly kind: 'all'; readonly tolerances: readonly Tolerance[] }
  | { readonly kind: 'path'; readonly path: string; readonly steps: readonly PathStep[]; readonly tolerance: Tolerance }
  | { readonly kind: 'consecutive'; readonly count: number; readonly tolerance: Tolerance }
  | { readonly kind: 'ratio'; readonly ratio: number; readonly windowMs: number; readonly tolerance: Tolerance };

/** The keys of a tolerance mapping that say what to compare: exactly one per mapping. */
export const TOLERANCE_CHECKS = ['equals', 'oneOf', 'range', 'regex', 'all', 'tolerance'] as const;
/** Keys that wrap the check: `path` picks a field, `consecutive` or `ratio` (+ `windowMs`) look back in time. */
const TOLERANCE_MODIFIERS = ['path', 'consecutive', 'ratio', 'windowMs'] as const;
const TOLERANCE_KEYS: readonly string[] = [...TOLERANCE_CHECKS, ...TOLERANCE_MODIFIERS];

/** Bounds of the looking-back tolerances (one constant per limit). */
export const MAX_CONSECUTIVE = 1000;
export const MAX_WINDOW_MS = 24 * 3600 * 1000;
/** Most tolerances in one `all` list and most levels of nesting: bounds on parsing and evaluation. */
export const MAX_ALL_TOLERANCES = 50;
export const MAX_TOLERANCE_DEPTH = 8;

type Check = (typeof TOLERANCE_CHECKS)[number];

/**
 * Parses a tolerance written as plain data, e.g. `{ path: "$.maxLag", range: [null, 100] }` or
 * `{ consecutive: 3, equals: 0 }`, checking it against the type of the value it will see (`valueType`:
 * the probe kind's declared value type). Every problem is a FieldError naming the field.
 */
export function parseTolerance(value: unknown, path: FieldPath, valueType: ValueType = ANY): Tolerance {
  return readTolerance(new PlainField(value, path), valueType, 0);
}

function readTolerance(field: PlainField, valueType: ValueType, depth: number): Tolerance {
  if (depth > MAX_TOLERANCE_DEPTH) field.fail(`tolerances nest at most ${MAX_TOLERANCE_DEPTH} deep`);
  const map = field.map().only(TOLERANCE_KEYS);
  const present = Object.keys(map.value).filter((key): key is Check => (TOLERANCE_CHECKS as readonly string[]).includes(key));
  if (present.length !== 1) {
    field.fail(present.length === 0 ? `expected one of ${TOLERANCE_CHECKS.join(', ')}` : `expected one of ${TOLERANCE_CHECKS.join(', ')}, got ${present.join(' and ')} (combine them with all: [...])`);
  }
  const check = present[0] as Check;
  const pathField = map.optional('path');
  let steps: PathStep[] | undefined;
  let leafType = valueType;
  if (pathField) {
    const parsed = parseJsonPath(pathField.string());
    if (typeof parsed === 'string') throw new FieldError(pathField.path, parsed);
    const at = typeAtPath(valueType, parsed);
    if (typeof at === 'string') throw new FieldError(pathField.path, at);
    steps = parsed;
    leafType = at;
  }
  const leaf = readCheck(map, check, leafType, depth);
  const picked: Tolerance = pathField && steps ? { kind: 'path', path: pathField.string(), steps, tolerance: leaf } : leaf;
  return wrapInTime(map, picked);
}

function wrapInTime(map: PlainMap, inner: Tolerance): Tolerance {
  const consecutive = map.optional('consecutive');
  const ratio = map.optional('ratio');
  const windowMs = map.optional('windowMs');
  if (consecutive && ratio) throw new FieldError([...map.path, 'ratio'], 'use consecutive or ratio, not both (nest one inside the other with tolerance: {...})');
  if (windowMs && !ratio) throw new FieldError([...map.path, 'windowMs'], 'windowMs goes with ratio');
  if (consecutive) return { kind: 'consecutive', count: consecutive.integer({ min: 1, max: MAX_CONSECUTIVE }), tolerance: inner };
  if (ratio) {
    const share = ratio.number({ min: 0, max: 1, minExclusive: true });
    const window = map.required('windowMs', `a window in ms for the ratio (1..${MAX_WINDOW_MS})`).integer({ min: 1, max: MAX_WINDOW_MS });
    return { kind: 'ratio', ratio: share, windowMs: window, tolerance: inner };
  }
  return inner;
}

function readCheck(map: PlainMap, check: Check, valueType: ValueType, depth: number): Tolerance {
  const field = map.field(check);
  switch (check) {
    case 'equals':
      return { kind: 'equals', value: field.value ?? null };
    case 'oneOf': {
      const values = field.list().map((item) => item.value ?? null);
      if (values.length === 0) field.fail('expected at least one value');
      return { kind: 'one-of', values };
    }
    case 'range':
      expectType(field, valueType, 'number', 'range');
      return readRange(field);
    case 'regex':
      expectType(field, valueType, 'string', 'regex');
      return { kind: 'regex', pattern: readPattern(field) };
    case 'all': {
      const items = field.list();
      if (items.length === 0 || items.length > MAX_ALL_TOLERANCES) field.fail(`expected 1..${MAX_ALL_TOLERANCES} tolerances, got ${items.length}`);
      return { kind: 'all', tolerances: items.map((item) => readTolerance(item, valueType, depth + 1)) };
    }
    case 'tolerance':
      return readTolerance(field, valueType, depth + 1);
  }
}

function expectType(field: PlainField, valueType: ValueType, wanted: 'number' | 'string', what: string): void {
  const actual = nonNull(valueType);
  if (actual.type !== wanted && actual.type !== 'any') {
    field.fail(`${what} applies to a ${wanted}, but the value here is ${valueTypeText(valueType)}${actual.type === 'object' ? ' (pick a field with path: "$.field")' : ''}`);
  }
}

function readRange(field: PlainField): Tolerance {
  const items = field.list();
  if (items.length !== 2) field.fail('expected [min, max] (either may be null)');
  const [low, high] = items.map((item) => (item.value === null ? null : item.number())) as [number | null, number | null];
  if (low !== null && high !== null && low > high) field.fail(`min ${low} is greater than max ${high}`);
  return { kind: 'range', min: low, max: high };
}

function readPattern(field: PlainField): string {
  const pattern = typeof field.value === 'string' ? field.value : field.string();
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    field.fail(`not a regular expression: ${(error as Error).message}`);
  }
  return pattern;
}

import { FieldError, type FieldPath } from '../errors.js';
import { suggestion } from './suggest.js';

/** Bounds of a whole number or a number; both inclusive unless `minExclusive`. */
export interface NumberBounds {
  readonly min?: number;
  readonly max?: number;
  /** The minimum itself is refused: (min, max]. */
  readonly minExclusive?: boolean;
}

/** JSON.stringify gives undefined for undefined and functions, whatever its typings say. */
function jsonText(value: unknown): string | undefined {
  return JSON.stringify(value);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : jsonText(value) ?? String(value);
}

function range(bounds: NumberBounds): string {
  const low = bounds.min === undefined ? '' : `${bounds.minExclusive ? '(' : '['}${bounds.min}`;
  const high = bounds.max === undefined ? '' : `${bounds.max}]`;
  return low && high ? `${low}, ${high}` : low ? `${bounds.minExclusive ? '>' : '>='} ${bounds.min}` : high ? `<= ${bounds.max}` : '';
}

/**
 * One value of plain data (parsed YAML, JSON, or values the CLI collected) with its path: typed reads that
 * throw a FieldError naming the field. The one reader behind every validator of faults and workloads.
 */
export class PlainField {
  constructor(readonly value: unknown, readonly path: FieldPath) {}

  fail(reason: string): never {
    throw new FieldError(this.path, reason);
  }

  /** A non-empty string (whitespace trimmed). */
  string(): string {
    if (typeof this.value !== 'string' || this.value.trim() === '') this.fail(`expected a non-empty string, got ${describe(this.value)}`);
    return this.value.trim();
  }

  /** A string, or a number written where a name was meant (YAML reads `1` as a number). */
  ref(): string {
    if (typeof this.value === 'number' && Number.isInteger(this.value)) return String(this.value);
    return this.string();
  }

  boolean(): boolean {
    if (typeof this.value !== 'boolean') this.fail(`expected true or false, got ${describe(this.value)}`);
    return this.value;
  }

  number(bounds: NumberBounds = {}): number {
    const v = this.value;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(`expected a number, got ${describe(v)}`);
    const low = bounds.min === undefined || (bounds.minExclusive ? v > bounds.min : v >= bounds.min);
    const high = bounds.max === undefined || v <= bounds.max;
    if (!low || !high) this.fail(`expected a number in ${range(bounds)}, got ${v}`);
    return v;
  }

  integer(bounds: NumberBounds = {}): number {
    const v = this.value;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) this.fail(`expected a whole number${range(bounds) ? ` in ${range(bounds)}` : ''}, got ${describe(v)}`);
    return this.number(bounds);
  }

  oneOf<const T extends string>(words: readonly T[]): T {
    if (typeof this.value !== 'string' || !(words as readonly string[]).includes(this.value)) this.fail(`expected one of ${words.join(', ')}, got ${describe(this.value)}`);
    return this.value as T;
  }

  list(): PlainField[] {
    if (!Array.isArray(this.value)) this.fail(`expected a list, got ${describe(this.value)}`);
    return (this.value as unknown[]).map((item, index) => new PlainField(item, [...this.path, index]));
  }

  map(): PlainMap {
    const v = this.value;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(`expected a mapping, got ${describe(v)}`);
    return new PlainMap(v as Readonly<Record<string, unknown>>, this.path);
  }
}

/** A mapping of plain data: present keys, unknown keys refused, fields by key. */
export class PlainMap {
  constructor(readonly value: Readonly<Record<string, unknown>>, readonly path: FieldPath) {}

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  /** Refuses any key outside `keys`, naming it and the keys allowed. */
  only(keys: readonly string[]): this {
    for (const key of Object.keys(this.value)) {
      if (!keys.includes(key)) throw new FieldError([...this.path, key], `unknown key${suggestion(key, keys)}; known keys: ${keys.join(', ')}`, true);
    }
    return this;
  }

  field(key: string): PlainField {
    return new PlainField(this.value[key], [...this.path, key]);
  }

  optional(key: string): PlainField | undefined {
    return this.has(key) ? this.field(key) : undefined;
  }

  required(key: string, what = 'a value'): PlainField {
    if (!this.has(key)) throw new FieldError([...this.path, key], `missing; expected ${what}`);
    return this.field(key);
  }
}

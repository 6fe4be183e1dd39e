import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type YAMLMap } from 'yaml';
import { UsageError } from '../errors.js';

/** Where a YAML document came from: the name printed in errors and the line table for offsets. */
export interface YamlSource {
  readonly fileName: string;
  readonly lineCounter: LineCounter;
}

/** `<file>:<line>:<col>: <what>`; line and column are 1-based. */
export function positionedError(source: YamlSource, offset: number, what: string): UsageError {
  const { line, col } = source.lineCounter.linePos(offset);
  return new UsageError(`${source.fileName}:${line}:${col}: ${what}`);
}

/** Path text for errors: `workload.count`, `faults[0].fault.kind`, `(top level)` for the root. */
function childPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function describe(node: Node | null): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const value = node.value;
    if (value === null || value === undefined) return 'nothing';
    if (typeof value === 'string') return `string '${value}'`;
    if (typeof value === 'number') return `number ${node.source ?? String(value)}`;
    return String(value);
  }
  return 'an alias';
}

/** Edit distance, for "did you mean" on unknown keys. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

function suggestion(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // Close enough to be a typo (a swap counts 2), but not so loose that short keys match anything.
  return best !== undefined && bestDistance <= 2 && bestDistance < best.length / 2 ? ` (did you mean '${best}'?)` : '';
}

export interface IntegerBounds {
  readonly min?: number;
  readonly max?: number;
}

/**
 * One value in a YAML document together with its path and position, with typed readers that fail with
 * `<file>:<line>:<col>: <path>: <what is wrong>`. A missing key is a Field with a null node positioned
 * at its parent.
 */
export class YamlField {
  constructor(
    readonly source: YamlSource,
    readonly path: string,
    readonly node: Node | null,
    private readonly fallbackOffset: number,
  ) {}

  get offset(): number {
    return this.node?.range?.[0] ?? this.fallbackOffset;
  }

  /** True when the key is absent or its value is empty (`key:` or `key: null`). */
  get isEmpty(): boolean {
    return this.node === null || (isScalar(this.node) && (this.node.value === null || this.node.value === undefined));
  }

  fail(what: string): never {
    throw positionedError(this.source, this.offset, `${this.path === '' ? '(top level)' : this.path}: ${what}`);
  }

  /** Runs a parser from elsewhere (e.g. parseFaultKind) and gives its UsageError this field's position. */
  parseWith<T>(raw: string, parse: (raw: string) => T): T {
    try {
      return parse(raw);
    } catch (error) {
      if (error instanceof UsageError) this.fail(error.message);
      throw error;
    }
  }

  private scalarValue(): unknown {
    if (this.node !== null && isAlias(this.node)) this.fail('anchors and aliases are not supported in scenario files');
    return this.node !== null && isScalar(this.node) ? this.node.value : undefined;
  }

  map(): YamlMapReader {
    if (this.node === null || !isMap(this.node)) this.fail(`expected a mapping (key: value lines), got ${describe(this.node)}`);
    return new YamlMapReader(this, this.node);
  }

  list(): YamlField[] {
    if (this.node === null || !isSeq(this.node)) this.fail(`expected a list, got ${describe(this.node)}`);
    return this.node.items.map((item, index) => {
      const node = (item ?? null) as Node | null;
      return new YamlField(this.source, `${this.path}[${index}]`, node, this.offset);
    });
  }

  string(): string {
    const value = this.scalarValue();
    if (typeof value !== 'string') this.fail(`expected text, got ${describe(this.node)}`);
    return value;
  }

  nonEmptyString(): string {
    const value = this.string();
    if (value.trim() === '') this.fail('must not be empty');
    return value;
  }

  /** A scalar written as text, number or boolean, as the text the user wrote (Kafka settings are strings). */
  settingText(): string {
    const value = this.scalarValue();
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') {
      const source = this.node !== null && isScalar(this.node) ? this.node.source : undefined;
      return typeof source === 'string' && source !== '' ? source : String(value);
    }
    this.fail(`expected a value (text, number or true/false), got ${describe(this.node)}`);
  }

  oneOf<T extends string>(allowed: readonly T[], what: string): T {
    const value = this.string();
    if (!(allowed as readonly string[]).includes(value)) this.fail(`unknown ${what} '${value}'; expected one of ${allowed.join(', ')}`);
    return value as T;
  }

  boolean(): boolean {
    const value = this.scalarValue();
    if (typeof value !== 'boolean') this.fail(`expected true or false, got ${describe(this.node)}`);
    return value;
  }

  number(): number {
    const value = this.scalarValue();
    if (typeof value !== 'number') this.fail(`expected a number, got ${describe(this.node)}`);
    if (!Number.isFinite(value)) this.fail(`expected a finite number, got ${describe(this.node)}`);
    return value;
  }

  integer(bounds: IntegerBounds = {}): number {
    const value = this.number();
    if (!Number.isInteger(value)) this.fail(`expected a whole number, got ${describe(this.node)}`);
    const { min, max } = bounds;
    if (min !== undefined && max !== undefined && (value < min || value > max)) this.fail(`expected ${min}..${max}, got ${value}`);
    if (min !== undefined && value < min) this.fail(`expected ${min === 0 ? 'a whole number >= 0' : `at least ${min}`}, got ${value}`);
    if (max !== undefined && value > max) this.fail(`expected at most ${max}, got ${value}`);
    return value;
  }

  positiveNumber(): number {
    const value = this.number();
    if (!(value > 0)) this.fail(`expected a number > 0, got ${value}`);
    return value;
  }

  /** 0..1 inclusive. */
  fraction(): number {
    const value = this.number();
    if (value < 0 || value > 1) this.fail(`expected a fraction between 0 and 1, got ${value}`);
    return value;
  }

  /** A mapping of Kafka keys to values; every value is kept as the text written. */
  stringMap(): Record<string, string> {
    const reader = this.map();
    const result: Record<string, string> = {};
    for (const key of reader.keys()) result[key] = reader.field(key).settingText();
    return result;
  }
}

/** A YAML mapping: its keys checked against the allowed ones, fields required or optional. */
export class YamlMapReader {
  private readonly entries = new Map<string, { key: Node; value: Node | null }>();

  constructor(
    readonly owner: YamlField,
    map: YAMLMap,
  ) {
    for (const pair of map.items) {
      const key = pair.key as Node | null;
      const keyValue = key !== null && isScalar(key) ? key.value : undefined;
      const keyField: YamlField = new YamlField(owner.source, owner.path, key, owner.offset);
      if (key === null || (typeof keyValue !== 'string' && typeof keyValue !== 'number')) keyField.fail('keys must be plain names');
      this.entries.set(String(keyValue), { key, value: (pair.value ?? null) as Node | null });
    }
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  has(key: string): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && !this.valueField(key, entry).isEmpty;
  }

  /** Fails on the first key not in `allowed`. */
  only(allowed: readonly string[]): this {
    for (const [key, entry] of this.entries) {
      if (!allowed.includes(key)) {
        const keyField = new YamlField(this.owner.source, childPath(this.owner.path, key), entry.key, this.owner.offset);
        keyField.fail(`unknown key${suggestion(key, allowed)}; known keys: ${allowed.join(', ')}`);
      }
    }
    return this;
  }

  private valueField(key: string, entry: { key: Node; value: Node | null }): YamlField {
    // An empty value has no useful range of its own: point at its key.
    const keyOffset = entry.key.range?.[0] ?? this.owner.offset;
    const value = entry.value;
    const empty = value === null || (isScalar(value) && (value.value === null || value.value === undefined));
    return new YamlField(this.owner.source, childPath(this.owner.path, key), empty ? null : value, keyOffset);
  }

  /** The value of `key`; an absent key yields an empty field positioned at this mapping. */
  field(key: string): YamlField {
    const entry = this.entries.get(key);
    if (entry === undefined) return new YamlField(this.owner.source, childPath(this.owner.path, key), null, this.owner.offset);
    return this.valueField(key, entry);
  }

  required(key: string): YamlField {
    const field = this.field(key);
    if (field.isEmpty) field.fail(this.entries.has(key) ? 'needs a value' : 'missing (required)');
    return field;
  }

  /** The field, or undefined when the key is absent or empty. */
  optional(key: string): YamlField | undefined {
    const field = this.field(key);
    return field.isEmpty ? undefined : field;
  }
}

import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type YAMLMap } from 'yaml';
import { FieldError, UsageError, formatFieldPath, type FieldPath } from '../errors.js';
import { suggestion } from '../util/suggest.js';

/** Where a YAML document came from: the name printed in errors and the line table for offsets. */
export interface YamlSource {
  readonly fileName: string;
  readonly lineCounter: LineCounter;
  /** A matrix variant's values (`[restartMode=kill]`), printed after the position: the error is in that variant. */
  readonly variant?: string;
}

/** `<file>:<line>:<col>: <what>` (`<file>:<line>:<col>: <variant> <what>` in a matrix variant); 1-based. */
export function positionedError(source: YamlSource, offset: number, what: string): UsageError {
  const { line, col } = source.lineCounter.linePos(offset);
  return new UsageError(`${source.fileName}:${line}:${col}: ${source.variant !== undefined ? `${source.variant} ` : ''}${what}`);
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
    if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
    // Only a YAML 1.1 document gets here (a timestamp or binary scalar): its text as written.
    return node.source ?? typeof value;
  }
  return 'an alias';
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

  /**
   * Runs a validator of plain data (e.g. parseFault) on this field's value; a FieldError it throws is given the
   * position of the field it names inside this one.
   */
  readPlain<T>(read: (value: unknown) => T): T {
    try {
      return read(this.node === null ? undefined : (this.node.toJSON() as unknown));
    } catch (error) {
      if (error instanceof FieldError) this.descend(error.path, error.atKey).fail(error.reason);
      throw error;
    }
  }

  /** The field at `path` inside this one, or the deepest one that exists on the way. */
  descend(path: FieldPath, atKey = false): YamlField {
    const [part, ...rest] = path;
    if (part === undefined) return this;
    const next = this.childNode(part, atKey && rest.length === 0);
    const childPath = this.path === '' ? formatFieldPath([part]) : `${this.path}${typeof part === 'number' ? `[${part}]` : `.${part}`}`;
    if (next === undefined) return new YamlField(this.source, childPath, null, this.offset);
    return new YamlField(this.source, childPath, next, this.offset).descend(rest, atKey);
  }

  /** The node at `part` (its key when `keyWanted`); null for an empty item, undefined when there is none. */
  private childNode(part: FieldPath[number], keyWanted: boolean): Node | null | undefined {
    const node = this.node;
    if (typeof part === 'number' && node !== null && isSeq(node)) return (node.items[part] ?? null) as Node | null;
    if (typeof part === 'string' && node !== null && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === part);
      return pair === undefined ? undefined : (((keyWanted ? pair.key : pair.value) ?? pair.key ?? null) as Node | null);
    }
    return undefined;
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

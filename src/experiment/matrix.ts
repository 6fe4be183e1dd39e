import { isMap, isPair, isScalar, isSeq, visit, type Document, type Scalar } from 'yaml';
import type { YamlRoot } from '../scenario/yaml-document.js';
import { YamlField, type YamlSource } from '../scenario/yaml-field.js';
import type { ExperimentVariant, MatrixDimension, MatrixValue } from './experiment.js';
import { MAX_MATRIX_VARIANTS } from './experiment-limits.js';
import { readExperiment } from './read-experiment.js';

const MATRIX_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
/** `${key}` is a placeholder; `$${` writes a literal `${` (e.g. for a shell variable in a command probe). */
const PLACEHOLDER = /\$\$\{|\$\{([^}]*)\}/g;
const WHOLE_PLACEHOLDER = /^\$\{([^}]*)\}$/;

/** A placeholder found in the file: its key and the scalar that holds it. */
interface Placeholder {
  readonly key: string;
  readonly node: Scalar;
  /** Where it is, as errors print paths: `method[2].fault.target`. */
  readonly path: string;
}

/** The error path of a node from visit's ancestors: pair keys and list indexes. */
function pathText(ancestors: readonly unknown[], node: Scalar): string {
  let text = '';
  ancestors.forEach((ancestor, index) => {
    const child = ancestors[index + 1] ?? node;
    if (isPair(ancestor) && isScalar(ancestor.key)) text += `${text === '' ? '' : '.'}${String(ancestor.key.value)}`;
    if (isSeq(ancestor)) text += `[${ancestor.items.indexOf(child as never)}]`;
  });
  return text;
}

/** A parsed experiment file before expansion: the YAML (placeholders unsubstituted) and its matrix. */
export interface ExperimentDocument {
  readonly root: YamlRoot;
  readonly matrix: readonly MatrixDimension[];
}

function matrixValue(field: YamlField): MatrixValue {
  const node = field.node;
  const value: unknown = node !== null && isScalar(node) ? node.value : undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return field.fail('expected a value (text, number or true/false)');
}

/** `matrix: { key: [values...] }`; at most MAX_MATRIX_VARIANTS combinations. */
export function readMatrix(field: YamlField | undefined): MatrixDimension[] {
  if (field === undefined) return [];
  const map = field.map();
  const dimensions = map.keys().map((key): MatrixDimension => {
    const valuesField = map.field(key);
    if (!MATRIX_KEY_PATTERN.test(key)) field.descend([key], true).fail(`'${key}' is not a valid matrix key (a letter, then letters, digits or _)`);
    const items = valuesField.list();
    if (items.length === 0) valuesField.fail('expected at least one value');
    const values = items.map(matrixValue);
    const repeated = values.findIndex((v, i) => values.indexOf(v) !== i);
    if (repeated >= 0) (items[repeated] as YamlField).fail(`duplicate value '${String(values[repeated])}'`);
    return { key, values };
  });
  if (dimensions.length === 0) field.fail('expected at least one key with a list of values');
  const variants = dimensions.reduce((n, d) => n * d.values.length, 1);
  if (variants > MAX_MATRIX_VARIANTS) field.fail(`${variants} variants; a matrix expands into at most ${MAX_MATRIX_VARIANTS}`);
  return dimensions;
}

/** Every placeholder in values of the document, outside the matrix itself. */
function placeholdersOf(document: Document): Placeholder[] {
  const found: Placeholder[] = [];
  visit(document, {
    Pair: (_, pair) => (isScalar(pair.key) && pair.key.value === 'matrix' && isMap(document.contents) && document.contents.items.includes(pair) ? visit.SKIP : undefined),
    Scalar: (key, node, ancestors) => {
      if (key === 'key' || typeof node.value !== 'string') return;
      for (const match of node.value.matchAll(PLACEHOLDER)) if (match[1] !== undefined) found.push({ key: match[1], node, path: pathText(ancestors, node) });
    },
  });
  return found;
}

/** Every placeholder names a matrix key, and every matrix key is used. */
export function checkPlaceholders(root: YamlRoot, matrix: readonly MatrixDimension[]): void {
  const keys = matrix.map((d) => d.key);
  const found = placeholdersOf(root.document);
  for (const { key, node, path } of found) {
    if (keys.includes(key)) continue;
    const field = new YamlField(root.source, path, node, 0);
    field.fail(keys.length === 0 ? `placeholder \${${key}} but the file has no matrix (write $\${ for a literal \${)` : `placeholder \${${key}} names no matrix key; matrix keys: ${keys.join(', ')}`);
  }
  for (const key of keys) {
    if (!found.some((p) => p.key === key)) root.field.descend(['matrix', key], true).fail(`matrix key '${key}' is used by no \${${key}} placeholder`);
  }
}

/** Every combination of the matrix values, first key outermost. */
function combinations(matrix: readonly MatrixDimension[]): Record<string, MatrixValue>[] {
  let out: Record<string, MatrixValue>[] = [{}];
  for (const { key, values } of matrix) out = out.flatMap((partial) => values.map((value) => ({ ...partial, [key]: value })));
  return out;
}

/** The document with values substituted: a scalar that is one placeholder takes the value's type; else text. */
function substitute(document: Document, values: Readonly<Record<string, MatrixValue>>): Document {
  const copy = document.clone();
  visit(copy, {
    Scalar: (key, node) => {
      if (key === 'key' || typeof node.value !== 'string') return;
      const whole = WHOLE_PLACEHOLDER.exec(node.value)?.[1];
      const wholeValue = whole === undefined ? undefined : values[whole];
      node.value = wholeValue ?? node.value.replace(PLACEHOLDER, (text, name: string | undefined) => (name === undefined ? '${' : String(values[name] ?? text)));
    },
  });
  return copy;
}

function variantLabel(values: Readonly<Record<string, MatrixValue>>): string {
  const entries = Object.entries(values);
  return entries.length === 0 ? '' : `[${entries.map(([k, v]) => `${k}=${String(v)}`).join(',')}]`;
}

/**
 * Expands a matrix experiment into its variants, each validated as if written by hand; an error inside a
 * variant is positioned at the placeholder's line and names the variant. Pure. Without a matrix: one variant.
 */
export function expandMatrix(parsed: ExperimentDocument): ExperimentVariant[] {
  const { root, matrix } = parsed;
  return combinations(matrix).map((values) => {
    const label = variantLabel(values);
    const document = substitute(root.document, values);
    const source: YamlSource = label === '' ? root.source : { ...root.source, variant: label };
    const experiment = readExperiment(new YamlField(source, '', document.contents, 0), root.source.fileName);
    return { name: `${experiment.name}${label}`, values, experiment };
  });
}

import { ANY, nonNull, valueTypeText, type ValueType } from './value-type.js';

/** One step of a JSON path: a key of an object or an index of a list. */
export type PathStep = { readonly key: string } | { readonly index: number };

/** The longest path accepted, in characters: a bound on parsing. */
export const MAX_JSON_PATH_CHARS = 500;

/**
 * Parses the JSONPath subset faultline reads: `$` then any number of `.key`, `['key']` (or `["key"]`)
 * and `[index]`. Returns the steps, or a reason the text is not such a path.
 */
export function parseJsonPath(text: string): PathStep[] | string {
  if (text.length > MAX_JSON_PATH_CHARS) return `longer than ${MAX_JSON_PATH_CHARS} characters`;
  if (!text.startsWith('$')) return "expected a path starting with '$' (e.g. $.a.b[0])";
  const steps: PathStep[] = [];
  let at = 1;
  while (at < text.length) {
    const rest = text.slice(at);
    const dotted = /^\.([A-Za-z0-9_][A-Za-z0-9_-]*)/.exec(rest);
    const quoted = /^\[(?:'([^']*)'|"([^"]*)")\]/.exec(rest);
    const indexed = /^\[(\d{1,9})\]/.exec(rest);
    if (dotted) steps.push({ key: dotted[1] as string });
    else if (quoted) steps.push({ key: quoted[1] ?? quoted[2] ?? '' });
    else if (indexed) steps.push({ index: Number(indexed[1]) });
    else return `cannot read '${rest}' at character ${at}; expected .key, ['key'] or [index]`;
    at += (dotted ?? quoted ?? indexed)?.[0].length ?? rest.length;
  }
  return steps;
}

export function formatJsonPath(steps: readonly PathStep[]): string {
  return '$' + steps.map((s) => ('index' in s ? `[${s.index}]` : /^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(s.key) ? `.${s.key}` : `['${s.key}']`)).join('');
}

/** The value at `steps`, or undefined when the value has no such field or index. */
export function selectJsonPath(value: unknown, steps: readonly PathStep[]): unknown {
  let current: unknown = value;
  for (const step of steps) {
    if ('index' in step) {
      if (!Array.isArray(current)) return undefined;
      current = (current as unknown[])[step.index];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
      const record = current as Readonly<Record<string, unknown>>;
      if (!Object.hasOwn(record, step.key)) return undefined;
      current = record[step.key];
    }
  }
  return current;
}

/** The declared type at `steps` of a value of type `t`, or a reason the path cannot exist in such a value. */
export function typeAtPath(t: ValueType, steps: readonly PathStep[]): ValueType | string {
  let current = t;
  for (const [i, step] of steps.entries()) {
    const here = nonNull(current);
    const where = formatJsonPath(steps.slice(0, i + 1));
    if (here.type === 'any') return ANY;
    if ('index' in step) {
      if (here.type !== 'array') return `${where}: the value there is ${valueTypeText(here)}, not a list`;
      current = here.items;
    } else {
      if (here.type !== 'object') return `${where}: the value there is ${valueTypeText(here)}, not an object`;
      const field = Object.hasOwn(here.fields, step.key) ? here.fields[step.key] : here.rest;
      if (field === undefined) return `${where}: the value has no field '${step.key}' (fields: ${Object.keys(here.fields).join(', ')})`;
      current = field;
    }
  }
  return current;
}

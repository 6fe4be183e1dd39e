/**
 * What a probe's value looks like, declared per probe kind, so that a tolerance that cannot apply
 * (a regex on a number, a path to a field the value does not have) is refused before anything runs.
 */
export type ValueType =
  | { readonly type: 'number' | 'string' | 'boolean' | 'any' }
  | { readonly type: 'object'; readonly fields: Readonly<Record<string, ValueType>>; readonly rest?: ValueType }
  | { readonly type: 'array'; readonly items: ValueType }
  | { readonly type: 'nullable'; readonly of: ValueType };

export const NUMBER: ValueType = { type: 'number' };
export const STRING: ValueType = { type: 'string' };
export const BOOLEAN: ValueType = { type: 'boolean' };
export const ANY: ValueType = { type: 'any' };

export function nullable(of: ValueType): ValueType {
  return { type: 'nullable', of };
}

/** `number`, `string or null`, `object {a, b}`: for error messages. */
export function valueTypeText(t: ValueType): string {
  switch (t.type) {
    case 'object':
      return `an object {${Object.keys(t.fields).join(', ')}${t.rest ? ', ...' : ''}}`;
    case 'array':
      return 'a list';
    case 'nullable':
      return `${valueTypeText(t.of)} or null`;
    case 'any':
      return 'any value';
    default:
      return `a ${t.type}`;
  }
}

/** The type without its null: what a tolerance sees once null is ruled out (null fails it at run time). */
export function nonNull(t: ValueType): ValueType {
  return t.type === 'nullable' ? nonNull(t.of) : t;
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FieldError } from '../../../src/errors.js';
import { parseTolerance, type Tolerance } from '../../../src/experiment/probes/tolerance.js';
import { evaluateTolerance, jsonEqual, MAX_REGEX_INPUT_CHARS, type ProbeObservation } from '../../../src/experiment/probes/tolerance-evaluate.js';
import { formatJsonPath, parseJsonPath, selectJsonPath, typeAtPath } from '../../../src/experiment/probes/json-path.js';
import { NUMBER, STRING, nullable, type ValueType } from '../../../src/experiment/probes/value-type.js';

const HEALTH: ValueType = { type: 'object', fields: { healthy: { type: 'boolean' }, brokers: { type: 'array', items: NUMBER }, lag: { type: 'object', fields: {}, rest: NUMBER }, state: STRING } };

function fieldError(run: () => unknown): FieldError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof FieldError, String(error));
    return error;
  }
  assert.fail('expected a FieldError');
}

test('JSONPath subset: $, .key, [\'key\'], ["key"], [index]; anything else is refused with where', () => {
  assert.deepEqual(parseJsonPath('$'), []);
  assert.deepEqual(parseJsonPath("$.a['b c'][2].d"), [{ key: 'a' }, { key: 'b c' }, { index: 2 }, { key: 'd' }]);
  assert.deepEqual(parseJsonPath('$["x"]'), [{ key: 'x' }]);
  assert.match(parseJsonPath('a.b') as string, /starting with '\$'/);
  assert.match(parseJsonPath('$.a..b') as string, /cannot read '\.\.b' at character 3/);
  assert.match(parseJsonPath('$[-1]') as string, /cannot read/);
  assert.match(parseJsonPath('$.a[*]') as string, /cannot read '\[\*\]'/);
  const value = { a: { 'b c': [10, 20, { d: 'yes' }] }, n: null };
  assert.equal(selectJsonPath(value, parseJsonPath("$.a['b c'][2].d") as []), 'yes');
  assert.equal(selectJsonPath(value, parseJsonPath('$.a.missing') as []), undefined);
  assert.equal(selectJsonPath(value, parseJsonPath('$.n') as []), null);
  assert.equal(selectJsonPath(value, parseJsonPath('$.a[0]') as []), undefined, 'an index into an object is no value');
  assert.equal(selectJsonPath([1, 2], parseJsonPath('$[5]') as []), undefined);
  assert.equal(selectJsonPath({}, parseJsonPath('$.toString') as []), undefined, 'inherited properties are not fields');
});

test('JSONPath property: format then parse gives the same steps, and select follows them', () => {
  const step = fc.oneof(
    fc.string({ maxLength: 6 }).filter((k) => !k.includes("'")).map((key) => ({ key })),
    fc.nat(20).map((index) => ({ index })),
  );
  fc.assert(
    fc.property(fc.array(step, { maxLength: 6 }), (steps) => {
      assert.deepEqual(parseJsonPath(formatJsonPath(steps)), steps);
      const nested = steps.reduceRight<unknown>((inner, s) => ('index' in s ? Object.assign(new Array<unknown>(s.index + 1).fill(0), { [s.index]: inner }) : { [s.key]: inner }), 'leaf');
      assert.equal(selectJsonPath(nested, steps), 'leaf');
    }),
  );
});

test('typeAtPath: fields, map entries and list items have types; a missing field or a wrong step is named', () => {
  assert.deepEqual(typeAtPath(HEALTH, [{ key: 'brokers' }, { index: 0 }]), NUMBER);
  assert.deepEqual(typeAtPath(HEALTH, [{ key: 'lag' }, { key: '3' }]), NUMBER);
  assert.match(typeAtPath(HEALTH, [{ key: 'healty' }]) as string, /\$\.healty: the value has no field 'healty' \(fields: healthy, brokers, lag, state\)/);
  assert.match(typeAtPath(HEALTH, [{ key: 'state' }, { index: 1 }]) as string, /\$\.state\[1\]: the value there is a string, not a list/);
  assert.match(typeAtPath(nullable(NUMBER), [{ key: 'x' }]) as string, /not an object/);
});

test('parseTolerance: each kind as typed data; modifiers wrap the check in a fixed order', () => {
  assert.deepEqual(parseTolerance({ equals: null }, ['t']), { kind: 'equals', value: null });
  assert.deepEqual(parseTolerance({ oneOf: ['a', 1] }, ['t']), { kind: 'one-of', values: ['a', 1] });
  assert.deepEqual(parseTolerance({ range: [null, 5] }, ['t']), { kind: 'range', min: null, max: 5 });
  assert.deepEqual(parseTolerance({ regex: '^St' }, ['t']), { kind: 'regex', pattern: '^St' });
  assert.deepEqual(parseTolerance({ consecutive: 3, ratio: undefined, path: '$.lag.0', range: [0, 10] }, ['t'], HEALTH), {
    kind: 'consecutive',
    count: 3,
    tolerance: { kind: 'path', path: '$.lag.0', steps: [{ key: 'lag' }, { key: '0' }], tolerance: { kind: 'range', min: 0, max: 10 } },
  });
  assert.deepEqual(parseTolerance({ ratio: 0.9, windowMs: 30000, tolerance: { equals: 0 } }, ['t']), { kind: 'ratio', ratio: 0.9, windowMs: 30000, tolerance: { kind: 'equals', value: 0 } });
  assert.deepEqual(parseTolerance({ all: [{ equals: 1 }, { range: [0, 2] }] }, ['t'], NUMBER), { kind: 'all', tolerances: [{ kind: 'equals', value: 1 }, { kind: 'range', min: 0, max: 2 }] });
});

test('parseTolerance errors name the exact field', () => {
  const cases: [unknown, ValueType | undefined, string, RegExp][] = [
    [{ regex: '^a' }, NUMBER, 'p.tolerance.regex', /regex applies to a string, but the value here is a number/],
    [{ range: [0, 1] }, STRING, 'p.tolerance.range', /range applies to a number, but the value here is a string/],
    [{ range: [0, 1] }, HEALTH, 'p.tolerance.range', /pick a field with path/],
    [{ path: '$.state', range: [0, 1] }, HEALTH, 'p.tolerance.range', /range applies to a number/],
    [{ path: '$.nope', equals: 1 }, HEALTH, 'p.tolerance.path', /no field 'nope'/],
    [{ path: 'state', equals: 1 }, HEALTH, 'p.tolerance.path', /starting with '\$'/],
    [{ range: [5, 1] }, undefined, 'p.tolerance.range', /min 5 is greater than max 1/],
    [{ range: [1] }, undefined, 'p.tolerance.range', /expected \[min, max\]/],
    [{ range: ['a', 1] }, undefined, 'p.tolerance.range[0]', /expected a number/],
    [{ regex: '(' }, undefined, 'p.tolerance.regex', /not a regular expression/],
    [{ equals: 1, range: [0, 1] }, undefined, 'p.tolerance', /got equals and range \(combine them with all/],
    [{ path: '$.a' }, undefined, 'p.tolerance', /expected one of equals, oneOf, range, regex, all, tolerance/],
    [{ equal: 1 }, undefined, 'p.tolerance.equal', /unknown key \(did you mean 'equals'\?\)/],
    [{ consecutive: 0, equals: 1 }, undefined, 'p.tolerance.consecutive', /expected a number in \[1, 1000\], got 0/],
    [{ consecutive: 2, ratio: 0.5, windowMs: 10, equals: 1 }, undefined, 'p.tolerance.ratio', /not both/],
    [{ ratio: 0.5, equals: 1 }, undefined, 'p.tolerance.windowMs', /missing; expected a window/],
    [{ ratio: 0, windowMs: 10, equals: 1 }, undefined, 'p.tolerance.ratio', /expected a number in \(0, 1\]/],
    [{ windowMs: 10, equals: 1 }, undefined, 'p.tolerance.windowMs', /goes with ratio/],
    [{ all: [] }, undefined, 'p.tolerance.all', /expected 1\.\.50 tolerances/],
    [{ all: [{ equals: 1 }, { regex: 'x' }] }, NUMBER, 'p.tolerance.all[1].regex', /regex applies to a string/],
    [{ oneOf: [] }, undefined, 'p.tolerance.oneOf', /at least one/],
    ['equals 1', undefined, 'p.tolerance', /expected a mapping/],
  ];
  for (const [input, type, where, reason] of cases) {
    const error = fieldError(() => parseTolerance(input, ['p', 'tolerance'], type));
    assert.equal(error.message.split(': ')[0], where, `${JSON.stringify(input)}: ${error.message}`);
    assert.match(error.message, reason);
  }
});

test('nesting is bounded', () => {
  let deep: unknown = { equals: 1 };
  for (let i = 0; i < 12; i++) deep = { tolerance: deep };
  assert.match(fieldError(() => parseTolerance(deep, ['t'])).message, /nest at most 8 deep/);
});

test('equality and one-of compare JSON deeply, key order ignored', () => {
  const t = parseTolerance({ equals: { a: [1, { b: null }], c: 'x' } }, ['t']);
  assert.equal(evaluateTolerance(t, { c: 'x', a: [1, { b: null }] }).ok, true);
  assert.equal(evaluateTolerance(t, { c: 'x', a: [1, { b: 0 }] }).ok, false);
  assert.equal(evaluateTolerance(t, { c: 'x', a: [1, { b: null }], d: 1 }).ok, false);
  assert.equal(evaluateTolerance(parseTolerance({ equals: 0 }, ['t']), '0').ok, false, 'no coercion');
  const oneOf = parseTolerance({ oneOf: [true, 'unknown'] }, ['t']);
  assert.equal(evaluateTolerance(oneOf, 'unknown').ok, true);
  const refused = evaluateTolerance(oneOf, false);
  assert.deepEqual(refused, { ok: false, detail: 'expected one of [true,"unknown"], got false' });
  fc.assert(fc.property(fc.jsonValue(), (v) => jsonEqual(v, structuredClone(v))));
});

test('range property: the verdict is min <= v <= max with either end open, and non-numbers fail', () => {
  const end = fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null });
  fc.assert(
    fc.property(end, end, fc.oneof(fc.double({ noNaN: true, min: -2000, max: 2000 }), fc.constant(null), fc.string()), (a, b, v) => {
      const [min, max] = a !== null && b !== null && a > b ? [b, a] : [a, b];
      const t: Tolerance = { kind: 'range', min, max };
      const expected = typeof v === 'number' && (min === null || v >= min) && (max === null || v <= max);
      assert.equal(evaluateTolerance(t, v).ok, expected);
    }),
  );
  assert.equal(evaluateTolerance({ kind: 'range', min: 0, max: 10 }, 10).detail, '10 in [0, 10]');
  assert.equal(evaluateTolerance({ kind: 'range', min: 0, max: null }, null).detail, 'expected a number in [0, null], got null');
});

test('regex matches strings only, and refuses overlong input', () => {
  const t = parseTolerance({ regex: '^Stab' }, ['t']);
  assert.equal(evaluateTolerance(t, 'Stable').ok, true);
  assert.equal(evaluateTolerance(t, 'Empty').ok, false);
  assert.equal(evaluateTolerance(t, 3).ok, false);
  assert.match(evaluateTolerance(t, 'S'.repeat(MAX_REGEX_INPUT_CHARS + 1)).detail, /too long/);
});

test('path picks a field; a missing field fails and says so', () => {
  const t = parseTolerance({ path: '$.lag.0', range: [null, 5] }, ['t'], HEALTH);
  assert.deepEqual(evaluateTolerance(t, { lag: { 0: 3 } }), { ok: true, detail: '$.lag.0: 3 in [null, 5]' });
  assert.equal(evaluateTolerance(t, { lag: { 0: 6 } }).ok, false);
  assert.deepEqual(evaluateTolerance(t, { lag: {} }), { ok: false, detail: '$.lag.0: no such field in {"lag":{}}' });
});

test('all needs every part', () => {
  const t = parseTolerance({ all: [{ path: '$.state', equals: 'Stable' }, { path: '$.lag.0', range: [null, 5] }] }, ['t'], HEALTH);
  assert.equal(evaluateTolerance(t, { state: 'Stable', lag: { 0: 1 } }).ok, true);
  const bad = evaluateTolerance(t, { state: 'Empty', lag: { 0: 1 } });
  assert.equal(bad.ok, false);
  assert.match(bad.detail, /^\$\.state: expected "Stable", got "Empty"$/);
});

/** The reference: the last `count` outcomes (earlier then current) all passed, failed observations counting as failures. */
function consecutiveReference(count: number, outcomes: readonly boolean[]): boolean {
  return outcomes.length >= count && outcomes.slice(-count).every(Boolean);
}

const observations = (values: readonly (number | null)[], stepMs = 1000): ProbeObservation[] =>
  values.map((v, i) => (v === null ? { timeMs: i * stepMs, value: null, failed: true } : { timeMs: i * stepMs, value: v }));

test('consecutive property: passes exactly when the last N observations (current included) passed', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), { maxLength: 15 }), fc.integer({ min: 0, max: 3 }), (count, earlier, current) => {
      const t: Tolerance = { kind: 'consecutive', count, tolerance: { kind: 'range', min: 0, max: 1 } };
      const outcomes = [...earlier.map((v) => v !== null && v <= 1), current <= 1];
      const verdict = evaluateTolerance(t, current, observations(earlier), earlier.length * 1000);
      assert.equal(verdict.ok, consecutiveReference(count, outcomes));
    }),
  );
  const t = parseTolerance({ consecutive: 3, equals: 0 }, ['t']);
  assert.match(evaluateTolerance(t, 0, observations([5, 0])).detail, /^2 of 3 consecutive passed/);
  assert.equal(evaluateTolerance(t, 0).ok, false, 'without history only the current value counts');
});

test('ratio property: the share of passes among observations inside the window (and the current one) against the ratio', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0.01, max: 1, noNaN: true }),
      fc.integer({ min: 1, max: 10_000 }),
      fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 3000 }), value: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }) }), { maxLength: 15 }),
      fc.integer({ min: 0, max: 3 }),
      (ratio, windowMs, steps, current) => {
        let timeMs = 0;
        const earlier: ProbeObservation[] = steps.map((s) => {
          timeMs += s.gapMs;
          return s.value === null ? { timeMs, value: null, failed: true } : { timeMs, value: s.value };
        });
        const nowMs = timeMs + 100;
        const inWindow = earlier.filter((o) => o.timeMs > nowMs - windowMs);
        const passes = inWindow.filter((o) => o.failed !== true && (o.value as number) <= 1).length + (current <= 1 ? 1 : 0);
        const t: Tolerance = { kind: 'ratio', ratio, windowMs, tolerance: { kind: 'range', min: null, max: 1 } };
        assert.equal(evaluateTolerance(t, current, earlier, nowMs).ok, passes / (inWindow.length + 1) >= ratio);
      },
    ),
  );
  const t = parseTolerance({ ratio: 0.75, windowMs: 3000, equals: 0 }, ['t']);
  // Observations at 0..4 s; the window at 5 s holds 3 s and 4 s (2.0 s is exactly at its edge: out).
  const earlier = observations([1, 1, 1, 0, 0]);
  const verdict = evaluateTolerance(t, 0, earlier, 5000);
  assert.equal(verdict.ok, true, verdict.detail);
  assert.match(verdict.detail, /^3 of 3 passed in the last 3000 ms/);
  assert.equal(evaluateTolerance(t, 1, earlier, 5000).ok, false);
});

test('path with consecutive looks at the same field of earlier values', () => {
  const t = parseTolerance({ consecutive: 2, path: '$.state', equals: 'Stable' }, ['t'], HEALTH);
  const earlier: ProbeObservation[] = [{ timeMs: 0, value: { state: 'Empty' } }, { timeMs: 1, value: { state: 'Stable' } }];
  assert.equal(evaluateTolerance(t, { state: 'Stable' }, earlier, 2).ok, true);
  assert.equal(evaluateTolerance(t, { state: 'Stable' }, earlier.slice(0, 1), 2).ok, false);
});

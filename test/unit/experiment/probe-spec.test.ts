import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldError } from '../../../src/errors.js';
import { defaultTolerance, parseProbe, PROBE_KINDS, probeValueType } from '../../../src/experiment/probes/probe-spec.js';
import { evaluateTolerance } from '../../../src/experiment/probes/tolerance-evaluate.js';

function refused(input: unknown): FieldError {
  try {
    parseProbe(input, ['steadyState', 0]);
  } catch (error) {
    assert.ok(error instanceof FieldError, String(error));
    return error;
  }
  assert.fail(`accepted ${JSON.stringify(input)}`);
}

test('parseProbe: every kind with its fields; the kind default tolerance is filled in', () => {
  assert.deepEqual(parseProbe({ name: 'rt', kind: 'round-trip', topic: 'test1', consumer: 'group', mode: 'during', intervalMs: 500, timeoutMs: 3000 }, []), {
    name: 'rt',
    kind: 'round-trip',
    topic: 'test1',
    consumer: 'group',
    mode: 'during',
    intervalMs: 500,
    timeoutMs: 3000,
    tolerance: { kind: 'range', min: 0, max: null },
  });
  assert.deepEqual(parseProbe({ name: 'h', kind: 'cluster-health', topics: ['a', 'b'] }, []).tolerance, { kind: 'path', path: '$.healthy', steps: [{ key: 'healthy' }], tolerance: { kind: 'equals', value: true } });
  assert.deepEqual(parseProbe({ name: 'c', kind: 'command', command: ['curl', '-sf', 8080, ' spaced '] }, []), { name: 'c', kind: 'command', command: ['curl', '-sf', '8080', ' spaced '], tolerance: { kind: 'equals', value: 0 } });
  const group = parseProbe({ name: 'g', kind: 'consumer-group', group: 'g1', topic: 't', tolerance: { all: [{ path: '$.state', equals: 'Stable' }, { path: '$.maxLag', range: [null, 100] }, { path: '$.lag.0', range: [null, 10] }] } }, []);
  assert.equal(group.kind, 'consumer-group');
  const checker = parseProbe({ name: 'x', kind: 'checker', checkers: ['exact'], mode: 'after' }, []);
  assert.deepEqual(checker.kind === 'checker' ? checker.checkers : undefined, ['exact']);
  assert.equal(parseProbe({ name: 'v', kind: 'topic-view', topic: 't', partition: 2, tolerance: { path: '$.isr[2]', range: [1, 3] } }, []).kind, 'topic-view');
  assert.equal(parseProbe({ name: 'j', kind: 'command', command: ['x'], json: true, tolerance: { path: '$.a.b', regex: 'ok' } }, []).kind, 'command');
});

test('every default tolerance fits its kind and judges a healthy value as passing, a sick one as failing', () => {
  const healthy: Record<(typeof PROBE_KINDS)[number], [unknown, unknown]> = {
    'cluster-health': [{ healthy: true }, { healthy: false }],
    'round-trip': [12.5, null],
    'consumer-group': [{ state: 'Stable' }, { state: 'PreparingRebalance' }],
    'topic-view': [{ leader: 2 }, { leader: null }],
    command: [0, 1],
    checker: [{ valid: 'unknown' }, { valid: false }],
  };
  for (const kind of PROBE_KINDS) {
    const t = defaultTolerance(kind);
    assert.equal(evaluateTolerance(t, healthy[kind][0]).ok, true, kind);
    assert.equal(evaluateTolerance(t, healthy[kind][1]).ok, false, kind);
    assert.ok(probeValueType({ kind }));
  }
});

test('parseProbe errors are FieldErrors at the exact path', () => {
  const cases: [unknown, string, RegExp][] = [
    [{ name: 'a', kind: 'ping' }, 'steadyState[0].kind', /unknown probe 'ping'; known probes: cluster-health, round-trip/],
    [{ name: 'a' }, 'steadyState[0].kind', /missing; expected one of cluster-health/],
    [{ kind: 'cluster-health' }, 'steadyState[0].name', /missing; expected a probe name/],
    [{ name: 'a', kind: 'round-trip' }, 'steadyState[0].topic', /missing; expected a topic name/],
    [{ name: 'a', kind: 'round-trip', topic: 'bad topic' }, 'steadyState[0].topic', /not a valid topic name/],
    [{ name: 'a', kind: 'round-trip', topic: 't', tolerance: { regex: 'x' } }, 'steadyState[0].tolerance.regex', /regex applies to a string, but the value here is a number or null/],
    [{ name: 'a', kind: 'command', command: ['x'], tolerance: { regex: '0' } }, 'steadyState[0].tolerance.regex', /regex applies to a string, but the value here is a number/],
    [{ name: 'a', kind: 'consumer-group', group: 'g', tolerance: { path: '$.lagg', range: [0, 1] } }, 'steadyState[0].tolerance.path', /no field 'lagg' \(fields: state, members, lag, maxLag\)/],
    [{ name: 'a', kind: 'consumer-group', group: 'g', tolerance: { path: '$.state', range: [0, 1] } }, 'steadyState[0].tolerance.range', /range applies to a number, but the value here is a string/],
    [{ name: 'a', kind: 'consumer-group' }, 'steadyState[0].group', /missing/],
    [{ name: 'a', kind: 'cluster-health', topic: 't' }, 'steadyState[0].topic', /unknown key \(did you mean 'topics'\?\)/],
    [{ name: 'a', kind: 'command', command: 'curl -sf x' }, 'steadyState[0].command', /expected a list of arguments \(no shell\)/],
    [{ name: 'a', kind: 'command', command: [] }, 'steadyState[0].command', /expected 1\.\.256 arguments, got 0/],
    [{ name: 'a', kind: 'command', command: ['x', { a: 1 }] }, 'steadyState[0].command[1]', /expected a string argument/],
    [{ name: 'a', kind: 'command', command: ['x'], json: true }, 'steadyState[0].tolerance', /missing; expected a tolerance on the JSON output/],
    [{ name: 'a', kind: 'checker', checkers: ['linear'] }, 'steadyState[0].checkers[0]', /expected one of exact, availability/],
    [{ name: 'a', kind: 'checker', checkers: [] }, 'steadyState[0].checkers', /at least one/],
    [{ name: 'a', kind: 'topic-view', topic: 't', partition: -1 }, 'steadyState[0].partition', /expected a number in \[0, 2147483647\], got -1/],
    [{ name: 'a', kind: 'cluster-health', mode: 'always' }, 'steadyState[0].mode', /expected one of before, after, edge, during, on-fault/],
    [{ name: 'a', kind: 'cluster-health', intervalMs: 1000 }, 'steadyState[0].intervalMs', /goes with mode during or on-fault/],
    [{ name: 'a', kind: 'cluster-health', mode: 'during', intervalMs: 10 }, 'steadyState[0].intervalMs', /expected a number in \[100, 3600000\]/],
    [{ name: 'a', kind: 'cluster-health', timeoutMs: 0 }, 'steadyState[0].timeoutMs', /expected a number in \[1, 600000\], got 0/],
    [{ name: 'x'.repeat(101), kind: 'cluster-health' }, 'steadyState[0].name', /at most 100 characters/],
    ['cluster-health', 'steadyState[0]', /expected a mapping/],
  ];
  for (const [input, where, reason] of cases) {
    const error = refused(input);
    assert.equal(error.message.slice(0, where.length + 1), `${where}:`, `${JSON.stringify(input)} -> ${error.message}`);
    assert.match(error.reason, reason, error.message);
  }
});

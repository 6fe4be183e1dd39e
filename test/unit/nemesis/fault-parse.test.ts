import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FieldError, UsageError } from '../../../src/errors.js';
import { parseFault } from '../../../src/nemesis/fault-parse.js';
import { validateFault } from '../../../src/nemesis/fault-validate.js';
import type { FaultRequest } from '../../../src/nemesis/fault-request.js';
import { faultFromFlags } from '../../../src/cli/fault-command.js';
import { parseScenario } from '../../../src/scenario/load-scenario.js';
import { VALID_SCENARIO, withLine } from '../scenario/fixtures.js';

/** Which of the three doors refuse a degrade with these numbers: the CLI's flags, a scenario file, the library. */
function verdicts(numbers: Record<string, number>): { cli: string | null; yaml: string | null; library: string | null } {
  const outcome = (run: () => unknown): string | null => {
    try {
      run();
      return null;
    } catch (error) {
      assert.ok(error instanceof UsageError, String(error));
      return error.message;
    }
  };
  const body = Object.entries(numbers).map(([k, v]) => `${k}: ${v}`).join(', ');
  const typed = { kind: 'degrade', target: { kind: 'node', ref: 'n1' }, ...numbers } as FaultRequest;
  return {
    cli: outcome(() => faultFromFlags('degrade', 'n1', numbers)),
    yaml: outcome(() => parseScenario(withLine('    fault: { kind: kill, target: "leader:test1" }', `    fault: { kind: degrade, target: n1, ${body} }`), 'x.yaml')),
    library: outcome(() => validateFault(typed)),
  };
}

test('one validator: --bandwidth-bytes-per-sec 1.5 is refused by the CLI, the scenario loader and injectFault alike', () => {
  const v = verdicts({ bandwidthBytesPerSec: 1.5 });
  assert.match(v.cli ?? '', /^--bandwidth-bytes-per-sec: expected a whole number/);
  assert.match(v.yaml ?? '', /faults\[0\]\.fault\.bandwidthBytesPerSec: expected a whole number/);
  assert.match(v.library ?? '', /^bandwidthBytesPerSec: expected a whole number/);
});

test('one validator property: CLI, YAML and library accept and refuse the same degrade numbers', () => {
  const value = fc.oneof(fc.integer({ min: -5, max: 5_000_000 }), fc.double({ min: -10, max: 200, noNaN: true }), fc.constantFrom(0, 1e-8, 100, 100.5, 3_600_001, 2 ** 40));
  const numbers = fc.record({ latencyMs: value, jitterMs: value, bandwidthBytesPerSec: value, lossPercent: value }, { requiredKeys: [] });
  fc.assert(
    fc.property(numbers, (picked) => {
      const v = verdicts(picked);
      assert.equal(v.cli === null, v.library === null, JSON.stringify({ picked, v }));
      assert.equal(v.yaml === null, v.library === null, JSON.stringify({ picked, v }));
      if (v.library !== null) assert.ok(v.yaml?.endsWith(v.library.replace(/^[^:]+: /, '')), JSON.stringify(v));
    }),
    { numRuns: 300 },
  );
});

test('parseFault: targets, node lists, groups and shapes become typed values, parsed once', () => {
  assert.deepEqual(parseFault({ kind: 'partition', target: 'leader:t/2', from: ['n2', 3] }), {
    kind: 'partition',
    target: { kind: 'leader', topic: 't', partition: 2 },
    from: { nodes: [{ kind: 'node', ref: 'n2' }, { kind: 'node', ref: '3' }] },
  });
  assert.deepEqual(parseFault({ kind: 'partition', groups: [['leader:t', 'follower:t'], 'rest'] }), {
    kind: 'partition',
    groups: [[{ kind: 'leader', topic: 't', partition: 0 }, { kind: 'follower', topic: 't', partition: 0 }], 'rest'],
  });
  assert.deepEqual(parseFault({ kind: 'degrade', target: 'n1', peers: 'n2', lossPercent: 5 }), { kind: 'degrade', target: { kind: 'node', ref: 'n1' }, peers: { nodes: [{ kind: 'node', ref: 'n2' }] }, lossPercent: 5 });
});

test('parseFault: every error is a FieldError naming the field, never a flag', () => {
  const fieldOf = (input: unknown): string => {
    try {
      parseFault(input);
    } catch (error) {
      assert.ok(error instanceof FieldError, String(error));
      assert.ok(!error.message.includes('--'), error.message);
      return error.message.split(':')[0] ?? '';
    }
    assert.fail(`accepted ${JSON.stringify(input)}`);
  };
  assert.equal(fieldOf({ kind: 'restart', target: 'n1', restartMode: 'gently' }), 'restartMode');
  assert.equal(fieldOf({ kind: 'terminate', target: 'n1', graceMs: -1 }), 'graceMs');
  assert.equal(fieldOf({ kind: 'degrade', target: 'n1', flaky: { upMs: 0, downMs: 5 } }), 'flaky.upMs');
  assert.equal(fieldOf({ kind: 'partition', groups: [['n1'], []] }), 'groups[1]');
  assert.equal(fieldOf({ kind: 'partition', shape: 'bridge', from: 'all' }), 'from');
  assert.equal(fieldOf({ kind: 'kill' }), 'target');
  assert.equal(fieldOf({ kind: 'kill', target: 'n1', peers: 'all' }), 'peers');
});

test('CLI: flags are the fields in kebab-case; node lists split on commas; errors name the flag', () => {
  assert.deepEqual(faultFromFlags('partition', undefined, { groups: ['leader:t,follower:t', 'rest'], oneWay: true }), {
    kind: 'partition',
    groups: [[{ kind: 'leader', topic: 't', partition: 0 }, { kind: 'follower', topic: 't', partition: 0 }], 'rest'],
    oneWay: true,
  });
  assert.deepEqual(faultFromFlags('partition', 'n1', { from: 'n2,n3' }).kind, 'partition');
  assert.throws(() => faultFromFlags('restart', 'n1', { downMs: 700_000 }), /^UsageError: --down-ms: expected a whole number in \[0, 600000\], got 700000$|--down-ms: expected/);
  assert.throws(() => faultFromFlags('partition', 'n1', { shape: 'halves' }), /--shape: give one of target, groups and shape/);
  assert.throws(() => faultFromFlags('kill', 'bogus:1', {}), /^UsageError: target: unknown target 'bogus:1'/);
});

test('the seed-001 scenario fixture still loads with typed faults', () => {
  const scenario = parseScenario(VALID_SCENARIO, 'x.yaml');
  assert.deepEqual(scenario.faults[0]?.fault, { kind: 'kill', target: { kind: 'leader', topic: 'test1', partition: 0 } });
});

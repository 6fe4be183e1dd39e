import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFaultsWithinUndoExpiry } from '../../../src/runner/undo-expiry.js';
import { UsageError } from '../../../src/errors.js';
import { parseFault } from '../../../src/nemesis/index.js';
import type { ScheduledFault } from '../../../src/scenario/scenario.js';

const kill = parseFault({ kind: 'kill', target: 'leader:t' });
const faults: ScheduledFault[] = [
  { at: { sentFraction: 0.3 }, fault: kill, healAfterMs: 15_000 },
  { at: { sentFraction: 0.6 }, fault: kill },
  { at: { afterMs: 40_000 }, fault: kill, healAfterMs: 20_000 },
];

test('faults that heal before the SSH hosts undo them pass; on this machine there is no expiry to check', () => {
  assert.doesNotThrow(() => assertFaultsWithinUndoExpiry('s1', faults, 20_001));
  assert.doesNotThrow(() => assertFaultsWithinUndoExpiry('s1', faults, undefined));
  assert.doesNotThrow(() => assertFaultsWithinUndoExpiry('s1', [], 5_000));
});

test('the first fault that would outlast the hosts\' undo expiry is one error naming the scenario, the fault and both times', () => {
  assert.throws(() => assertFaultsWithinUndoExpiry('s1', faults, 20_000), (e: unknown) =>
    e instanceof UsageError && e.message.startsWith("s1: faults[2].healAfterMs: 20000 ms is not below the SSH hosts' undo expiry (undoAfterMs 20000 ms)"));
  assert.throws(() => assertFaultsWithinUndoExpiry('s1', faults, 10_000), (e: unknown) => e instanceof UsageError && e.message.includes('faults[0]'));
});

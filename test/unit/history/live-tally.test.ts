import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActiveFaults, MAX_ACTIVE_FAULTS } from '../../../src/history/active-faults.js';
import { LiveTally } from '../../../src/history/live-tally.js';
import { Run } from '../../../src/history/run.js';
import { EVENTS_FILE } from '../../../src/history/active-run.js';
import type { EventRecord, OpRecord } from '../../../src/history/operation.js';

process.env['FAULTLINE_HOME'] = mkdtempSync(join(tmpdir(), 'faultline-home-'));

const event = (name: string, faultId?: string, timeMs = 0, extra: Partial<EventRecord> = {}): EventRecord => ({ kind: 'event', timeMs, event: name, ...(faultId === undefined ? {} : { faultId }), ...extra });
const send = (type: OpRecord['type']): OpRecord => ({ kind: 'op', type, f: 'send', process: 'p0', value: 'p0-000001', timeMs: 1 });

test('ActiveFaults: a fault is in effect from its start to its heal; errors, other events and unknown heals change nothing', () => {
  const faults = new ActiveFaults();
  let changes = 0;
  const unsubscribe = faults.subscribe(() => changes++);
  faults.add(event('fault-start', 'f1', 100, { fault: 'kill', target: 'leader(t,0)' }));
  faults.add(event('fault-start', 'restart-all', 200, { fault: 'full-restart', target: 'cluster' }));
  assert.deepEqual(faults.list(), [{ id: 'f1', fault: 'kill', target: 'leader(t,0)', sinceMs: 100 }, { id: 'restart-all', fault: 'full-restart', target: 'cluster', sinceMs: 200 }]);
  faults.add(event('fault-error', 'f1'));
  faults.add(event('fault-heal', 'f9'));
  faults.add(event('node-stop', undefined, 0, { node: 'n1' }));
  faults.add(event('fault-heal'));
  assert.equal(faults.count, 2);
  assert.equal(changes, 2, 'only starts and real heals are changes');
  faults.add(event('fault-heal', 'f1'));
  assert.deepEqual(faults.list().map((f) => f.id), ['restart-all']);
  unsubscribe();
  faults.add(event('fault-heal', 'restart-all'));
  assert.equal(faults.count, 0);
  assert.equal(changes, 3, 'no calls after unsubscribe');
});

test('ActiveFaults: bounded, and a throwing listener does not break the fold', () => {
  const faults = new ActiveFaults();
  faults.subscribe(() => {
    throw new Error('boom');
  });
  for (let i = 0; i < MAX_ACTIVE_FAULTS + 5; i++) faults.add(event('fault-start', `f${i}`));
  assert.equal(faults.count, MAX_ACTIVE_FAULTS);
  faults.add(event('fault-heal', 'f0'));
  assert.equal(faults.count, MAX_ACTIVE_FAULTS - 1);
});

test('LiveTally: send outcomes, consumed records, last probe per name, open steps', () => {
  const tally = new LiveTally();
  for (const type of ['invoke', 'invoke', 'invoke', 'ok', 'ok', 'fail', 'info'] as const) tally.add(send(type));
  tally.add({ kind: 'op', type: 'ok', f: 'consume', process: 'c0', value: 'p0-000001', timeMs: 2 });
  tally.add({ kind: 'op', type: 'ok', f: 'read', process: 'r0', value: 'p0-000001', timeMs: 3 });
  assert.deepEqual(tally.sendCounts, { invoked: 3, acked: 2, failed: 1, unknown: 1 });
  assert.equal(tally.consumed, 1, 'read-back records are not consumed records');
  tally.add({ kind: 'probe', timeMs: 10, name: 'healthy', probe: 'cluster-health', phase: 'before', ok: true });
  tally.add({ kind: 'probe', timeMs: 20, name: 'rt', probe: 'round-trip', phase: 'during', ok: true });
  tally.add({ kind: 'probe', timeMs: 30, name: 'healthy', probe: 'cluster-health', phase: 'during', ok: false });
  assert.deepEqual(tally.lastProbes(), [{ name: 'healthy', ok: false, timeMs: 30 }, { name: 'rt', ok: true, timeMs: 20 }]);
  const step = (name: string, step: string): void => tally.add(event(name, undefined, 0, { detail: { step } }));
  step('step-start', 'chaos');
  step('step-start', 'chaos.1.kill');
  assert.deepEqual(tally.steps(), ['chaos', 'chaos.1.kill']);
  step('step-end', 'chaos.1.kill');
  assert.deepEqual(tally.steps(), ['chaos']);
  step('step-start', 'chaos.2.kill');
  step('step-end', 'chaos');
  assert.deepEqual(tally.steps(), [], 'the outer end closes what it holds');
  tally.add(event('fault-start', 'f1'));
  assert.equal(tally.faults.count, 1);
});

test('Run.live sees in-process events, appended records and events folded from events.jsonl', async () => {
  const root = mkdtempSync(join(tmpdir(), 'faultline-run-'));
  try {
    const run = Run.create(root, { run: 'live' }, { foldIntervalMs: 0, markActive: false });
    run.events({ event: 'fault-start', faultId: 'f1', fault: 'pause', target: 'n2' });
    run.append(send('ok'));
    appendFileSync(join(run.path, EVENTS_FILE), JSON.stringify(event('fault-start', 'f2', 5, { fault: 'kill', target: 'n3' })) + '\n');
    assert.equal(run.foldEvents(), 1);
    assert.deepEqual(run.live.faults.list().map((f) => f.id), ['f1', 'f2']);
    run.events({ event: 'fault-heal', faultId: 'f1' });
    assert.deepEqual(run.live.faults.list().map((f) => f.id), ['f2']);
    assert.equal(run.live.sendCounts.acked, 1);
    await run.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

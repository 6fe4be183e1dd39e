import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Run, withRun } from '../../../src/history/run.js';
import { ACTIVE_RUN_FILE, activeRunSink, EVENTS_FILE, readActiveRun } from '../../../src/history/active-run.js';
import type { EventRecord } from '../../../src/history/operation.js';

// The marker lives in the faultline home: never touch the real one.
const home = mkdtempSync(join(tmpdir(), 'faultline-home-'));
process.env['FAULTLINE_HOME'] = home;

const tmp = (): string => mkdtempSync(join(tmpdir(), 'faultline-run-'));
const activeRunModule = fileURLToPath(new URL('../../../src/history/active-run.js', import.meta.url));

/** Fires an event through the nemesis's default sink from a second node process. */
function fireFromAnotherProcess(faultId: string, event = 'fault-start'): void {
  const code = `const m = await import(process.env.SINK_MODULE); m.activeRunSink({ event: '${event}', faultId: '${faultId}', fault: 'pause', target: 'n2', node: ['n2'] });`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { env: { ...process.env, SINK_MODULE: activeRunModule }, encoding: 'utf8', timeout: 20_000 });
  assert.equal(child.status, 0, child.stderr);
}

function historyEvents(historyPath: string): EventRecord[] {
  return readFileSync(historyPath, 'utf8').split('\n').filter((l) => l.includes('"kind":"event"')).map((l) => JSON.parse(l) as EventRecord);
}

async function waitUntil(what: string, probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('a fault fired from a second process is folded into the history while the run is live, once', async () => {
  const root = tmp();
  try {
    const run = Run.create(root, { run: 'live' }, { foldIntervalMs: 20 });
    assert.equal(readActiveRun()?.dir, run.path, 'the run is marked active');
    await new Promise((resolve) => setTimeout(resolve, 50));
    fireFromAnotherProcess('f7');
    assert.ok(existsSync(join(run.path, EVENTS_FILE)), 'the other process wrote events.jsonl');
    await waitUntil('the live fold', () => run.foreignEvents.length === 1);
    const folded = run.foreignEvents[0];
    assert.equal(folded?.faultId, 'f7');
    assert.ok(folded.timeMs >= 40 && folded.timeMs <= run.elapsedMs() + 5, `stamped on the run clock: ${folded.timeMs}`);
    // More live folds and the final fold at close must not take the line again.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await run.close();
    assert.deepEqual(historyEvents(run.historyPath).map((e) => [e.event, e.faultId]), [['fault-start', 'f7']]);
    assert.equal(run.foreignEvents.length, 1);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('fold at close only (no live tail), a partial line carried until complete, a torn last line skipped', async () => {
  const root = tmp();
  try {
    const run = Run.create(root, { run: 'torn' }, { foldIntervalMs: 0 });
    const events = join(run.path, EVENTS_FILE);
    const line = (id: string): string => JSON.stringify({ kind: 'event', timeMs: 5, event: 'fault-start', faultId: id });
    appendFileSync(events, line('f1') + '\n' + line('f2').slice(0, 20));
    assert.equal(run.foldEvents(), 1, 'the complete line only');
    appendFileSync(events, line('f2').slice(20) + '\n');
    assert.equal(run.foldEvents(), 1, 'the partial line, once complete');
    assert.equal(run.foldEvents(), 0, 'nothing twice');
    // A writer that died mid-line, then another writer's whole line glued to it, then a torn tail.
    appendFileSync(events, '{"kind":"event","ti' + line('f3') + '\n' + 'not json\n' + line('f4').slice(0, 30));
    await run.close();
    assert.deepEqual(historyEvents(run.historyPath).map((e) => e.faultId), ['f1', 'f2', 'f3']);
    assert.equal(run.malformedEventLines, 2, 'the garbage line and the torn tail');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('close is idempotent, clears the marker, and the default sink then drops events', async () => {
  const root = tmp();
  try {
    const run = Run.create(root, { run: 'closing' });
    run.events({ event: 'fault-start', faultId: 'f1' });
    const first = run.close();
    assert.equal(run.close(), first, 'one close, however often it is called');
    await first;
    await run.close();
    assert.equal(readActiveRun(), undefined);
    assert.equal(existsSync(join(home, ACTIVE_RUN_FILE)), false);
    activeRunSink({ event: 'fault-start', faultId: 'late' });
    run.events({ event: 'fault-heal', faultId: 'f1' });
    assert.equal(existsSync(join(run.path, EVENTS_FILE)), false, 'no run active: nothing written');
    assert.deepEqual(historyEvents(run.historyPath).map((e) => e.faultId), ['f1'], 'in-process sink: once, nothing after close');
    assert.throws(() => run.append({ kind: 'op', type: 'invoke', f: 'send', process: 'p0', value: 'p0-000000', timeMs: 1 }), /closed/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('withRun clears the marker and closes the run when the body throws', async () => {
  const root = tmp();
  try {
    const run = Run.create(root, { run: 'throws' });
    await assert.rejects(withRun(run, async () => {
      assert.equal(readActiveRun()?.dir, run.path);
      activeRunSink({ event: 'fault-start', faultId: 'f9' });
      throw new Error('workload failed');
    }), /workload failed/);
    assert.equal(readActiveRun(), undefined);
    assert.ok(run.closed);
    assert.deepEqual(historyEvents(run.historyPath).map((e) => e.faultId), ['f9'], 'folded at close even on an error');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a run reopened to append (consume --run) folds only events written after it reopened, on the run clock', async () => {
  const root = tmp();
  try {
    const first = Run.create(root, { run: 'again', startedAt: new Date(Date.now() - 60_000).toISOString() });
    activeRunSink({ event: 'fault-start', faultId: 'f1' });
    await first.close();
    const sizeAfterFirst = statSync(first.historyPath).size;
    const reopened = await Run.reopen(first.path, { foldIntervalMs: 0 });
    assert.equal(readActiveRun()?.dir, reopened.path);
    assert.ok(reopened.elapsedMs() >= 60_000 && reopened.elapsedMs() < 70_000, `clock counts from meta.startedAt: ${reopened.elapsedMs()}`);
    activeRunSink({ event: 'fault-heal', faultId: 'f1' });
    await reopened.close();
    assert.ok(statSync(first.historyPath).size > sizeAfterFirst);
    assert.deepEqual(historyEvents(first.historyPath).map((e) => e.event), ['fault-start', 'fault-heal']);
    assert.equal(readActiveRun(), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

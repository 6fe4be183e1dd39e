import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProbe } from '../../../src/experiment/probes/probe-spec.js';
import { ProbeMemory } from '../../../src/experiment/probes/probe-context.js';
import { ProbeLoop } from '../../../src/experiment/runner/probe-phase.js';
import type { ProbeRecord } from '../../../src/history/operation.js';
import { Run } from '../../../src/history/run.js';

process.env['FAULTLINE_HOME'] = mkdtempSync(join(tmpdir(), 'faultline-home-'));

/** Idle, the loop looks again every interval; a fault-start must wake it sooner. */
const INTERVAL_MS = 500;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A probe that needs no cluster: a command that exits 0 at once. */
const quickProbe = parseProbe({ name: 'quick', kind: 'command', command: [process.execPath, '-e', ''], mode: 'on-fault', intervalMs: 500 }, []);

function probeRecords(historyPath: string): ProbeRecord[] {
  return readFileSync(historyPath, 'utf8').split('\n').filter((l) => l.includes('"kind":"probe"')).map((l) => JSON.parse(l) as ProbeRecord);
}

test("an on-fault ProbeLoop waits for the run's fault-start, probes while the fault lasts, stops at its heal", async () => {
  const root = mkdtempSync(join(tmpdir(), 'faultline-onfault-'));
  const run = Run.create(root, { run: 'onfault' }, { foldIntervalMs: 0, markActive: false });
  const runner = { run, context: { bootstrap: '127.0.0.1:1', brokers: [], memory: new ProbeMemory(), nowMs: () => run.elapsedMs() } };
  const loop = new ProbeLoop(runner, [{ spec: quickProbe, intervalMs: INTERVAL_MS }], 'during', undefined, run.live.faults);
  try {
    loop.start();
    // Two idle turns pass; the fault comes 200 ms into the third, so polling alone would start 300 ms late.
    await sleep(2 * INTERVAL_MS + 200);
    assert.equal(run.live.lastProbes().length, 0, 'no fault, no probe');
    const startedMs = run.elapsedMs();
    run.events({ event: 'fault-start', faultId: 'f1', fault: 'pause', target: 'n1' });
    await sleep(2.5 * INTERVAL_MS);
    run.events({ event: 'fault-heal', faultId: 'f1' });
    const healedMs = run.elapsedMs();
    await sleep(1.5 * INTERVAL_MS);
    await loop.stop();
    await run.close();
    const records = probeRecords(run.historyPath);
    const times = records.map((r) => r.timeMs);
    assert.ok(records.length >= 2 && records.every((r) => r.ok && r.phase === 'during'), `it ran on its interval, recorded as during: ${JSON.stringify(records)}`);
    assert.ok((times[0] ?? 0) - startedMs < 150, `it started at once (woken by the fault-start): ${times[0]} vs fault at ${startedMs}`);
    assert.ok(times.every((t) => t >= startedMs && t <= healedMs), `every run within the fault: ${times.join(', ')} (${startedMs}..${healedMs})`);
  } finally {
    await loop.stop();
    await run.close();
    rmSync(root, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TimelineBuilder, readTimeline } from '../../../src/report/timeline.js';
import type { JournalRecord } from '../../../src/history/operation.js';
import { FAULT_HEAL_MS, FAULT_START_MS, sampleRecords, writeSampleRun } from './sample-run.js';

const timelineOf = (records: readonly JournalRecord[]) => {
  const b = new TimelineBuilder();
  for (const r of records) b.add(r);
  return b.result();
};

const send = (type: 'invoke' | 'ok' | 'fail' | 'info', value: string, timeMs: number): JournalRecord => ({ kind: 'op', type, f: 'send', process: 'p0', value, timeMs, ...(type === 'ok' ? { partition: 0, offset: 0 } : {}) });

test('buckets count acknowledged, failed and unknown sends per second by completion time, with latency per bucket', () => {
  const t = timelineOf([
    send('invoke', 'a', 100), send('ok', 'a', 110),
    send('invoke', 'b', 200), send('ok', 'b', 400),
    send('invoke', 'c', 900), send('ok', 'c', 1900),
    send('invoke', 'd', 950), send('fail', 'd', 1200),
    send('invoke', 'e', 960), send('info', 'e', 2500),
  ]);
  assert.deepEqual(t.series.timeS, [0, 1, 2]);
  assert.deepEqual(t.series.acked, [2, 1, 0]);
  assert.deepEqual(t.series.failed, [0, 1, 1]);
  assert.equal(t.series.latencyMaxMs[0], 200);
  assert.equal(t.series.latencyMaxMs[1], 1000);
  assert.equal(t.series.latencyMaxMs[2], null);
  // p50 of {10, 200}: the first (rank 1), within the bins' 2%.
  assert.ok(Math.abs((t.series.latencyP50Ms[0] ?? 0) - 10) <= 0.2, String(t.series.latencyP50Ms[0]));
  assert.equal(t.durationMs, 2500);
  assert.deepEqual(t.has, { sends: true, consume: false, readBack: false, lag: false });
  assert.deepEqual(t.series.lag, [null, null, null], 'no consumer group: no journal lag');
});

test('latency percentiles stay within 2% of the exact ones over many sends in one second', () => {
  const records: JournalRecord[] = [];
  for (let i = 1; i <= 1000; i++) records.push(send('invoke', `v${i}`, 0), send('ok', `v${i}`, i * 0.9));
  const t = timelineOf(records);
  assert.ok(Math.abs((t.series.latencyP50Ms[0] ?? 0) - 450) / 450 <= 0.02, String(t.series.latencyP50Ms[0]));
  assert.ok(Math.abs((t.series.latencyP99Ms[0] ?? 0) - 891) / 891 <= 0.02, String(t.series.latencyP99Ms[0]));
  assert.equal(t.series.latencyMaxMs[0], 900);
});

test('fault periods pair start and heal by id, label `<id> <kind> <target>`, and carry the recovery time', () => {
  const t = timelineOf(sampleRecords());
  assert.deepEqual(t.faults.map((f) => [f.label, f.startMs, f.endMs]), [['f1 kill leader:t1', FAULT_START_MS, FAULT_HEAL_MS]]);
  // Sends invoked from 12 s are acknowledged after 5 ms.
  assert.equal(t.faults[0]?.recoveryMs, 2005);
  const unhealed = timelineOf([{ kind: 'event', timeMs: 50, event: 'fault-start', faultId: 'f9', fault: 'pause', target: 'node:n2' }]);
  assert.deepEqual(unhealed.faults.map((f) => [f.label, f.endMs, f.recoveryMs]), [['f9 pause node:n2', null, null]]);
});

test('leader and ISR changes come from consecutive samples of a partition; the first sample is no change', () => {
  const t = timelineOf(sampleRecords());
  assert.deepEqual(t.leaderChanges, [{ timeMs: 11_000, topic: 't1', partition: 0, from: 1, to: 2 }]);
  assert.deepEqual(t.isrChanges.map((c) => [c.timeMs, c.from, c.to]), [[11_000, [1, 2, 3], [2, 3]], [18_000, [2, 3], [1, 2, 3]]]);
});

test('probe results, consumed records and read-backs are marked', () => {
  const t = timelineOf(sampleRecords());
  assert.deepEqual(t.probes.map((p) => [p.timeMs, p.phase, p.name, p.ok]), [[500, 'before', 'cluster healthy', true], [12_500, 'during', 'round trip', false], [29_000, 'after', 'cluster healthy', true]]);
  assert.equal(t.series.consumed[0], 20);
  assert.equal(t.series.consumed.reduce((a, b) => a + b, 0), 20);
  assert.deepEqual(t.readBacks.map((r) => [r.read, r.complete]), [[560, true]]);
  assert.deepEqual(t.has, { sends: true, consume: true, readBack: true, lag: false });
});

test('a run with only events has empty series and no panels to draw', () => {
  const t = timelineOf([{ kind: 'event', timeMs: 2500, event: 'fault-start', faultId: 'f1', fault: 'kill', target: 'node:n1' }]);
  assert.deepEqual(t.has, { sends: false, consume: false, readBack: false, lag: false });
  assert.deepEqual(t.series.acked, [0, 0, 0]);
  assert.equal(t.faults.length, 1);
});

test('reading the journal file (fast lane for op lines) gives the same timeline as feeding the records', async () => {
  const root = mkdtempSync(join(tmpdir(), 'faultline-timeline-'));
  try {
    const runDir = await writeSampleRun(root);
    const fromFile = await readTimeline(join(runDir, 'history.jsonl'));
    assert.deepEqual(fromFile, timelineOf(sampleRecords()));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkJournalWith, runCheckers } from '../../../src/checker/check-run.js';
import { formatRunCheckText } from '../../../src/checker/report-text.js';
import { WindowJournalChecker } from '../../../src/checker/window-journal.js';
import type { WindowVerdict } from '../../../src/checker/window-types.js';
import { encodeRecord } from '../../../src/history/record-encode.js';
import type { JournalRecord } from '../../../src/history/operation.js';
import { pipelineEventTimeMs, type PipelineWindowsMeta } from '../../../src/history/pipeline-meta.js';

/** 1 s windows from t=10,000 ms, one id per 100 ms, 2 keys: ids 0..9 in [10000, 11000), 10..19 in [11000, 12000). */
const clock: PipelineWindowsMeta = { topic: 'in-windows', sizeMs: 1000, latenessMs: 500, startMs: 10_000, msPerId: 100, lateEvery: 0, lateByMs: 0 };

function meta(windows: PipelineWindowsMeta | undefined): JournalRecord {
  return { kind: 'meta', timeMs: 0, formatVersion: 4, startedAt: '2026-12-02T00:00:00.000Z', run: 'w', pipeline: { inputTopic: 'in', outputTopic: 'in-out', dlqTopic: 'in-dlq', guarantee: 'exactly-once', keys: 2, ...(windows ? { windows } : {}) } };
}

function sends(ids: readonly number[], poisonEvery = 0): JournalRecord[] {
  return ids.flatMap((id, i) => {
    const value = poisonEvery > 0 && id % poisonEvery === poisonEvery - 1 ? `!${id}` : String(id);
    return [
      { kind: 'op', type: 'invoke', f: 'send', process: 'in', value, timeMs: i },
      { kind: 'op', type: 'ok', f: 'send', process: 'in', value, timeMs: i + 0.5, partition: 0, offset: i },
    ];
  });
}

function result(key: string, startMs: number, count: number, offset: number): JournalRecord {
  return { kind: 'out', timeMs: 100, reader: 'live', topic: clock.topic, partition: 0, offset, key, value: `${startMs}:${startMs + 1000}:${count}` };
}

function progress(watermarkMs: number | null, query = 'windows'): JournalRecord {
  return { kind: 'event', timeMs: 200, event: 'job-progress', detail: { job: 'j1', instance: 1, query, batch: 3, rows: 10, watermarkMs, lateDropped: 0, durationMs: 10 } };
}

function check(records: readonly JournalRecord[]): WindowVerdict {
  const c = new WindowJournalChecker();
  for (const r of records) c.add(r);
  return c.result();
}

const ids = Array.from({ length: 20 }, (_, i) => i);
/** Ids 0..9: k0 has the 5 even ones, k1 the 5 odd ones (keys = 2) in window [10000, 11000). */
const firstWindow = [result('k0', 10_000, 5, 0), result('k1', 10_000, 5, 1)];

test('the event clock: ids spaced by msPerId from startMs, every lateEvery-th one lateByMs earlier', () => {
  assert.equal(pipelineEventTimeMs(0, clock), 10_000);
  assert.equal(pipelineEventTimeMs(15, clock), 11_500);
  const late = { ...clock, lateEvery: 10, lateByMs: 3000 };
  assert.equal(pipelineEventTimeMs(9, late), 10_900 - 3000);
  assert.equal(pipelineEventTimeMs(10, late), 11_000);
  assert.equal(pipelineEventTimeMs(3, { ...clock, msPerId: 1000 / 3 }), 11_000);
});

test('windows from the journal: the final window judged from the input, the open one only listed; the records query watermark is not the windows one', () => {
  const v = check([meta(clock), ...sends(ids), ...firstWindow, progress(11_100), progress(99_000, 'records')]);
  assert.equal(v.valid, true, v.reasons.join('; '));
  assert.equal(v.applicable, undefined);
  assert.equal(v.watermarkMs, 11_100);
  assert.equal(v.totals.events, 20);
  assert.equal(v.totals.finalWindows, 2);
  assert.equal(v.totals.openWindows, 2);
  assert.deepEqual(v.late.droppedLate, { min: 0, max: 0 });
});

test('a window one short is a late drop, counted exactly; poison inputs are not events; no watermark is unknown', () => {
  const short = check([meta(clock), ...sends(ids, 10), result('k0', 10_000, 5, 0), result('k1', 10_000, 3, 1), progress(11_000)]);
  // id 9 is poison (!9): k1's window holds 1, 3, 5, 7 = 4 events, the result says 3.
  assert.equal(short.totals.events, 18);
  assert.deepEqual(short.late.droppedLate, { min: 1, max: 1 });
  assert.equal(short.valid, true);
  assert.equal(check([meta(clock), ...sends(ids), ...firstWindow]).valid, 'unknown');
});

test('an emitted window counted twice under the exactly-once sink fails; not applicable without windows in the meta', () => {
  const twice = check([meta(clock), ...sends(ids), ...firstWindow, result('k0', 10_000, 5, 7), progress(11_000)]);
  assert.equal(twice.valid, false);
  assert.equal(twice.findings.duplicate?.count, 1);
  const none = check([meta(undefined), ...sends(ids)]);
  assert.equal(none.applicable, false);
});

test('from a journal file (the op fast lane) the verdict is the same as from records, and faultline check prints it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-window-'));
  try {
    const records = [meta(clock), ...sends(ids, 10), result('k0', 10_000, 5, 0), result('k1', 10_000, 3, 1), progress(11_000)];
    const path = join(dir, 'history.jsonl');
    writeFileSync(path, records.map((r) => encodeRecord(r) + '\n').join(''));
    const fromFile = await checkJournalWith(path, runCheckers());
    assert.deepEqual(fromFile.checkers.window, check(records));
    assert.match(formatRunCheckText(fromFile), /window: VALID: 18 events/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

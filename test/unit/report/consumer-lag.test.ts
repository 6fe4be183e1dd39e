import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { JournalRecord, OpType } from '../../../src/history/operation.js';
import { lagSentences, lagSummary } from '../../../src/report/lag-summary.js';
import { loadRunReport } from '../../../src/report/run-report.js';
import { renderHtmlReport } from '../../../src/report/html.js';
import { renderMarkdownReport } from '../../../src/report/markdown.js';
import { readTimeline, TimelineBuilder, type TimelineOptions } from '../../../src/report/timeline.js';
import { sampleRecords, writeSampleRun } from './sample-run.js';

const timelineOf = (records: readonly JournalRecord[], options: TimelineOptions = { consumerGroup: true }) => {
  const b = new TimelineBuilder(options);
  for (const r of records) b.add(r);
  return b.result();
};

const send = (type: OpType, value: string, timeMs: number): JournalRecord => ({ kind: 'op', type, f: 'send', process: 'p0', value, timeMs, ...(type === 'ok' ? { partition: 0, offset: 0 } : {}) });
const consume = (value: string, timeMs: number): JournalRecord => ({ kind: 'op', type: 'ok', f: 'consume', process: 'c0', value, timeMs, partition: 0, offset: 0 });

/** A history whose lag is known at the end of every second: [1, 1, 1, 0, 1]. */
const KNOWN_LAG: readonly JournalRecord[] = [
  send('invoke', 'a', 100), send('ok', 'a', 200), // a acknowledged: 1
  send('invoke', 'b', 300), consume('b', 350), send('ok', 'b', 400), // b received before its ack: still 1
  send('invoke', 'c', 1100), send('ok', 'c', 1200), consume('a', 1500), consume('a', 1600), // c in, a out (twice): 1
  // second 2: nothing happens, the lag holds
  send('invoke', 'd', 3100), send('fail', 'd', 3200), consume('d', 3300), // failed then received: never lag
  send('invoke', 'e', 3400), send('info', 'e', 3500), consume('e', 3600), consume('c', 3700), // c out: 0
  send('invoke', 'f', 4200), send('ok', 'f', 4300), send('invoke', 'g', 4400), consume('g', 4500), send('info', 'g', 4600), // f in: 1
];

test('journal lag per second: acknowledged sends not yet consumed, at each second\'s end (early receives, duplicates and failed sends are no lag)', () => {
  const t = timelineOf(KNOWN_LAG);
  assert.deepEqual(t.series.lag, [1, 1, 1, 0, 1]);
  assert.equal(t.has.lag, true);
  assert.deepEqual(t.series.consumed, [1, 2, 0, 3, 1]);
});

test('the lag is tracked when the meta record says consumerGroup (as the consumer checker), else not at all', () => {
  const meta: JournalRecord = { kind: 'meta', timeMs: 0, formatVersion: 2, startedAt: '2025-01-01T00:00:00.000Z', run: 'x', consumerGroup: true };
  assert.deepEqual(timelineOf([meta, ...KNOWN_LAG], {}).series.lag, [1, 1, 1, 0, 1]);
  const without = timelineOf(KNOWN_LAG, {});
  assert.equal(without.has.lag, false);
  assert.deepEqual(without.series.lag, [null, null, null, null, null]);
  // The caller's word wins over the meta's.
  assert.equal(timelineOf([meta, ...KNOWN_LAG], { consumerGroup: false }).has.lag, false);
});

interface Life {
  completion: 'ok' | 'fail' | 'info';
  invokeMs: number;
  completeAfterMs: number;
  consumeAfterMs: number[];
}

test('property: at every second\'s end the lag is the number of values acknowledged by then and not received by then', () => {
  const life = fc.record({
    completion: fc.constantFrom('ok' as const, 'fail' as const, 'info' as const),
    invokeMs: fc.integer({ min: 0, max: 5000 }),
    completeAfterMs: fc.integer({ min: 0, max: 1500 }),
    consumeAfterMs: fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 2 }),
  });
  fc.assert(
    fc.property(fc.array(life, { maxLength: 40 }), (lives: Life[]) => {
      const records: JournalRecord[] = [];
      lives.forEach((l, i) => {
        const v = `p0-${i}`;
        records.push(send('invoke', v, l.invokeMs), send(l.completion, v, l.invokeMs + l.completeAfterMs));
        for (const c of l.consumeAfterMs) records.push(consume(v, l.invokeMs + c));
      });
      // Stable: a value's invoke stays before its receives at the same ms.
      records.sort((a, b) => a.timeMs - b.timeMs);
      const t = timelineOf(records);
      t.series.lag.forEach((lag, bucket) => {
        const endMs = (bucket + 1) * 1000;
        const expected = lives.filter((l) => l.completion === 'ok' && l.invokeMs + l.completeAfterMs < endMs && !l.consumeAfterMs.some((c) => l.invokeMs + c < endMs)).length;
        assert.equal(lag, expected, `second ${bucket}`);
      });
    }),
    { numRuns: 300 },
  );
});

test('rebalance events and consumer-group probes become marks; recovery times are measured per fault', () => {
  const t = timelineOf(sampleRecords({ consumerGroup: true }));
  assert.equal(t.rebalances.length, 8);
  assert.deepEqual(t.rebalances[4], { timeMs: 11_200, member: 'c1', group: 'g1', topic: 't1', assigned: [0, 1], revoked: [] });
  assert.deepEqual(t.lagProbes.map((p) => [p.timeMs, p.maxLag, p.ok]), [[5000, 2, true], [14_000, 40, false], [19_000, 0, true]]);
  // Steady: the 3 values acknowledged in the last 150 ms; partition 0 held back from 12 s to 17 s.
  assert.deepEqual(t.series.lag.slice(0, 10), Array<number>(10).fill(3));
  assert.deepEqual(t.series.lag.slice(10, 18), [0, 0, 12, 22, 32, 42, 52, 3]);
  assert.deepEqual(t.recovery.map((f) => [f.faultId, f.measures.detectionMs, f.measures.firstWriteMs, f.measures.lagRecoveredMs, f.measures.roundTripRecoveredMs]), [['f1', 1000, 2005, 9000, null]]);
  // A rebalance without a member is no mark; a probe value without a numeric maxLag is no lag point.
  const odd = timelineOf([{ kind: 'event', timeMs: 1, event: 'rebalance', detail: { group: 'g1' } }, { kind: 'probe', timeMs: 2, name: 'g', probe: 'consumer-group', phase: 'during', ok: false, detail: 'timed out' }]);
  assert.deepEqual([odd.rebalances, odd.lagProbes], [[], []]);
});

test('lag summary: peak, back under the pre-fault level, probe peak and recovery, rebalances per member', () => {
  const s = lagSummary(timelineOf(sampleRecords({ consumerGroup: true })));
  assert.deepEqual(s.peak, { lag: 52, atMs: 16_000 });
  assert.equal(s.settledLag, 3);
  assert.equal(s.backUnderMs, 17_000);
  assert.deepEqual(s.probePeak, { lag: 40, atMs: 14_000 });
  assert.deepEqual(s.probeRecovery, [{ faultId: 'f1', afterMs: 9000 }]);
  assert.deepEqual(s.rebalances, [{ member: 'c0', callbacks: 3, assigns: 2, revokes: 1 }, { member: 'c1', callbacks: 5, assigns: 3, revokes: 2 }]);
  // No consumer group, no probes, no rebalances: nothing to say.
  assert.deepEqual(lagSentences(lagSummary(timelineOf(KNOWN_LAG, { consumerGroup: false }))), []);
});

test('report.md and report.html of a consumer-group run: the lag and rebalance summary, recovery times, the rebalance table; the file reads as the records do', async () => {
  const root = mkdtempSync(join(tmpdir(), 'faultline-lag-'));
  try {
    const runDir = await writeSampleRun(root, { consumerGroup: true });
    assert.deepEqual(await readTimeline(join(runDir, 'history.jsonl')), timelineOf(sampleRecords({ consumerGroup: true })));
    const report = await loadRunReport(runDir);
    const md = renderMarkdownReport(report);
    assert.match(md, /## Consumer lag and rebalances\n\n- Consumer lag from the journal \(acknowledged, not yet consumed\): peak 52 in the second from 16\.0 s; back to 3 or less \(its largest before the first fault\) in the second from 17\.0 s\./);
    assert.match(md, /- Consumer-group probes: largest maxLag 40 at 14\.0 s; f1: a consumer-group probe passed 9\.0 s after it started\./);
    assert.match(md, /- Rebalances: c0 3 \(2 assigned, 1 revoked\), c1 5 \(3 assigned, 2 revoked\)\./);
    assert.match(md, /\| fault \| started \| detected \| first write \| lag under tolerance \|\n\|---\|---\|---\|---\|---\|\n\| f1 kill leader:t1 \| 10\.0 s \| \+1\.0 s \| \+2\.0 s \| \+9\.0 s \|/);
    const html = renderHtmlReport(report);
    assert.match(html, /<h3>Consumer lag and rebalances<\/h3><ul class="consumer-summary"><li>Consumer lag from the journal/);
    assert.match(html, /<tr><td>11\.2 s<\/td><td>c1<\/td><td>g1<\/td><td>0, 1<\/td><td>-<\/td><\/tr>/);
    assert.match(html, /<table class="recovery">/);
    // The consumer group received every acknowledged value and drained: the run stays valid.
    assert.equal(report.check.checkers.consumer.valid, true, report.check.checkers.consumer.evidence);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

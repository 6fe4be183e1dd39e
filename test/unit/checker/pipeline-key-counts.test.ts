import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkJournalWith, runCheckers } from '../../../src/checker/check-run.js';
import { PipelineChecker } from '../../../src/checker/pipeline-checker.js';
import { PipelineFindings } from '../../../src/checker/pipeline-findings.js';
import { judgeKeyCounts } from '../../../src/checker/pipeline-key-count-findings.js';
import { KeyCountTally } from '../../../src/checker/pipeline-key-counts.js';
import { formatRunCheckText } from '../../../src/checker/report-text.js';
import type { PipelineKeyCounts, PipelineVerdict } from '../../../src/checker/pipeline-verdict.js';
import { readJournal } from '../../../src/history/journal-reader.js';
import type { JournalRecord } from '../../../src/history/operation.js';
import { encodeRecord } from '../../../src/history/record-encode.js';
import { pipelineVerdictLines } from '../../../src/runner/pipeline-row.js';
import { ends, input, jobOffsets, out, pmeta } from './pipeline-examples.js';

/** [key, id, count] records into a tally, judged. */
function judge(records: readonly [key: number | string, id: number, count: number][]): { totals: PipelineKeyCounts; details: Record<string, string[]> } {
  const tally = new KeyCountTally();
  for (const [key, id, count] of records) tally.add(key, id, count);
  const findings = new PipelineFindings(100);
  const totals = judgeKeyCounts(tally, findings);
  const found = findings.result(() => 'violation');
  const details = Object.fromEntries(Object.entries(found).map(([name, f]) => [name, f.cases.map((c) => c.detail)]));
  return { totals, details };
}

test('counts 1..n of each key, each once, in any order: consistent', () => {
  const { totals, details } = judge([[0, 8, 3], [1, 1, 1], [0, 0, 1], [0, 4, 2], [1, 5, 2]]);
  assert.deepEqual(totals, { keys: 2, records: 5, inconsistentKeys: 0, repeated: { keys: 0, sameId: 0, otherId: 0 }, missing: { keys: 0, counts: 0 }, malformed: { keys: 0, records: 0 } });
  assert.deepEqual(details, {});
});

test('a count repeated by another id (the state went back) and by the same id (a replay) are told apart', () => {
  const { totals, details } = judge([[3, 3, 1], [3, 13, 2], [3, 23, 1], [3, 13, 2], [3, 33, 2]]);
  assert.deepEqual(totals.repeated, { keys: 1, sameId: 1, otherId: 2 });
  assert.equal(totals.inconsistentKeys, 1);
  assert.deepEqual(details['key-count-repeated'], ['key k3: 3 records repeat a count (2 of another id, 1 replayed): count 1 for id 3, then id 23; count 2 for id 13 again; count 2 for id 13, then id 33']);
});

test('ids of 2^32 and more are kept exactly', () => {
  const big = 2 ** 40;
  const { totals, details } = judge([[0, 5, 1], [0, big, 2], [0, big + 1, 2], [0, big, 2]]);
  assert.deepEqual(totals.repeated, { keys: 1, sameId: 1, otherId: 1 });
  assert.deepEqual(details['key-count-repeated'], [`key k0: 2 records repeat a count (1 of another id, 1 replayed): count 2 for id ${big}, then id ${big + 1}; count 2 for id ${big} again`]);
});

test('counts missing below the highest: the first few listed, all counted', () => {
  const { totals, details } = judge([[0, 0, 1], [0, 4, 6], [1, 1, 1], [1, 5, 3]]);
  assert.deepEqual(totals.missing, { keys: 2, counts: 5 });
  assert.deepEqual(details['key-count-missing'], ['key k0: 4 counts below its highest (6) in no output record: 2, 3, 4, ...', 'key k1: 1 count below its highest (3) in no output record: 2']);
});

test('a count that is not a positive integer, or beyond any running count, is malformed; text keys sort after index keys', () => {
  const { totals, details } = judge([['b', 7, -1], ['b', 9, 0], ['a', 1, 1e12], [2, 2, 1]]);
  assert.deepEqual(totals.malformed, { keys: 2, records: 3 });
  assert.equal(totals.inconsistentKeys, 2);
  assert.deepEqual(details['key-count-malformed'], ['key a: 1 output record without a positive count in range: 1:1000000000000', 'key b: 2 output records without a positive count in range: 7, 9:0']);
});

test('property: any permutation of 1..n per key is consistent; removing a count below n or doubling any makes it inconsistent', () => {
  const keyArb = fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 5 });
  fc.assert(
    fc.property(keyArb, fc.nat(), fc.nat(), fc.boolean(), (sizes, seed, pick, double) => {
      const records = sizes.flatMap((n, key) => Array.from({ length: n }, (_, i): [number, number, number] => [key, key * 1000 + i, i + 1]));
      const shuffled = fc.sample(fc.shuffledSubarray(records, { minLength: records.length, maxLength: records.length }), { seed, numRuns: 1 })[0] ?? records;
      assert.equal(judge(shuffled).totals.inconsistentKeys, 0);
      const at = pick % shuffled.length;
      const [key, id, count] = shuffled[at] as [number, number, number];
      const highest = sizes[key] as number;
      const changed = double ? [...shuffled, [key, id, count] as [number, number, number]] : shuffled.filter((_, i) => i !== at);
      const t = judge(changed).totals;
      // Removing the highest count leaves 1..n-1: still consistent.
      const inconsistent = double || count < highest;
      assert.equal(t.inconsistentKeys, inconsistent ? 1 : 0, JSON.stringify({ double, key, count, highest }));
      if (double) assert.deepEqual(t.repeated, { keys: 1, sameId: 1, otherId: 0 });
      else if (inconsistent) assert.deepEqual(t.missing, { keys: 1, counts: 1 });
    }),
    { numRuns: 300 },
  );
});

function check(records: readonly JournalRecord[]): PipelineVerdict {
  const c = new PipelineChecker();
  for (const r of records) c.add(r);
  return c.result();
}

/** Inputs 0..7 (4 keys), each output once; `count(id)` its key count (default: 1 for ids 0-3, 2 for 4-7). */
function history(guarantee: 'exactly-once' | 'at-least-once', count: (id: number) => number = (id) => Math.floor(id / 4) + 1, complete = true): JournalRecord[] {
  const records: JournalRecord[] = [pmeta(guarantee)];
  for (let id = 0; id < 8; id++) records.push(...input(id, 0, id), out(id, 0, id, 'live', `k${id % 4}`, count(id)));
  records.push(ends('out', { 0: 8 }, { reachedEnd: complete }), ends('dlq', { 0: 0 }), jobOffsets({ 0: 8 }));
  return records;
}

const found = (v: PipelineVerdict): Record<string, [number, string]> => Object.fromEntries(Object.entries(v.findings).map(([name, f]) => [name, [f.count, f.severity]]));

test('exactly-once: inconsistent counts are violations; at-least-once: listed, not judged', () => {
  assert.equal(check(history('exactly-once')).valid, true);
  // Key k1's second record counted 3: count 2 missing (the state counted output that is not there).
  const skipped = (id: number): number => (id === 5 ? 3 : Math.floor(id / 4) + 1);
  const eo = check(history('exactly-once', skipped));
  assert.equal(eo.valid, false);
  assert.deepEqual(found(eo), { 'key-count-missing': [1, 'violation'] });
  assert.match(eo.reasons.join(), /1 keys with a count below their highest in no output record/);
  assert.match(eo.evidence, /per-key counts of 1 of 4 keys inconsistent$/);
  const alo = check(history('at-least-once', skipped));
  assert.equal(alo.valid, true);
  assert.deepEqual(found(alo), { 'key-count-missing': [1, 'informational'] });
  // Counts restart at 1 for ids 4..7 (state reset): each key repeats count 1 by another id.
  const reset = check(history('exactly-once', () => 1));
  assert.deepEqual(found(reset), { 'key-count-repeated': [4, 'violation'] });
  assert.deepEqual(reset.keyCounts.repeated, { keys: 4, sameId: 0, otherId: 4 });
});

test('with incomplete reads a missing count may be unread output: not a violation, the verdict unknown', () => {
  const v = check(history('exactly-once', (id) => (id === 5 ? 3 : Math.floor(id / 4) + 1), false));
  assert.equal(v.valid, 'unknown');
  assert.equal(v.findings['key-count-missing']?.severity, 'violation');
  assert.doesNotMatch(v.reasons.join(), /count below/);
});

test('counted under the input key k<id mod keys> when the meta gives keys, else under the record key; an output without a count is malformed', () => {
  const wrongKey = history('exactly-once').map((r) => (r.kind === 'out' && r.value === '5:2' ? { ...r, key: 'k0' } : r));
  assert.deepEqual(Object.keys(check(wrongKey).findings), ['wrong-key']);
  const noKeys = (records: JournalRecord[]): JournalRecord[] => records.map((r) => (r.kind === 'meta' ? { ...pmeta(), pipeline: { inputTopic: 'in', outputTopic: 'out', dlqTopic: 'dlq', guarantee: 'exactly-once' } } : r));
  const byRecordKey = check(noKeys(wrongKey));
  // Without keys, id 5 (count 2) counts under its record's key k0, which has a count 2 already (id 4).
  assert.deepEqual(Object.keys(byRecordKey.findings), ['key-count-repeated']);
  assert.deepEqual(byRecordKey.findings['key-count-repeated']?.cases.map((c) => c.detail), ['key k0: 1 record repeats a count (1 of another id, 0 replayed): count 2 for id 4, then id 5']);
  const bare = check(history('exactly-once').map((r) => (r.kind === 'out' && r.value === '6:2' ? { ...r, value: '6' } : r)));
  assert.deepEqual(bare.findings['key-count-malformed']?.cases.map((c) => c.detail), ['key k2: 1 output record without a positive count in range: 6']);
  // The DLQ and read_uncommitted records carry no counts; a re-read is counted once.
  assert.equal(check([...history('exactly-once'), out(1, 0, 1), out(9, 0, 9, 'ru', 'k1', 1)]).valid, true);
});

/** Real journals, trimmed to two keys (samples, invokes, the read_uncommitted reader and job-exit events left out). */
const REAL = {
  /** Kafka Streams at_least_once, kill -9 under load: the restored state lost one increment (k9's count 39 twice) and kept one whose output is not there (k7's 48). */
  kill9AtLeastOnce: 'test/fixtures/pipelines/kill9-at-least-once-key-counts.jsonl',
  /** Cancel, then a new job with a new app id: everything output again with counts from 1 (replays). */
  cancelRecreate: 'test/fixtures/pipelines/cancel-recreate-key-counts.jsonl',
  /** exactly_once_v2, kill -9: counts 1..n per key. */
  kill9ExactlyOnce: 'test/fixtures/pipelines/kill9-exactly-once-key-counts.jsonl',
};

async function checkReal(path: string): Promise<PipelineVerdict> {
  const fromFile = (await checkJournalWith(path, [new PipelineChecker()])).checkers.pipeline;
  const records: JournalRecord[] = [];
  for await (const r of readJournal(path)) records.push(r);
  assert.deepEqual(fromFile, check(records), 'the fast lanes and the records agree');
  return fromFile;
}

test('real journals: at-least-once kill -9 shows a repeated and a missing count; cancel + recreate replays; exactly-once is consistent', async () => {
  const alo = await checkReal(REAL.kill9AtLeastOnce);
  assert.deepEqual(alo.keyCounts, { keys: 2, records: 194, inconsistentKeys: 2, repeated: { keys: 1, sameId: 0, otherId: 1 }, missing: { keys: 1, counts: 1 }, malformed: { keys: 0, records: 0 } });
  assert.equal(alo.valid, true);
  assert.deepEqual(alo.findings['key-count-repeated']?.cases.map((c) => c.detail), ['key k9: 1 record repeats a count (1 of another id, 0 replayed): count 39 for id 479, then id 9']);
  assert.deepEqual(alo.findings['key-count-missing']?.cases.map((c) => c.detail), ['key k7: 1 count below its highest (108) in no output record: 48']);
  const recreated = await checkReal(REAL.cancelRecreate);
  assert.deepEqual(recreated.keyCounts.repeated, { keys: 2, sameId: 60, otherId: 0 });
  assert.equal(recreated.findings['key-count-repeated']?.severity, 'violation');
  const eo = await checkReal(REAL.kill9ExactlyOnce);
  assert.deepEqual([eo.valid, eo.keyCounts.keys, eo.keyCounts.records, eo.keyCounts.inconsistentKeys], [true, 2, 120, 0]);
});

test('faultline check and the suite lines show the per-key counts and their cases', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-key-counts-'));
  try {
    const path = join(dir, 'history.jsonl');
    writeFileSync(path, history('exactly-once', () => 1).map((r) => encodeRecord(r) + '\n').join(''));
    const result = await checkJournalWith(path, runCheckers());
    const text = formatRunCheckText(result);
    assert.match(text, /\n {2}per-key counts: 4 keys, 8 output records: 4 inconsistent: repeated counts in 4 keys \(4 of another id, 0 replayed\)\n/);
    assert.match(text, /\n {2}key-count-repeated: 4 \(violation\)\n {4}- key k0: 1 record repeats a count \(1 of another id, 0 replayed\): count 1 for id 0, then id 4\n/);
    const lines = pipelineVerdictLines(result.checkers.pipeline);
    assert.equal(lines[1], 'per-key counts: 4 keys, 8 output records: 4 inconsistent: repeated counts in 4 keys (4 of another id, 0 replayed)');
    assert.match(lines[2] ?? '', /^key-count-repeated: 4 \(violation\), e\.g\. key k0: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkJournalWith, runCheckers } from '../../../src/checker/check-run.js';
import { ComposedChecker } from '../../../src/checker/compose.js';
import { formatRunCheckText } from '../../../src/checker/report-text.js';
import { PipelineChecker } from '../../../src/checker/pipeline-checker.js';
import type { PipelineVerdict } from '../../../src/checker/pipeline-verdict.js';
import { encodeRecord } from '../../../src/history/record-encode.js';
import type { JournalRecord } from '../../../src/history/operation.js';
import { dlq, ends, input, jobOffsets, keyCountOf, out, pmeta, validHistory } from './pipeline-examples.js';

function check(records: readonly JournalRecord[]): PipelineVerdict {
  const c = new PipelineChecker();
  for (const r of records) c.add(r);
  return c.result();
}

const found = (v: PipelineVerdict): Record<string, number> => Object.fromEntries(Object.entries(v.findings).map(([name, f]) => [name, f.count]));
const without = (records: JournalRecord[], drop: (r: JournalRecord) => boolean): JournalRecord[] => records.filter((r) => !drop(r));
const isOut = (id: number) => (r: JournalRecord): boolean => r.kind === 'out' && r.value === `${id}:${keyCountOf(id)}`;

test('a valid exactly-once pipeline history is valid: every input once, the poison one in the DLQ', () => {
  const v = check(validHistory());
  assert.equal(v.valid, true, v.reasons.join('; '));
  assert.equal(v.applicable, true);
  assert.deepEqual(v.table, [{ count: 1, values: 6 }]);
  assert.deepEqual(found(v), {});
  assert.equal(v.counts.acknowledgedPoison, 1);
  assert.equal(v.counts.outputRecords, 5);
  assert.equal(v.counts.dlqRecords, 1);
  assert.match(v.evidence, /6 acknowledged inputs \(1 poison\) judged exactly-once; output and DLQ read to the end offsets: 5 output records, 1 DLQ record; committed offsets of 1 partition/);
});

test('not applicable without a pipeline; the exact checker is not applicable to a pipeline run without read-back', async () => {
  const plain = check([{ kind: 'meta', timeMs: 0, formatVersion: 4, startedAt: 'x', run: 'r' }, { kind: 'op', type: 'ok', f: 'send', process: 'p0', value: 'p0-000000', timeMs: 1, partition: 0, offset: 0 }]);
  assert.equal(plain.applicable, false);
  const composed = new ComposedChecker(runCheckers());
  for (const r of validHistory()) composed.add(r);
  const result = composed.result();
  const exact = result.checkers['exact'] as { applicable?: boolean; evidence: string };
  assert.equal(exact.applicable, false);
  assert.match(exact.evidence, /a pipeline run: its input sends and output are the pipeline checker's/);
  assert.equal(result.valid, true, result.evidence);
});

test('lost: an acknowledged input in neither output nor DLQ is a violation with complete reads, unknown without', () => {
  const lost = without(validHistory(), isOut(4));
  const v = check(lost);
  assert.equal(v.valid, false);
  assert.deepEqual(found(v), { lost: 1, 'committed-not-output': 1 });
  assert.deepEqual(v.findings.lost?.cases[0]?.input, { partition: 0, offset: 4 });
  assert.deepEqual(v.table, [{ count: 0, values: 1 }, { count: 1, values: 5 }]);
  const incomplete = [...without(lost, (r) => r.kind === 'out-end' && r.topic === 'out'), ends('out', { 0: 5 }, { reachedEnd: false })];
  const u = check(incomplete);
  assert.equal(u.valid, 'unknown');
  assert.match(u.reasons.join(), /did not reach the end offsets: 1 acknowledged input not seen may be unread/);
  const noEnd = check(without(validHistory(), (r) => r.kind === 'out-end' && r.topic === 'dlq'));
  assert.equal(noEnd.valid, 'unknown');
  assert.match(noEnd.reasons.join(), /dlq has no live out-end record/);
});

test('duplicate: a violation under exactly-once, counted and listed under at-least-once', () => {
  const doubled = (g: 'exactly-once' | 'at-least-once'): JournalRecord[] => {
    const h = validHistory(g);
    const end = h.findIndex((r) => r.kind === 'out-end');
    return [...h.slice(0, end), out(2, 1, 0), ends('out', { 0: 5, 1: 1 }), ...h.slice(end + 1)];
  };
  const eo = check(doubled('exactly-once'));
  assert.equal(eo.valid, false);
  // The doubled record repeats its key's count too (a replay: the same id).
  assert.deepEqual(found(eo), { duplicate: 1, 'key-count-repeated': 1 });
  assert.deepEqual(eo.keyCounts.repeated, { keys: 1, sameId: 1, otherId: 0 });
  assert.equal(eo.findings.duplicate?.cases[0]?.value, '2');
  assert.deepEqual(eo.table, [{ count: 1, values: 5 }, { count: 2, values: 1 }]);
  const alo = check(doubled('at-least-once'));
  assert.equal(alo.valid, true);
  assert.deepEqual([alo.findings.duplicate?.severity, alo.findings.duplicate?.count], ['informational', 1]);
  assert.equal(alo.findings['key-count-repeated']?.severity, 'informational');
});

test('a re-read of the same output record is not a duplicate', () => {
  const h = validHistory();
  const v = check([...h, out(0, 0, 0)]);
  assert.equal(v.valid, true);
  assert.equal(v.counts.rereads, 1);
});

test('an input whose send is unknown may be output once or not at all, not twice', () => {
  const base = validHistory().filter((r) => r.kind !== 'out-end');
  // Id 10 is the second output of key k2: count 2.
  const once = [...base, ...input(10, 0, 0, 'info'), out(10, 0, 5, 'live', 'k2', 2), ends('out', { 0: 6 }), ends('dlq', { 0: 1 })];
  assert.equal(check(once).valid, true);
  const never = [...base, ...input(10, 0, 0, 'none'), ends('out', { 0: 5 }), ends('dlq', { 0: 1 })];
  assert.equal(check(never).valid, true);
  assert.equal(check(never).counts.unknown, 1);
  const twice = [...base, ...input(10, 0, 0, 'info'), out(10, 0, 5, 'live', 'k2', 2), out(10, 0, 6, 'live', 'k2', 2), ends('out', { 0: 7 }), ends('dlq', { 0: 1 })];
  assert.deepEqual(found(check(twice)), { duplicate: 1, 'key-count-repeated': 1 });
});

test('poison in the output and a good input in the DLQ are violations', () => {
  const h = validHistory();
  // The poison input 7, the first output of key k3, counted 1.
  const v = check([...h, ...input(7, 0, 6, 'ok', true), out(7, 0, 5, 'live', 'k3', 1), ...input(8, 0, 7), dlq(8, 0, 1, { partition: 0, offset: 7 })]);
  assert.equal(v.valid, false);
  assert.deepEqual(found(v), { 'poison-in-output': 1, 'good-in-dlq': 1, 'uncommitted-output': 2 });
  assert.equal(v.findings['poison-in-output']?.cases[0]?.value, '!7');
});

test('DLQ provenance: headers must name the input topic, partition and offset', () => {
  const h = validHistory().map((r) => (r.kind === 'out' && r.topic === 'dlq' ? dlq(3, 0, 0, { partition: 0, offset: 4 }) : r));
  const v = check(h);
  assert.equal(v.valid, false);
  assert.deepEqual(found(v), { 'dlq-provenance': 1 });
  assert.match(v.findings['dlq-provenance']?.cases[0]?.detail ?? '', /offset 4 \(input 3\)/);
  const noHeaders = check(validHistory().map((r) => (r.kind === 'out' && r.topic === 'dlq' ? dlq(3, 0, 0, null) : r)));
  assert.match(noHeaders.findings['dlq-provenance']?.cases[0]?.detail ?? '', /no provenance headers/);
  const wrongTopic = check(validHistory().map((r) => (r.kind === 'out' && r.topic === 'dlq' ? dlq(3, 0, 0, { topic: 'other', partition: 0, offset: 3 }) : r)));
  assert.match(wrongTopic.findings['dlq-provenance']?.cases[0]?.detail ?? '', /topic "other"/);
});

test('aborted output: records only the read_uncommitted reader saw are counted, not a failure', () => {
  const h = validHistory();
  const ru = [out(0, 0, 0, 'ru'), out(9, 0, 5, 'ru'), out(1, 0, 1, 'ru'), out(9, 0, 5, 'ru')];
  const v = check([...h, ...ru]);
  assert.equal(v.valid, true);
  assert.deepEqual(found(v), { 'aborted-output': 1 });
  assert.deepEqual(v.findings['aborted-output']?.cases[0]?.record, { topic: 'out', partition: 0, offset: 5 });
  // Order does not matter: the read_uncommitted records first.
  const first = check([h[0] as JournalRecord, ...ru, ...h.slice(1)]);
  assert.deepEqual(found(first), { 'aborted-output': 1 });
});

test('a hanging transaction (last stable offset below the end) is a violation', () => {
  const v = check([...validHistory(), ends('out', { 0: 8 }, { reader: 'ru', lastStableOffset: 5 })]);
  assert.equal(v.valid, false);
  assert.deepEqual(found(v), { 'hanging-transaction': 1 });
});

test('committed offsets: under exactly-once nothing at or above them is output; at-least-once may', () => {
  const h = validHistory().map((r) => (r.kind === 'event' ? jobOffsets({ 0: 4 }) : r));
  const eo = check(h);
  assert.equal(eo.valid, false);
  assert.deepEqual(found(eo), { 'uncommitted-output': 2 });
  const alo = check(validHistory('at-least-once').map((r) => (r.kind === 'event' ? jobOffsets({ 0: 4 }) : r)));
  assert.equal(alo.valid, true);
  // The latest job-offsets event counts.
  assert.equal(check([...h, jobOffsets({ 0: 6 }, 9000)]).valid, true);
  const none = check(validHistory().filter((r) => r.kind !== 'event'));
  assert.equal(none.valid, true);
  assert.match(none.warnings.join(), /no job-offsets event for in/);
});

test('unexpected output: a value naming no sent input, or not of the contract', () => {
  const h = validHistory();
  const bad = { ...out(0, 1, 0), value: 'hello' };
  const v = check([...h, out(42, 0, 5, 'live', 'k2', 2), bad]);
  assert.equal(v.valid, false);
  assert.deepEqual(found(v), { unexpected: 2 });
  assert.deepEqual(v.findings.unexpected?.cases.map((c) => c.value).sort(), ['42', 'hello']);
});

test('wrong key: the output key must be the input key k<id mod keys>', () => {
  const h = validHistory().map((r) => (r.kind === 'out' && r.value === `5:${keyCountOf(5)}` ? out(5, 0, 4, 'live', 'k0') : r));
  const v = check(h);
  assert.deepEqual(found(v), { 'wrong-key': 1 });
  assert.equal(v.valid, false);
});

test('a bad pipeline meta makes the verdict unknown and says why', () => {
  const h = validHistory().slice(1);
  const v = check([{ ...pmeta(), pipeline: { inputTopic: 'in', outputTopic: 'out', dlqTopic: 'dlq', guarantee: 'maybe' } }, ...h]);
  assert.equal(v.valid, 'unknown');
  assert.match(v.reasons.join(), /pipeline.guarantee must be one of at-least-once, exactly-once/);
});

test('the journal fast lanes give the same verdict as the records; faultline check shows the count table', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-pipeline-'));
  try {
    const records = [...without(validHistory(), isOut(4)), out(2, 0, 9), out(7, 0, 10, 'ru')];
    const path = join(dir, 'history.jsonl');
    writeFileSync(path, records.map((r) => encodeRecord(r) + '\n').join(''));
    const fromFile = await checkJournalWith(path, runCheckers());
    assert.deepEqual(fromFile.checkers.pipeline, check(records));
    const text = formatRunCheckText(fromFile);
    assert.match(text, /pipeline: INVALID: /);
    assert.match(text, /per acknowledged input, times in output \+ DLQ: lost 1 · once 4 · 2 times 1/);
    assert.match(text, /lost: 1 \(violation\)\n {4}- 4 \(input 0@4\): acknowledged, in neither the output nor the DLQ/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

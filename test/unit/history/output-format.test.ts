import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { JournalFormatError, readJournal, scanJournal } from '../../../src/history/journal-reader.js';
import type { JournalRecord } from '../../../src/history/operation.js';
import type { OutRecord } from '../../../src/history/output-record.js';
import { pipelineMetaOf } from '../../../src/history/pipeline-meta.js';
import { encodeRecord } from '../../../src/history/record-encode.js';
import { toJournalRecord } from '../../../src/history/record-validate.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'faultline-output-format-'));

/** No character JSON.stringify escapes. */
function plainText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c < 0x20) return false;
  }
  return true;
}

async function collect(path: string): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for await (const r of readJournal(path)) out.push(r);
  return out;
}

const text = fc.oneof(fc.string({ maxLength: 10, unit: 'grapheme' }), fc.constantFrom('k1', '17:3', '!17', 'a"b', 'x\\y', '\n'));
const outArb: fc.Arbitrary<OutRecord> = fc
  .record({
    timeMs: fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e7, noNaN: true })),
    reader: fc.constantFrom('live', 'ru', 'r"x'),
    topic: fc.constantFrom('out', 'dlq', 'ünï'),
    partition: fc.nat(50),
    offset: fc.nat(),
    key: fc.option(text, { nil: null }),
    value: fc.option(text, { nil: null }),
    headers: fc.option(fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }), { nil: undefined }),
  })
  .map((o) => {
    const r: OutRecord = { kind: 'out', timeMs: o.timeMs, reader: o.reader, topic: o.topic, partition: o.partition, offset: o.offset, key: o.key, value: o.value };
    if (o.headers !== undefined) r.headers = o.headers;
    return r;
  });

test('out records round-trip through the encoder, and the fast lane reads exactly what JSON.parse reads', async () => {
  const dir = tmp();
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(outArb, { maxLength: 20 }), fc.integer({ min: 16, max: 4096 }), async (records, chunkBytes) => {
        const path = join(dir, 'h.jsonl');
        writeFileSync(path, records.map((o) => encodeRecord(o) + '\n').join(''));
        const expected = JSON.parse(JSON.stringify(records)) as JournalRecord[];
        assert.deepEqual(await collect(path), expected);
        const seen: JournalRecord[] = [];
        let fast = 0;
        await scanJournal(path, { record: (r) => seen.push(r), outView: (v) => { fast++; seen.push(v.toRecord()); } }, { chunkBytes });
        assert.deepEqual(seen, expected);
        // Headerless records with plain strings (and a timeMs without exponent) take the fast lane.
        const plain = records.filter((r) => r.headers === undefined && r.key !== null && r.value !== null && plainText(r.key + r.value + r.reader) && !String(r.timeMs).includes('e'));
        assert.equal(fast, plain.length);
      }),
      { numRuns: 60 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('out and out-end records validate; bad fields are named by their path', () => {
  const out = { kind: 'out', timeMs: 1, reader: 'live', topic: 'o', partition: 0, offset: 3, key: null, value: '1:1', headers: { 'faultline.source.offset': '4' } };
  assert.deepEqual(toJournalRecord(out), out);
  const end = { kind: 'out-end', timeMs: 2, reader: 'live', topic: 'o', isolation: 'read_committed', partitions: [{ partition: 0, startOffset: 0, endOffset: 4, read: 4, reachedEnd: true, lastStableOffset: 4 }] };
  assert.deepEqual(toJournalRecord(end), end);
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ ...out, partition: -1 }, /out: partition must be a whole number/],
    [{ ...out, reader: '' }, /out: reader must be a non-empty string/],
    [{ ...out, key: 3 }, /out: key must be a string or null/],
    [{ ...out, headers: { 'faultline.source.offset': 4 } }, /out: headers\["faultline.source.offset"\] must be a string/],
    [{ ...out, headers: [] }, /out: headers must be an object of strings/],
    [{ ...end, isolation: 'dirty' }, /out-end: isolation must be one of read_committed, read_uncommitted/],
    [{ ...end, partitions: [{ partition: 0, startOffset: 0, endOffset: -4, read: 4, reachedEnd: true }] }, /out-end: partitions\[0\]\.endOffset must be a whole number/],
    [{ ...end, partitions: [{ partition: 0, startOffset: 0, endOffset: 4, read: 4 }] }, /out-end: partitions\[0\]\.reachedEnd must be true or false/],
  ];
  for (const [record, message] of bad) assert.throws(() => toJournalRecord(record), message);
});

/** Writes `text` as a journal in a temp dir and runs `body` on its path. */
async function withJournal(text: string, body: (path: string) => Promise<void>): Promise<void> {
  const dir = tmp();
  try {
    const path = join(dir, 'h.jsonl');
    writeFileSync(path, text);
    await body(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a malformed out line is an error at its line, fast lane or not', async () => {
  const bad = '{"kind":"out","timeMs":1,"reader":"","topic":"o","partition":0,"offset":1,"key":"k","value":"v"}';
  await withJournal(`${encodeRecord({ kind: 'meta', timeMs: 0, formatVersion: 4, startedAt: 'x', run: 'r' })}\n${bad}\n`, async (path) => {
    const isBadLine = (e: unknown): boolean => e instanceof JournalFormatError && e.lineNumber === 2 && e.message.includes('reader must be a non-empty string');
    await assert.rejects(scanJournal(path, { record: () => undefined, outView: () => undefined }), isBadLine);
  });
});

test('journals of format 3 are still read', async () => {
  await withJournal(`${JSON.stringify({ kind: 'meta', timeMs: 0, formatVersion: 3, startedAt: 'x', run: 'r' })}\n`, async (path) => {
    assert.equal((await collect(path)).length, 1);
  });
});

test('the meta pipeline object is checked field by field', () => {
  const meta = (pipeline: unknown): JournalRecord & { kind: 'meta' } => ({ kind: 'meta', timeMs: 0, formatVersion: 4, startedAt: 'x', run: 'r', pipeline });
  assert.equal(pipelineMetaOf({ kind: 'meta', timeMs: 0, formatVersion: 4, startedAt: 'x', run: 'r' }), null);
  const good = { inputTopic: 'i', outputTopic: 'o', dlqTopic: 'd', guarantee: 'at-least-once', keys: 8 };
  assert.deepEqual(pipelineMetaOf(meta(good)), good);
  assert.equal(pipelineMetaOf(meta({ ...good, dlqTopic: '' })), 'meta: pipeline.dlqTopic must be a topic name');
  assert.equal(pipelineMetaOf(meta({ ...good, keys: -1 })), 'meta: pipeline.keys must be a whole number');
  assert.equal(pipelineMetaOf(meta('x')), 'meta: pipeline must be an object');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { JournalFormatError, readJournal, scanJournal, type MalformedLine } from '../../../src/history/journal-reader.js';
import { JournalWriter } from '../../../src/history/journal-writer.js';
import { JOURNAL_FORMAT_VERSION, parseValue, sendValue, type JournalRecord, type OpRecord } from '../../../src/history/operation.js';
import { encodeRecord } from '../../../src/history/record-encode.js';

const here = dirname(fileURLToPath(import.meta.url));
const tmp = (): string => mkdtempSync(join(tmpdir(), 'faultline-journal-'));

async function collect(path: string, chunkBytes?: number): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for await (const r of readJournal(path, chunkBytes === undefined ? {} : { chunkBytes })) out.push(r);
  return out;
}

const opArb: fc.Arbitrary<OpRecord> = fc
  .record({
    type: fc.constantFrom('invoke', 'ok', 'fail', 'info' as const),
    f: fc.constantFrom('send', 'read', 'consume' as const),
    process: fc.string({ maxLength: 6 }),
    value: fc.oneof(fc.string({ maxLength: 12, unit: 'grapheme' }), fc.tuple(fc.constantFrom('p0', 'p1', 'a-b'), fc.nat(2_000_000)).map(([p, s]) => sendValue(p, s))),
    timeMs: fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e7, noNaN: true })),
    partition: fc.option(fc.nat(50), { nil: undefined }),
    offset: fc.option(fc.nat(), { nil: undefined }),
    error: fc.option(fc.record({ code: fc.oneof(fc.integer(), fc.string()), message: fc.string() }), { nil: undefined }),
  })
  .map((o) => {
    const op: OpRecord = { kind: 'op', type: o.type, f: o.f, process: o.process, value: o.value, timeMs: o.timeMs };
    if (o.partition !== undefined) op.partition = o.partition;
    if (o.offset !== undefined) op.offset = o.offset;
    if (o.f !== 'send' && o.type === 'ok') {
      op.partition ??= 0;
      op.offset ??= 0;
    }
    if (o.error !== undefined) op.error = { code: o.error.code, message: o.error.message };
    return op;
  });

test('writer then reader round-trips any op, through both the fast lane and JSON.parse', async () => {
  const dir = tmp();
  try {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 30 }), fc.integer({ min: 16, max: 4096 }), async (ops, chunkBytes) => {
        const path = join(dir, `j${n++}.jsonl`);
        const w = JournalWriter.open(path, { flushLines: 5 });
        for (const op of ops) w.append(op);
        await w.close();
        assert.deepEqual(await collect(path, chunkBytes), ops);
        const fast: OpRecord[] = [];
        await scanJournal(path, { record: (r) => fast.push(r as OpRecord), opView: (v) => fast.push(v.toRecord()) }, { chunkBytes });
        assert.deepEqual(fast, ops);
      }),
      { numRuns: 150 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a consume ok round-trips through the fast lane (f decoded as consume); one without a location is refused with its line number', async () => {
  const dir = tmp();
  try {
    const path = join(dir, 'c.jsonl');
    const consume: OpRecord = { kind: 'op', type: 'ok', f: 'consume', process: 'c2', value: 'p0-000007', timeMs: 12.5, partition: 3, offset: 41 };
    writeFileSync(path, encodeRecord(consume) + '\n');
    const views: string[] = [];
    await scanJournal(path, { record: () => views.push('slow'), opView: (v) => views.push(`${v.f}:${v.processString()}:${v.partition}@${v.offset}`) });
    assert.deepEqual(views, ['consume:c2:3@41']);
    assert.deepEqual(await collect(path), [consume]);
    writeFileSync(path, encodeRecord(consume) + '\n' + '{"kind":"op","type":"ok","f":"consume","process":"c0","value":"p0-000001","timeMs":3}\n');
    await assert.rejects(collect(path), (e: unknown) => e instanceof JournalFormatError && e.message.includes('c.jsonl:2: ') && e.message.includes('a consume ok needs partition and offset'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseValue inverts sendValue', () => {
  fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 8 }), fc.nat(10 ** 9), (p, seq) => assert.deepEqual(parseValue(sendValue(p, seq)), { producer: p, seq })));
  assert.equal(parseValue('nodash'), null);
  assert.equal(parseValue('p1-'), null);
  assert.equal(parseValue('-5'), null);
});

test('a truncated last line (crash mid-write) is tolerated and reported', async () => {
  const dir = tmp();
  try {
    const path = join(dir, 'h.jsonl');
    const good = [encodeRecord({ kind: 'op', type: 'invoke', f: 'send', process: 'p0', value: 'p0-000000', timeMs: 1 }), encodeRecord({ kind: 'event', timeMs: 2, event: 'fault-start' })];
    writeFileSync(path, good.join('\n') + '\n' + '{"kind":"op","type":"ok","f":"se');
    const records: JournalRecord[] = [];
    const summary = await scanJournal(path, { record: (r) => records.push(r) });
    assert.equal(records.length, 2);
    assert.equal(summary.truncatedTail?.lineNumber, 3);
    // A complete last line without its newline is kept.
    writeFileSync(path, good.join('\n'));
    assert.equal((await collect(path)).length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a malformed line in the middle is an error naming the line, or is skipped with onMalformed', async () => {
  const dir = tmp();
  try {
    const path = join(dir, 'h.jsonl');
    const ok = encodeRecord({ kind: 'event', timeMs: 2, event: 'x' });
    writeFileSync(path, [ok, '', ok, '{"kind":"op","type":"ok"', '{"kind":"nope","timeMs":1}', ok].join('\n') + '\n');
    await assert.rejects(collect(path), (e: unknown) => e instanceof JournalFormatError && e.lineNumber === 4 && e.message.startsWith(`${path}:4:`) && e.exitCode === 2);
    const bad: MalformedLine[] = [];
    const summary = await scanJournal(path, { record: () => undefined }, { onMalformed: (m) => bad.push(m) });
    assert.deepEqual(bad.map((b) => b.lineNumber), [4, 5]);
    assert.match(bad[1]?.reason ?? '', /unknown kind/);
    assert.equal(summary.records, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing journal is a usage error', async () => {
  await assert.rejects(collect('/nonexistent/history.jsonl'), /cannot read journal .*no such file/);
});

test('a newer format version is refused', async () => {
  const dir = tmp();
  try {
    const path = join(dir, 'h.jsonl');
    writeFileSync(path, JSON.stringify({ kind: 'meta', timeMs: 0, formatVersion: JOURNAL_FORMAT_VERSION + 1, startedAt: 'x', run: 'r' }) + '\n');
    await assert.rejects(collect(path), new RegExp(`format version ${JOURNAL_FORMAT_VERSION + 1} is newer`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writer: nothing after close, and flushes on the timer', async () => {
  const dir = tmp();
  try {
    const path = join(dir, 'h.jsonl');
    const w = JournalWriter.open(path, { flushIntervalMs: 10, flushLines: 1000 });
    w.append({ kind: 'event', timeMs: w.elapsedMs(), event: 'a' });
    assert.equal(readFileSync(path, 'utf8'), '');
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(readFileSync(path, 'utf8').split('\n').length, 2);
    await w.close();
    await w.close();
    assert.throws(() => w.append({ kind: 'event', timeMs: 1, event: 'b' }), /closed/);
    appendFileSync(path, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGKILL loses at most the unflushed tail; what is on disk reads cleanly', async () => {
  const dir = tmp();
  try {
    const path = join(dir, 'h.jsonl');
    const writerUrl = pathToFileURL(join(here, '../../../src/history/journal-writer.js')).href;
    // The child writes as fast as it can, with a 20 ms flush interval, until killed.
    const script = `
      const { JournalWriter } = await import(${JSON.stringify(writerUrl)});
      const w = JournalWriter.open(${JSON.stringify(path)}, { flushIntervalMs: 20, flushLines: 100000, flushBytes: 1 << 30 });
      let i = 0;
      const tick = () => { for (let k = 0; k < 500; k++) w.append({ kind: 'op', type: 'invoke', f: 'send', process: 'p0', value: 'p0-' + String(i++).padStart(6, '0'), timeMs: i }); setImmediate(tick); };
      tick();
      setTimeout(() => process.stdout.write('running\\n'), 150);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const records = await collect(path);
    assert.ok(records.length > 0, 'flushed lines survive');
    records.forEach((r, i) => assert.equal((r as OpRecord).value, `p0-${String(i).padStart(6, '0')}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lines the fast lane declines (other key order, spaces, escapes) read the same through JSON.parse', async () => {
  const dir = tmp();
  try {
    const path = join(dir, 'h.jsonl');
    const lines = [
      '{"kind":"op","type":"ok","f":"send","process":"p0","value":"p0-000001","timeMs":5,"partition":1,"offset":9}',
      '{"type":"ok","kind":"op","f":"send","process":"p0","value":"p0-000001","timeMs":5,"partition":1,"offset":9}',
      '{ "kind": "op", "type": "ok", "f": "send", "process": "p0", "value": "p0-000001", "timeMs": 5, "partition": 1, "offset": 9 }',
      '{"kind":"op","type":"ok","f":"send","process":"p\\u0030","value":"p0-000001","timeMs":5e0,"partition":1,"offset":9}',
    ];
    writeFileSync(path, lines.join('\n') + '\n');
    const seen: OpRecord[] = [];
    await scanJournal(path, { record: (r) => seen.push(r as OpRecord), opView: (v) => seen.push(v.toRecord()) });
    assert.equal(seen.length, 4);
    for (const r of seen) assert.deepEqual(r, { kind: 'op', type: 'ok', f: 'send', process: 'p0', value: 'p0-000001', timeMs: 5, partition: 1, offset: 9 });
    // Invalid JSON numbers and out-of-range partitions are errors in both lanes.
    for (const bad of ['"timeMs":01', '"partition":4294967296']) {
      writeFileSync(path, (lines[0] ?? '').replace(/"timeMs":5|"partition":1/, bad.startsWith('"timeMs"') ? bad : '"timeMs":5') + '\n');
      if (bad.startsWith('"partition"')) writeFileSync(path, (lines[0] ?? '').replace('"partition":1', bad) + '\n');
      await assert.rejects(scanJournal(path, { record: () => undefined, opView: () => undefined }), JournalFormatError);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JournalFormatError, readJournal } from '../../../src/history/journal-reader.js';
import { JournalWriter } from '../../../src/history/journal-writer.js';
import type { JournalRecord, ReadBackRecord } from '../../../src/history/operation.js';

const record: ReadBackRecord = { kind: 'read-back', timeMs: 12.5, process: 'r0', topic: 't', isolation: 'read_committed', partitions: [{ partition: 0, startOffset: 3, endOffset: 10, read: 7, reachedEnd: true }] };

async function readAll(path: string): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for await (const r of readJournal(path)) out.push(r);
  return out;
}

test('the read-back record round-trips through the journal; a malformed one is refused with its line and field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-readback-'));
  try {
    const path = join(dir, 'h.jsonl');
    const w = JournalWriter.open(path);
    w.append(record);
    await w.close();
    assert.deepEqual(await readAll(path), [record]);
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ ...record, partitions: [{ ...record.partitions[0], reachedEnd: 'yes' }] }, /reachedEnd must be true or false/],
      [{ ...record, partitions: [{ ...record.partitions[0], endOffset: -1 }] }, /endOffset must be a whole number/],
      [{ ...record, partitions: 'all' }, /read-back: partitions must be an array/],
      [{ ...record, isolation: 'serializable' }, /read-back: bad isolation "serializable"/],
      [{ ...record, topic: 3 }, /read-back: topic must be a string/],
    ];
    for (const [shape, message] of bad) {
      writeFileSync(path, JSON.stringify(record) + '\n' + JSON.stringify(shape) + '\n');
      await assert.rejects(readAll(path), (e: unknown) => e instanceof JournalFormatError && e.lineNumber === 2 && message.test(e.message));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

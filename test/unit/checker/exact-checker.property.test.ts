import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { checkHistory, checkJournalFile } from '../../../src/checker/check-history.js';
import type { ExactVerdict } from '../../../src/checker/verdict.js';
import { JournalWriter } from '../../../src/history/journal-writer.js';
import type { JournalRecord } from '../../../src/history/operation.js';
import { generateHistory, prng, type Expected, type GenParams } from './history-gen.js';

const params: fc.Arbitrary<GenParams> = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  producers: fc.integer({ min: 1, max: 4 }),
  partitions: fc.integer({ min: 1, max: 3 }),
  maxSends: fc.integer({ min: 0, max: 40 }),
  acksZero: fc.boolean(),
  inject: fc.record({
    lost: fc.integer({ min: 0, max: 3 }),
    duplicate: fc.integer({ min: 0, max: 3 }),
    unexpected: fc.integer({ min: 0, max: 3 }),
    reordered: fc.integer({ min: 0, max: 3 }),
    recoveredFail: fc.integer({ min: 0, max: 3 }),
  }),
});

function found(v: ExactVerdict): Omit<Expected, 'sent' | 'acknowledged' | 'failed' | 'unknown' | 'readBack'> {
  const a = v.anomalies;
  return {
    lost: a.lost.map((x) => x.value).sort(),
    lostUnconfirmed: a.lostUnconfirmed.map((x) => x.value).sort(),
    duplicate: a.duplicate.map((x) => x.value).sort(),
    unexpected: a.unexpected.map((x) => x.value).sort(),
    reordered: a.reordered.map((x) => `${x.value}<${x.precededBy.value}`).sort(),
    recovered: a.recovered.map((x) => x.value).sort(),
  };
}

function assertMatches(v: ExactVerdict, e: Expected): void {
  const { sent, acknowledged, failed, unknown, readBack, ...anomalies } = e;
  assert.deepEqual(found(v), anomalies);
  assert.equal(v.counts.sent, sent);
  assert.equal(v.counts.acknowledged, acknowledged);
  assert.equal(v.counts.failed, failed);
  assert.equal(v.counts.unknown, unknown);
  assert.equal(v.counts.readBack, readBack);
  const violations = e.lost.length + e.duplicate.length + e.unexpected.length + e.reordered.length;
  assert.equal(v.verdict, violations > 0 ? 'invalid' : 'valid', JSON.stringify(v.reasons));
}

test('finds exactly the injected anomalies, no others', () => {
  fc.assert(
    fc.property(params, (p) => {
      const { records, expected } = generateHistory(p);
      assertMatches(checkHistory(records), expected);
    }),
    { numRuns: 400 },
  );
});

test('record order does not change the anomalies found', () => {
  fc.assert(
    fc.property(params, fc.integer(), (p, shuffleSeed) => {
      const { records, expected } = generateHistory(p);
      const rnd = prng(shuffleSeed);
      const shuffled = [...records];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j] as JournalRecord, shuffled[i] as JournalRecord];
      }
      assertMatches(checkHistory(shuffled), expected);
    }),
    { numRuns: 200 },
  );
});

test('checking the journal file (fast lane) gives the same verdict as checking records', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-checker-prop-'));
  try {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(params, async (p) => {
        const { records, expected } = generateHistory(p);
        const path = join(dir, `h${n++}.jsonl`);
        const w = JournalWriter.open(path, { flushLines: 7 });
        for (const r of records) w.append(r);
        await w.close();
        const { verdict } = await checkJournalFile(path);
        assertMatches(verdict, expected);
        assert.deepEqual(verdict, checkHistory(records));
      }),
      { numRuns: 100 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

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
import { expectedVerdict, generateHistory, historyParams as params, prng, type Expected, type ReadBackEnd } from './history-gen.js';

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

function assertMatches(v: ExactVerdict, e: Expected, end: ReadBackEnd | undefined): void {
  const { sent, acknowledged, failed, unknown, readBack, ...anomalies } = e;
  assert.deepEqual(found(v), anomalies);
  assert.equal(v.counts.sent, sent);
  assert.equal(v.counts.acknowledged, acknowledged);
  assert.equal(v.counts.failed, failed);
  assert.equal(v.counts.unknown, unknown);
  assert.equal(v.counts.readBack, readBack);
  assert.equal(v.verdict, expectedVerdict(e, end), JSON.stringify(v.reasons));
  assert.equal(v.valid, v.verdict === 'valid' ? true : v.verdict === 'invalid' ? false : 'unknown');
}

test('finds exactly the injected anomalies, no others', () => {
  fc.assert(
    fc.property(params, (p) => {
      const { records, expected } = generateHistory(p);
      assertMatches(checkHistory(records), expected, p.readBackEnd);
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
      assertMatches(checkHistory(shuffled), expected, p.readBackEnd);
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
        assertMatches(verdict, expected, p.readBackEnd);
        assert.deepEqual(verdict, checkHistory(records));
      }),
      { numRuns: 100 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

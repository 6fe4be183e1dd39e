import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { AvailabilityChecker, checkAvailability } from '../../../src/checker/availability.js';
import { checkHistory } from '../../../src/checker/check-history.js';
import { checkJournalWith, runCheckers } from '../../../src/checker/check-run.js';
import { combineValidity, type Checker, type CheckerResult, type Validity } from '../../../src/checker/checker.js';
import { composeCheckers } from '../../../src/checker/compose.js';
import { checkConsumer } from '../../../src/checker/consumer-checker.js';
import { ExactChecker } from '../../../src/checker/exact-checker.js';
import { UsageError } from '../../../src/errors.js';
import { readJournal } from '../../../src/history/journal-reader.js';
import { JournalWriter } from '../../../src/history/journal-writer.js';
import type { JournalRecord } from '../../../src/history/operation.js';
import { generateHistory, historyParams, prng } from './history-gen.js';

/** Fractional times (the fast lane parses them from bytes) and extra fault starts at random places. */
function withFaultsAndFractions(records: readonly JournalRecord[], seed: number): JournalRecord[] {
  const rnd = prng(seed);
  const out: JournalRecord[] = [];
  for (const r of records) {
    const timeMs = Math.round(r.timeMs * 1234.567) / 1000;
    if (rnd() < 0.05) out.push({ kind: 'event', timeMs, event: 'fault-start', faultId: `g${out.length}`, fault: 'pause' });
    out.push({ ...r, timeMs });
  }
  return out;
}

test('composed checkers give what each gives alone: in memory, and from the journal file through the fast lanes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-compose-'));
  try {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(historyParams, fc.integer(), async (p, seed) => {
        const records = withFaultsAndFractions(generateHistory(p).records, seed);
        const alone = { exact: checkHistory(records), availability: checkAvailability(records) };
        const composed = composeCheckers(new ExactChecker(), new AvailabilityChecker());
        for (const r of records) composed.add(r);
        const inMemory = composed.result();
        assert.deepEqual(inMemory.checkers, alone);
        assert.equal(inMemory.valid, combineValidity([alone.exact.valid, alone.availability.valid]));

        const path = join(dir, `h${n++}.jsonl`);
        const w = JournalWriter.open(path, { flushLines: 5 });
        for (const r of records) w.append(r);
        await w.close();
        const fromFile = await checkJournalWith(path, runCheckers({ consumerGroup: true }));
        // runCheckers adds the consumer checker: with no consumer group it does not apply and leaves the verdict alone.
        const { queue, pipeline, window, ...produceCheckers } = fromFile.checkers;
        assert.deepEqual(produceCheckers, { ...alone, consumer: checkConsumer(records) });
        // No queue ops: the queue checker does not apply and leaves the verdict alone.
        assert.equal(queue.applicable, false);
        // No pipeline meta or out records: the pipeline checker does not apply either.
        assert.equal(pipeline.applicable, false);
        assert.equal(window.applicable, false);
        const withoutGroup = await checkJournalWith(path, runCheckers());
        assert.equal(withoutGroup.checkers.consumer.applicable, false);
        assert.equal(withoutGroup.valid, inMemory.valid);
        assert.equal(fromFile.checkers.consumer.applicable, false);
        assert.equal(fromFile.valid, inMemory.valid);
        assert.equal(fromFile.evidence, inMemory.evidence);
      }),
      { numRuns: 150 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A checker with no fast lane: keeps what it is given. */
class Recorder implements Checker {
  readonly name = 'recorder';
  readonly seen: JournalRecord[] = [];
  add(record: JournalRecord): void {
    this.seen.push(record);
  }
  result(): CheckerResult {
    return { checker: this.name, valid: true, evidence: `${this.seen.length} records`, reasons: [] };
  }
}

test('a checker without a fast lane gets every record, op lines made from the views, beside one with a fast lane', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-compose-'));
  try {
    const { records } = generateHistory({ seed: 7, producers: 2, partitions: 2, maxSends: 30, acksZero: false, inject: { lost: 1, duplicate: 1, unexpected: 1, reordered: 1, recoveredFail: 1 } });
    const path = join(dir, 'h.jsonl');
    const w = JournalWriter.open(path);
    for (const r of withFaultsAndFractions(records, 3)) w.append(r);
    await w.close();
    const recorder = new Recorder();
    const result = await checkJournalWith(path, [new ExactChecker(), recorder]);
    const expected: JournalRecord[] = [];
    for await (const r of readJournal(path)) expected.push(r);
    assert.deepEqual(recorder.seen, expected);
    assert.equal(result.checkers.recorder.evidence, `${expected.length} records`);
    assert.equal(result.checkers.exact.verdict, 'invalid');
    assert.equal(result.valid, false);
    assert.match(result.evidence, /^exact: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('combining verdicts: any false is false, else any unknown is unknown, else true; none at all is unknown', () => {
  const validity = fc.constantFrom<Validity>(true, false, 'unknown');
  fc.assert(
    fc.property(fc.array(validity, { maxLength: 6 }), (vs) => {
      const expected = vs.length === 0 ? 'unknown' : vs.includes(false) ? false : vs.includes('unknown') ? 'unknown' : true;
      assert.equal(combineValidity(vs), expected);
    }),
  );
});

test('two checkers with one name are refused (names key the results)', () => {
  assert.throws(() => composeCheckers(new ExactChecker(), new ExactChecker()), (e: unknown) => e instanceof UsageError && e.message.includes('two are named \'exact\''));
});

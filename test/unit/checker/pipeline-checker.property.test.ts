import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkJournalWith } from '../../../src/checker/check-run.js';
import { PipelineChecker } from '../../../src/checker/pipeline-checker.js';
import { encodeRecord } from '../../../src/history/record-encode.js';
import type { JournalRecord } from '../../../src/history/operation.js';
import type { PipelineGuarantee } from '../../../src/history/pipeline-meta.js';
import { dlq, ends, input, jobOffsets, out, pmeta } from './pipeline-examples.js';

type Outcome = 'ok' | 'info' | 'none' | 'fail';
type Fault = 'none' | 'lost' | 'dup' | 'prov';
interface Plan {
  poison: boolean;
  outcome: Outcome;
  inPartition: number;
  outPartition: number;
  /** An unknown send that landed and was processed. */
  infoOutput: boolean;
  fault: Fault;
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  poison: fc.constantFrom(false, false, false, true),
  outcome: fc.constantFrom<Outcome>('ok', 'ok', 'ok', 'ok', 'info', 'none', 'fail'),
  inPartition: fc.nat(2),
  outPartition: fc.nat(1),
  infoOutput: fc.boolean(),
  fault: fc.constantFrom<Fault>('none', 'none', 'none', 'lost', 'dup', 'prov'),
});

/** Deterministic shuffle (the checker takes records in any order after the meta). */
function shuffle<T>(items: T[], seed: number): T[] {
  let s = seed >>> 0 || 1;
  for (let i = items.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** counters[i]++, returning the old value. */
function next(counters: number[], i: number): number {
  const n = counters[i] as number;
  counters[i] = n + 1;
  return n;
}

/** The history a plan makes, and the findings it must produce. */
function build(plans: Plan[], guarantee: PipelineGuarantee, aborted: number, seed: number): { records: JournalRecord[]; expected: Record<string, number> } {
  const body: JournalRecord[] = [];
  const inEnd = [0, 0, 0];
  const outEnd = [0, 0];
  let dlqEnd = 0;
  const expected: Record<string, number> = {};
  const bump = (name: string): void => {
    expected[name] = (expected[name] ?? 0) + 1;
  };
  // Each key's running count (the examples' 4 keys); a doubled output repeats its count (a replay).
  const keyCounts = [0, 0, 0, 0];
  const replayedKeys = new Set<number>();
  plans.forEach((p, id) => {
    const acked = p.outcome === 'ok';
    const offset = acked ? next(inEnd, p.inPartition) : -1;
    body.push(...input(id, p.inPartition, offset, p.outcome, p.poison));
    const fault: Fault = acked && (p.fault !== 'prov' || p.poison) ? p.fault : 'none';
    const processed = acked || (p.outcome === 'info' && p.infoOutput);
    if (!processed || fault === 'lost') {
      if (fault === 'lost') {
        bump('lost');
        bump('committed-not-output');
      }
      return;
    }
    const copies = fault === 'dup' ? 2 : 1;
    if (fault === 'dup') bump('duplicate');
    if (fault === 'prov') bump('dlq-provenance');
    for (let c = 0; c < copies; c++) {
      if (p.poison) body.push(dlq(id, 0, dlqEnd++, acked ? { partition: p.inPartition, offset: fault === 'prov' ? offset + 1 : offset } : null));
      else body.push(out(id, p.outPartition, next(outEnd, p.outPartition), 'live', `k${id % 4}`, c === 0 ? next(keyCounts, id % 4) + 1 : keyCounts[id % 4]));
      if (c > 0 && !p.poison) replayedKeys.add(id % 4);
      // The read_uncommitted reader sees every committed record again.
      const last = body[body.length - 1] as JournalRecord & { kind: 'out' };
      body.push({ ...last, reader: 'ru' });
    }
  });
  for (let a = 0; a < aborted; a++) body.push(out(100_000 + a, 0, (outEnd[0] as number) + 1 + a, 'ru'));
  if (aborted > 0) expected['aborted-output'] = aborted;
  if (replayedKeys.size > 0) expected['key-count-repeated'] = replayedKeys.size;
  body.push(ends('out', { 0: outEnd[0] as number, 1: outEnd[1] as number }), ends('dlq', { 0: dlqEnd }), jobOffsets({ 0: inEnd[0] as number, 1: inEnd[1] as number, 2: inEnd[2] as number }));
  return { records: [pmeta(guarantee), ...shuffle(body, seed)], expected };
}

test('generated pipeline histories: valid ones are valid, injected loss, duplicates, provenance and aborted output are reported exactly', () => {
  fc.assert(
    fc.property(fc.array(planArb, { minLength: 1, maxLength: 40 }), fc.constantFrom<PipelineGuarantee>('exactly-once', 'at-least-once'), fc.nat(3), fc.nat(), (plans, guarantee, aborted, seed) => {
      const { records, expected } = build(plans, guarantee, aborted, seed);
      const checker = new PipelineChecker();
      for (const r of records) checker.add(r);
      const v = checker.result();
      const got = Object.fromEntries(Object.entries(v.findings).map(([name, f]) => [name, f.count]));
      assert.deepEqual(got, expected);
      const violated = (expected['lost'] ?? 0) + (expected['dlq-provenance'] ?? 0) + (guarantee === 'exactly-once' ? (expected['duplicate'] ?? 0) : 0) > 0;
      assert.equal(v.valid, !violated, v.reasons.join('; '));
      const acked = plans.filter((p) => p.outcome === 'ok').length;
      assert.equal(v.counts.acknowledged, acked);
      assert.equal(v.table.reduce((n, row) => n + row.values, 0), acked);
    }),
    { numRuns: 300 },
  );
});

test('the journal fast lanes give the same pipeline verdict as the records', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-pipeline-prop-'));
  try {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(planArb, { minLength: 1, maxLength: 30 }), fc.constantFrom<PipelineGuarantee>('exactly-once', 'at-least-once'), fc.nat(3), fc.nat(), async (plans, guarantee, aborted, seed) => {
        const { records } = build(plans, guarantee, aborted, seed);
        const inMemory = new PipelineChecker();
        for (const r of records) inMemory.add(r);
        const path = join(dir, `h${n++}.jsonl`);
        writeFileSync(path, records.map((r) => encodeRecord(r) + '\n').join(''));
        const fromFile = await checkJournalWith(path, [new PipelineChecker()]);
        assert.deepEqual(fromFile.checkers.pipeline, inMemory.result());
      }),
      { numRuns: 100 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

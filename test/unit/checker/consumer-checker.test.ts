import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { checkHistory } from '../../../src/checker/check-history.js';
import { checkJournalWith } from '../../../src/checker/check-run.js';
import { composeCheckers } from '../../../src/checker/compose.js';
import { checkConsumer, ConsumerChecker } from '../../../src/checker/consumer-checker.js';
import { latencySummary, worstStretch } from '../../../src/checker/consumer-result.js';
import { ExactChecker } from '../../../src/checker/exact-checker.js';
import { formatConsumerText } from '../../../src/checker/report-text.js';
import { JournalWriter } from '../../../src/history/journal-writer.js';
import { sendValue, type ConsumerDrainedDetail, type JournalRecord } from '../../../src/history/operation.js';
import { generateHistory, historyParams, prng } from './history-gen.js';

/** n acknowledged sends of p0, alternating partitions 0 and 1, acked at 10*i + 1 ms. */
function sends(n: number): JournalRecord[] {
  const out: JournalRecord[] = [];
  for (let i = 0; i < n; i++) {
    const value = sendValue('p0', i);
    out.push({ kind: 'op', type: 'invoke', f: 'send', process: 'p0', value, timeMs: 10 * i });
    out.push({ kind: 'op', type: 'ok', f: 'send', process: 'p0', value, timeMs: 10 * i + 1, partition: i % 2, offset: Math.floor(i / 2) });
  }
  return out;
}

function consume(i: number, member: string, timeMs: number): JournalRecord {
  return { kind: 'op', type: 'ok', f: 'consume', process: member, value: sendValue('p0', i), timeMs, partition: i % 2, offset: Math.floor(i / 2) };
}

function rebalance(member: string, timeMs: number, assigned: number[], revoked: number[] = []): JournalRecord {
  return { kind: 'event', timeMs, event: 'rebalance', detail: { member, group: 'g', topic: 't', assigned, revoked } };
}

function drained(n: number, timeMs: number, complete = true, assignments?: Record<string, number[]>): JournalRecord {
  const ends = [Math.ceil(n / 2), Math.floor(n / 2)];
  const detail: ConsumerDrainedDetail = { group: 'g', topic: 't', complete, partitions: ends.map((endOffset, partition) => ({ partition, endOffset, position: complete ? endOffset : 0, reachedEnd: complete })) };
  if (assignments !== undefined) detail.assignments = assignments;
  return { kind: 'event', timeMs, event: 'consumer-drained', detail: { ...detail } };
}

test('every acknowledged value received after a complete drain: valid, with latencies from the send ok', () => {
  const records = [...sends(4), rebalance('c0', 0, [0, 1]), ...[0, 1, 2, 3].map((i) => consume(i, 'c0', 10 * i + 6)), drained(4, 100)];
  const v = checkConsumer(records);
  assert.equal(v.valid, true);
  assert.equal(v.applicable, true);
  assert.deepEqual(v.reasons, []);
  assert.equal(v.counts.acknowledged, 4);
  assert.equal(v.counts.acknowledgedReceived, 4);
  assert.deepEqual(v.latencyMs, { count: 4, p50: 5, p95: 5, p99: 5, max: 5 });
  assert.equal(v.evidence, '4 acknowledged values; 4 received by 1 member (4 records, 0 duplicate values); drained to the end offsets of 2 partitions; latency p99 5 ms');
  assert.deepEqual(v.stoppedMembers, []);
});

test('an acknowledged value never received after a complete drain is a violation naming value, partition and offset', () => {
  const records = [...sends(4), ...[0, 1, 3].map((i) => consume(i, 'c0', 10 * i + 6)), drained(4, 100)];
  const v = checkConsumer(records);
  assert.equal(v.valid, false);
  assert.deepEqual(v.notReceived, [{ value: 'p0-000002', partition: 0, offset: 1 }]);
  assert.deepEqual(v.reasons, ['1 acknowledged value never received by the group, though it drained past their offsets']);
  assert.match(formatConsumerText(v), /not received: p0-000002 {2}acked at partition 0 offset 1/);
});

test('without a complete drained marker, a missing value is unknown, not a violation', () => {
  const partial = [...sends(4), ...[0, 1, 3].map((i) => consume(i, 'c0', 10 * i + 6))];
  const none = checkConsumer(partial);
  assert.equal(none.valid, 'unknown');
  assert.deepEqual(none.notReceived, []);
  assert.match(none.reasons[0] ?? '', /^no consumer-drained event: the group is not shown to have reached the end offsets: 1 acknowledged value not received cannot be called missing$/);
  const short = checkConsumer([...partial, drained(4, 100, false)]);
  assert.equal(short.valid, 'unknown');
  assert.match(short.reasons[0] ?? '', /stopped short of the end offsets of partitions 0, 1/);
  // A value acknowledged beyond the drained end offsets is not checked: unknown.
  const beyond = checkConsumer([...sends(4), ...[0, 1, 2].map((i) => consume(i, 'c0', 10 * i + 6)), drained(3, 100)]);
  assert.equal(beyond.valid, 'unknown');
  assert.equal(beyond.counts.beyondDrain, 1);
});

test('duplicates are counted per value, and those after a rebalance are told apart', () => {
  const records = [
    ...sends(4),
    rebalance('c0', 0, [0, 1]),
    ...[0, 1, 2, 3].map((i) => consume(i, 'c0', 10 * i + 6)),
    consume(3, 'c0', 37), // again at once: no rebalance in between
    rebalance('c0', 40, [], [0, 1]),
    rebalance('c1', 41, [0, 1]),
    consume(2, 'c1', 45),
    consume(3, 'c1', 46),
    drained(4, 100),
  ];
  const v = checkConsumer(records);
  assert.equal(v.valid, true, 'duplicates are informational');
  assert.equal(v.counts.duplicateValues, 2);
  assert.equal(v.counts.duplicateReceives, 3);
  assert.equal(v.counts.duplicatesAfterRebalance, 2);
  assert.equal(v.counts.rebalances, 3);
  const d3 = v.duplicates.find((d) => d.value === 'p0-000003');
  assert.deepEqual(d3?.receipts.map((r) => `${r.member}@${r.timeMs}`), ['c0@36', 'c0@37', 'c1@46']);
  assert.equal(d3.afterRebalance, 1);
});

test('a member silent for longer than stallMs while its partitions got acknowledged values is flagged stopped', () => {
  const n = 40;
  const records: JournalRecord[] = [...sends(n), rebalance('c0', 0, [0]), rebalance('c1', 0, [1])];
  // c1 (partition 1) stops after 100 ms; c0 keeps receiving partition 0; c2 takes over partition 1 later.
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) records.push(consume(i, 'c0', 10 * i + 3));
    else if (10 * i < 100) records.push(consume(i, 'c1', 10 * i + 3));
    else records.push(consume(i, 'c2', 400 + i));
  }
  records.push(drained(n, 500, true, { c0: [0], c1: [1], c2: [1] }));
  const v = checkConsumer(records, { stallMs: 200 });
  assert.equal(v.valid, true);
  assert.deepEqual(v.stoppedMembers.map((s) => [s.member, s.lastReceiveMs, s.partitions]), [['c1', 93, [1]]]);
  assert.match(v.warnings[0] ?? '', /^member c1 stopped receiving: last receive at 93 ms, while partitions 1 got acknowledged values until 391 ms$/);
  // With a longer stall bound, nobody is flagged; with the assignments at the end saying c1 held nothing, neither.
  assert.deepEqual(checkConsumer(records, { stallMs: 1000 }).stoppedMembers, []);
  const released = [...records.slice(0, -1), drained(n, 500, true, { c0: [0], c1: [], c2: [1] })];
  assert.deepEqual(checkConsumer(released, { stallMs: 200 }).stoppedMembers, []);
});

test('latency percentiles are nearest-rank over first receives; the worst stretch is the longest wait with nothing received', () => {
  const samples = Float64Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.deepEqual(latencySummary(samples), { count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  assert.equal(latencySummary(new Float64Array(0)), null);
  // Acked at 10, 20 and 30; received at 12, then nothing until 80 (two waiting), then 81.
  const stretch = worstStretch([{ ackMs: 10, firstReceiveMs: 12 }, { ackMs: 20, firstReceiveMs: 80 }, { ackMs: 30, firstReceiveMs: 81 }], [12, 80, 81], 100);
  assert.deepEqual(stretch, { fromMs: 20, toMs: 80, durationMs: 60 });
  // A value never received: the stretch runs to the end.
  assert.deepEqual(worstStretch([{ ackMs: 10, firstReceiveMs: Infinity }], [5], 70), { fromMs: 10, toMs: 70, durationMs: 60 });
  assert.equal(worstStretch([], [1, 2], 10), null);
});

test('no consumer group in the history: not applicable, unknown, and the composed verdict ignores it', () => {
  const records = generateHistory({ seed: 3, producers: 1, partitions: 1, maxSends: 20, acksZero: false, inject: { lost: 0, duplicate: 0, unexpected: 0, reordered: 0, recoveredFail: 0 } }).records;
  const v = checkConsumer(records);
  assert.equal(v.applicable, false);
  assert.equal(v.valid, 'unknown');
  const composed = composeCheckers(new ExactChecker(), new ConsumerChecker());
  for (const r of records) composed.add(r);
  const result = composed.result();
  assert.equal(result.valid, checkHistory(records).valid);
  assert.doesNotMatch(result.evidence, /consumer/);
});

test('the exact checker ignores consume ops and consumer events', () => {
  const base = generateHistory({ seed: 5, producers: 2, partitions: 2, maxSends: 30, acksZero: false, inject: { lost: 1, duplicate: 0, unexpected: 0, reordered: 0, recoveredFail: 0 } }).records;
  const alone = checkHistory(base);
  // The lost value is received by the consumer group: the exact checker must still call it lost.
  const lost = alone.anomalies.lost[0];
  assert.ok(lost);
  const extra: JournalRecord[] = [
    rebalance('c0', 1, [0, 1]),
    { kind: 'op', type: 'ok', f: 'consume', process: 'c0', value: lost.value, timeMs: 2, partition: lost.partition ?? 0, offset: lost.offset ?? 0 },
    { kind: 'op', type: 'ok', f: 'consume', process: 'c0', value: 'never-sent', timeMs: 3, partition: 0, offset: 99 },
    drained(2, 4),
  ];
  const withConsumer = checkHistory([...base, ...extra]);
  assert.deepEqual({ ...withConsumer, counts: { ...withConsumer.counts, records: 0 } }, { ...alone, counts: { ...alone.counts, records: 0 } });
  assert.equal(withConsumer.counts.records, alone.counts.records + extra.length);
});

/** A generated produce/read-back history plus a consumer group receiving a random subset (some twice), with rebalances and a drained marker. */
function withConsumerGroup(records: readonly JournalRecord[], seed: number): JournalRecord[] {
  const rnd = prng(seed);
  const out: JournalRecord[] = [...records];
  const ends = new Map<number, number>();
  let t = 1;
  for (const r of records) {
    if (r.kind !== 'op' || r.f !== 'send' || r.type !== 'ok' || r.partition === undefined || r.offset === undefined) continue;
    ends.set(r.partition, Math.max(ends.get(r.partition) ?? 0, r.offset + 1));
    if (rnd() < 0.1) out.push(rebalance(`c${Math.floor(rnd() * 3)}`, r.timeMs + 0.5, [r.partition]));
    const copies = rnd() < 0.1 ? 0 : rnd() < 0.1 ? 2 : 1;
    for (let k = 0; k < copies; k++) out.push({ kind: 'op', type: 'ok', f: 'consume', process: `c${Math.floor(rnd() * 3)}`, value: r.value, timeMs: r.timeMs + 1 + rnd() * 50 + k, partition: r.partition, offset: r.offset });
    t = Math.max(t, r.timeMs + 60);
  }
  const partitions = [...ends].map(([partition, endOffset]) => ({ partition, endOffset, position: endOffset, reachedEnd: true }));
  out.push({ kind: 'event', timeMs: t, event: 'consumer-drained', detail: { group: 'g', topic: 't', complete: partitions.length > 0, partitions } });
  return out;
}

test('property: composed with the exact checker (in memory, and from a file through the fast lanes) it gives what it gives alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-consumer-'));
  try {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(historyParams, fc.integer(), async (p, seed) => {
        const records = withConsumerGroup(generateHistory(p).records, seed);
        const alone = { exact: checkHistory(records), consumer: checkConsumer(records) };
        const composed = composeCheckers(new ExactChecker(), new ConsumerChecker());
        for (const r of records) composed.add(r);
        assert.deepEqual(composed.result().checkers, alone);
        const path = join(dir, `h${n++}.jsonl`);
        const w = JournalWriter.open(path, { flushLines: 7 });
        for (const r of records) w.append(r);
        await w.close();
        const fromFile = await checkJournalWith(path, [new ExactChecker(), new ConsumerChecker()]);
        assert.deepEqual(fromFile.checkers, alone);
        assert.equal(fromFile.valid, composed.result().valid);
      }),
      { numRuns: 100 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

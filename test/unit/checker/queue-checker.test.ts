import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { checkJournalWith, runCheckers } from '../../../src/checker/check-run.js';
import { QueueChecker } from '../../../src/checker/queue-checker.js';
import type { JournalRecord } from '../../../src/history/operation.js';
import { encodeRecord } from '../../../src/history/record-encode.js';
import { assign, drained, EXAMPLES, meta, poll, send, sendMop, txn, type Example } from './queue-examples.js';
import { canInject, INJECTIONS, queueHistory, queueParams, type QueueParams } from './queue-gen.js';

function check(records: JournalRecord[]): ReturnType<QueueChecker['result']> {
  const c = new QueueChecker();
  records.forEach((r, i) => c.add(r, i + 1));
  return c.result();
}

for (const ex of EXAMPLES) {
  test(`queue example: ${ex.name}`, () => {
    const v = check(ex.records);
    assert.deepEqual(Object.keys(v.anomalies).sort(), [...ex.expected].sort(), JSON.stringify(v.anomalies, null, 1));
    assert.equal(v.valid, ex.valid, v.reasons.join('; '));
    for (const name of ex.expected) {
      const a = v.anomalies[name as keyof typeof v.anomalies];
      assert.ok(a !== undefined && a.cases.length === a.count && a.cases.every((c) => c.ops.length > 0), name);
    }
  });
}

test('a value displaced from its offset by a conflicting read keeps its place: reading and sending through that offset in order skips nothing', () => {
  // q2's poll saw 9 at offset 1 before q0's sends were acknowledged: 9 is first seen there, 2 is displaced.
  const early = [...poll('q2', 0.5, { 0: [[1, 9]] }, 'info', 0.5), ...send('q0', 0.2, [[0, 1, 0], [0, 2, 1], [0, 3, 2]], 'ok', 1.3)].sort((a, b) => a.timeMs - b.timeMs);
  const v = check([meta(), ...early, ...assign('q1', 2, [0]), ...poll('q1', 3, { 0: [[0, 1]] }), ...poll('q1', 4, { 0: [[1, 2]] }), ...poll('q1', 5, { 0: [[2, 3]] }), drained(6, { 0: 3 })]);
  // Before the fix: also poll-skip (q1 from index 0 to 2) and int-send-skip (q0's sends at indexes 0, -, 2).
  assert.deepEqual(Object.keys(v.anomalies), ['inconsistent-offsets']);
  // q1 going back to offset 1 after reading it is nonmonotonic, whichever value it saw there.
  const back = check([meta(), ...early, ...assign('q1', 2, [0]), ...poll('q1', 3, { 0: [[0, 1], [1, 2]] }), ...poll('q1', 4, { 0: [[1, 2], [2, 3]] }), drained(6, { 0: 3 })]);
  assert.deepEqual(Object.keys(back.anomalies).sort(), ['inconsistent-offsets', 'nonmonotonic-poll']);
});

test('a component with a cycle reported at an earlier level still reports its other cycle, once, without detours', () => {
  // a0..a2: a G0-realtime cycle (partitions 0, 1). b: its later txn written before its earlier one in partition 2
  // (a G0-process cycle, also one through real time). Real-time order joins them in one component.
  const a = [...txn('a2', 0, [sendMop([1, 6, 1]), sendMop([0, 5, 0])], 'ok', 10), ...txn('a0', 1, [sendMop([0, 1, 1])]), ...txn('a1', 3, [sendMop([1, 2, 0])])];
  const b = [...txn('b', 2, [sendMop([2, 7, 1])]), ...txn('b', 4, [sendMop([2, 8, 0])])];
  const v = check([meta(), ...[...a, ...b].sort((x, y) => x.timeMs - y.timeMs), ...poll('r', 20, { 0: [[0, 5], [1, 1]], 1: [[0, 2], [1, 6]], 2: [[0, 8], [1, 7]] }), drained(21, { 0: 2, 1: 2, 2: 2 })]);
  // Before the fix: no G0-realtime (the shortest cycle through a realtime edge was b's, already reported as G0-process).
  assert.deepEqual(Object.keys(v.anomalies).sort(), ['G0-process', 'G0-realtime', 'nonmonotonic-send', 'offset-regression']);
  // b's cycle through a detour in real time (b -> a1 -> b) is the same cycle: not a second G0-realtime.
  const realtime = v.anomalies['G0-realtime'];
  assert.equal(realtime?.count, 1);
  assert.deepEqual(realtime.cases[0]?.ops.map((o) => o.process).sort(), ['a0', 'a1', 'a2']);
});

test('the generator has an injection for every anomaly the checker names', () => {
  assert.deepEqual(INJECTIONS.filter((n) => !canInject(n)), []);
});

test('generated valid queue histories show no anomaly and are valid; each injected anomaly is found with its severity, and only those', () => {
  const injected = new Set<string>();
  fc.assert(
    fc.property(queueParams, (p) => {
      const { records, expected, severity } = queueHistory(p);
      const v = check(records);
      assert.deepEqual(Object.keys(v.anomalies).sort(), [...expected].sort());
      for (const name of expected) {
        const a = v.anomalies[name];
        assert.ok(a !== undefined && a.cases.length === a.count && a.cases.every((c) => c.ops.length > 0), name);
        assert.equal(a.severity, severity[name], `${name} under ${JSON.stringify(p.options)}`);
        injected.add(name);
      }
      assert.equal(v.valid, !expected.some((n) => severity[n] === 'failure'), v.reasons.join('; '));
    }),
    { numRuns: 300 },
  );
  // Every kind found a place in some history (an injection that never fits would test nothing).
  assert.deepEqual(INJECTIONS.filter((n) => !injected.has(n)), []);
});

test('a failing property shrinks to a small history', () => {
  const failure = fc.check(
    fc.property(queueParams, (p) => Object.keys(check(queueHistory(p).records).anomalies).length === 0),
    { numRuns: 300, seed: 7 },
  );
  assert.equal(failure.failed, true);
  const [p] = failure.counterexample as [QueueParams];
  // Minimal: one injection, and few steps.
  assert.equal(p.inject.length, 1);
  assert.ok(p.steps.length <= 4, `steps: ${p.steps.length}`);
});

test('a failing property about one anomaly of the history\'s own records shrinks to the fewest values it needs', () => {
  const failure = fc.check(
    fc.property(queueParams, (p) => check(queueHistory(p).records).anomalies['poll-skip'] === undefined),
    { numRuns: 300, seed: 7 },
  );
  assert.equal(failure.failed, true);
  const [p] = failure.counterexample as [QueueParams];
  assert.deepEqual(p.inject.map((i) => i.kind), ['poll-skip']);
  // A poll skip needs three values in a partition: the two polled and the one skipped between them.
  assert.equal(p.steps.reduce((n, s) => n + s.sends.length, 0), 3);
  assert.ok(p.steps.length <= 4, `steps: ${p.steps.length}`);
});

test('a truncated journal is checked to its last complete line and the verdict says unknown', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-queue-'));
  try {
    const path = join(dir, 'history.jsonl');
    const lines = (EXAMPLES[0] as Example).records.map((r) => encodeRecord(r));
    writeFileSync(path, lines.join('\n') + '\n' + (lines[1] as string).slice(0, 20));
    const result = await checkJournalWith(path, runCheckers());
    assert.equal(result.checkers.queue.truncated, true);
    assert.equal(result.checkers.queue.valid, 'unknown');
    assert.match(result.checkers.queue.reasons.join(' '), /truncated/);
    assert.equal(result.valid, 'unknown');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

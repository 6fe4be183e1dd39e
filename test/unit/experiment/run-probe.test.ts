import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProbe, type ProbeSpec } from '../../../src/experiment/probes/probe-spec.js';
import { ProbeMemory, type ProbeContext } from '../../../src/experiment/probes/probe-context.js';
import { runProbe } from '../../../src/experiment/probes/run-probe.js';
import { probeRecord } from '../../../src/experiment/probes/probe-record.js';
import { JournalWriter } from '../../../src/history/journal-writer.js';
import { readJournal } from '../../../src/history/journal-reader.js';
import { toJournalRecord } from '../../../src/history/record-validate.js';
import { JOURNAL_FORMAT_VERSION, type JournalRecord } from '../../../src/history/operation.js';
import { encodeRecord } from '../../../src/history/record-encode.js';
import { checkJournalWith, runCheckers } from '../../../src/checker/check-run.js';
import { answering, silent, startFakeBroker, type FakeMetadata } from '../kafka/fake-broker.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'faultline-probes-'));

function context(extra: Partial<ProbeContext> = {}): ProbeContext {
  let clock = 0;
  return { bootstrap: '127.0.0.1:1', brokers: [], nowMs: () => (clock += 1000), memory: new ProbeMemory(), ...extra };
}

const node = (code: string): string[] => [process.execPath, '-e', code];
const probe = (input: Record<string, unknown>): ProbeSpec => parseProbe({ name: 'p', ...input }, []);

test('command probe: the exit code is the value; 0 passes the default tolerance, 3 does not', async () => {
  const ok = await runProbe(probe({ kind: 'command', command: node('process.exit(0)') }), context());
  assert.equal(ok.ok, true, ok.detail);
  assert.equal(ok.value, 0);
  const three = await runProbe(probe({ kind: 'command', command: node('process.exit(3)') }), context());
  assert.deepEqual([three.ok, three.value, three.detail], [false, 3, 'expected 0, got 3']);
});

test('command probe with json: stdout parsed, a path tolerance picks a field; bad JSON and a non-zero exit fail with the reason', async () => {
  const spec = probe({ kind: 'command', json: true, command: node('console.log(JSON.stringify({ status: { ready: 3 } }))'), tolerance: { path: '$.status.ready', range: [3, null] } });
  const result = await runProbe(spec, context());
  assert.equal(result.ok, true, result.detail);
  assert.deepEqual(result.value, { status: { ready: 3 } });
  const notJson = await runProbe(probe({ kind: 'command', json: true, command: node('console.log("hello")'), tolerance: { equals: 1 } }), context());
  assert.equal(notJson.ok, false);
  assert.match(notJson.detail, /stdout is not JSON/);
  const failing = await runProbe(probe({ kind: 'command', json: true, command: node('console.error("boom"); process.exit(2)'), tolerance: { equals: 1 } }), context());
  assert.match(failing.detail, /exited 2: boom/);
});

test('command probe is bounded in time and output, and a missing program is a failed probe, not a throw', async () => {
  const started = performance.now();
  const slow = await runProbe(probe({ kind: 'command', timeoutMs: 300, command: node('setTimeout(() => {}, 60000)') }), context());
  assert.equal(slow.ok, false);
  assert.match(slow.detail, /timed out after 300 ms/);
  assert.ok(performance.now() - started < 5000, 'the child was killed at the timeout');
  const loud = await runProbe(probe({ kind: 'command', command: node('const b = "x".repeat(65536); for (let i = 0; i < 40; i++) process.stdout.write(b)') }), context());
  assert.match(loud.detail, /wrote more than 1048576 bytes to stdout/);
  const missing = await runProbe(probe({ kind: 'command', command: ['/nonexistent/faultline-probe'] }), context());
  assert.equal(missing.ok, false);
  assert.match(missing.detail, /cannot run \/nonexistent\/faultline-probe/);
  assert.equal(missing.value, null);
});

test('runProbe keeps each probe\'s observations: consecutive passes on the third success in a row', async () => {
  const ctx = context();
  const spec = probe({ kind: 'command', command: node('process.exit(0)'), tolerance: { consecutive: 3, equals: 0 } });
  const failing = probe({ kind: 'command', command: node('process.exit(1)'), tolerance: { consecutive: 3, equals: 0 } });
  const verdicts: boolean[] = [];
  for (const s of [spec, spec, failing, spec, spec, spec]) verdicts.push((await runProbe(s, ctx)).ok);
  assert.deepEqual(verdicts, [false, false, false, false, false, true]);
  assert.equal(ctx.memory?.observations('p').length, 6);
});

/** A journal of one producer's sends and a read-back of all of them, as a run writes it. */
function journalLines(lost: boolean): JournalRecord[] {
  const records: JournalRecord[] = [{ kind: 'meta', timeMs: 0, formatVersion: JOURNAL_FORMAT_VERSION, startedAt: '2025-01-01T00:00:00Z', run: 'r', topic: 't' }];
  for (let i = 0; i < 3; i++) {
    const value = `p0-00000${i}`;
    records.push({ kind: 'op', type: 'invoke', f: 'send', process: 'p0', value, timeMs: i });
    records.push({ kind: 'op', type: 'ok', f: 'send', process: 'p0', value, timeMs: i + 0.5, partition: 0, offset: i });
  }
  records.push({ kind: 'probe', timeMs: 4, name: 'h', probe: 'cluster-health', phase: 'during', ok: true, value: { healthy: true } });
  records.push({ kind: 'op', type: 'invoke', f: 'read', process: 'r0', value: '', timeMs: 5 });
  const read = lost ? 2 : 3;
  for (let i = 0; i < read; i++) records.push({ kind: 'op', type: 'ok', f: 'read', process: 'r0', value: `p0-00000${i}`, timeMs: 6 + i, partition: 0, offset: i });
  records.push({ kind: 'read-back', timeMs: 10, process: 'r0', topic: 't', partitions: [{ partition: 0, startOffset: 0, endOffset: read, read, reachedEnd: true }] });
  return records;
}

test('checker probe: the composed checkers on the journal so far; a line being written is ignored', async () => {
  const dir = tmp();
  const good = join(dir, 'good.jsonl');
  writeFileSync(good, journalLines(false).map((r) => encodeRecord(r) + '\n').join(''));
  appendFileSync(good, '{"kind":"op","type":"invo');
  const ok = await runProbe(probe({ kind: 'checker' }), context({ historyPath: good }));
  assert.equal(ok.ok, true, ok.detail);
  assert.deepEqual(Object.keys(ok.value as object), ['valid', 'evidence']);
  assert.equal((ok.value as { valid: unknown }).valid, true);
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, journalLines(true).map((r) => encodeRecord(r) + '\n').join(''));
  const lost = await runProbe(probe({ kind: 'checker', checkers: ['exact'] }), context({ historyPath: bad }));
  assert.equal(lost.ok, false);
  assert.equal((lost.value as { valid: unknown }).valid, false);
  assert.match((lost.value as { evidence: string }).evidence, /^exact: /);
  const none = await runProbe(probe({ kind: 'checker' }), context());
  assert.match(none.detail, /needs the run's journal/);
});

test('untilBytes: the reader stops at the size given, and the cut line is the truncated tail', async () => {
  const path = join(tmp(), 'h.jsonl');
  const lines = journalLines(false).map((r) => encodeRecord(r) + '\n');
  writeFileSync(path, lines.join(''));
  const until = Buffer.byteLength(lines.slice(0, 3).join('')) + 5;
  const seen: JournalRecord[] = [];
  const reader = readJournal(path, { untilBytes: until, chunkBytes: 16 });
  for (;;) {
    const next = await reader.next();
    if (next.done === true) {
      assert.equal(next.value.truncatedTail?.lineNumber, 4);
      break;
    }
    seen.push(next.value);
  }
  assert.equal(seen.length, 3);
  const whole = await checkJournalWith(path, runCheckers(), { untilBytes: Buffer.byteLength(lines.join('')) });
  assert.equal(whole.valid, true, whole.evidence);
});

test('probe record: made from a result, written and read back through the journal; malformed ones are refused', async () => {
  const result = await runProbe(probe({ kind: 'command', command: node('process.exit(0)') }), context());
  const record = probeRecord(result, 'before', 12.5);
  assert.deepEqual(record, { kind: 'probe', timeMs: 12.5, name: 'p', probe: 'command', phase: 'before', ok: true, value: 0, detail: '0 as expected' });
  const failed = probeRecord({ ...result, ok: false, value: null, detail: 'boom' }, 'safeguard', 1);
  assert.equal('value' in failed, false);
  const path = join(tmp(), 'history.jsonl');
  const writer = JournalWriter.open(path);
  writer.append(record);
  writer.append(failed);
  await writer.close();
  const back: JournalRecord[] = [];
  for await (const r of readJournal(path)) back.push(r);
  assert.deepEqual(back, [record, failed]);
  assert.throws(() => toJournalRecord({ ...record, phase: 'later' }), /probe: bad phase "later"/);
  assert.throws(() => toJournalRecord({ ...record, ok: 'yes' }), /probe: ok must be true or false/);
  assert.throws(() => toJournalRecord({ ...record, name: 3 }), /probe: name must be a string/);
});

function metadata(overrides: Partial<FakeMetadata> = {}): FakeMetadata {
  return {
    brokers: [1, 2, 3].map((id) => ({ id, host: '127.0.0.1', port: 9092 })),
    controllerId: 2,
    topics: [{ name: 't', partitions: [0, 1].map((partition) => ({ partition, leader: 1, leaderEpoch: 4, replicas: [1, 2, 3], isr: [1, 2, 3] })) }],
    ...overrides,
  };
}

test('cluster-health against fake brokers: healthy, then a silent broker, a shrunk ISR and a missing topic are each named', async () => {
  const healthy = metadata();
  const sick = metadata({
    brokers: [1, 2].map((id) => ({ id, host: '127.0.0.1', port: 9092 })),
    topics: [{ name: 't', partitions: [{ partition: 0, leader: 1, leaderEpoch: 5, replicas: [1, 2, 3], isr: [1, 2] }, { partition: 1, leader: -1, leaderEpoch: 5, replicas: [1, 2, 3], isr: [] }] }],
  });
  const brokers = await Promise.all([answering(healthy), answering(healthy), answering(healthy)].map((r) => startFakeBroker(r)));
  const sickBrokers = await Promise.all([answering(sick), answering(healthy), silent].map((r) => startFakeBroker(r)));
  try {
    const ctx = (list: typeof brokers): ProbeContext => context({ brokers: list.map((b, i) => ({ id: i + 1, host: '127.0.0.1', port: b.port })) });
    const good = await runProbe(probe({ kind: 'cluster-health', topics: ['t'] }), ctx(brokers));
    assert.equal(good.ok, true, good.detail);
    assert.deepEqual(good.value, { healthy: true, brokersUp: 3, brokersExpected: 3, offlinePartitions: 0, underReplicated: 0, controller: 2, problems: [] });
    assert.deepEqual(brokers[0]?.requests[0]?.topics, ['t']);
    const bad = await runProbe(probe({ kind: 'cluster-health', timeoutMs: 500 }), ctx(sickBrokers));
    assert.equal(bad.ok, false);
    const value = bad.value as { brokersUp: number; offlinePartitions: number; underReplicated: number; problems: string[] };
    assert.equal(value.brokersUp, 2, 'the silent broker 3 is down');
    assert.equal(value.offlinePartitions, 1, 'the newest epoch (5) wins over the stale healthy view');
    assert.equal(value.underReplicated, 1);
    assert.deepEqual(value.problems, ['broker 3 did not answer', 't/0 ISR [1,2] of replicas [1,2,3]', 't/1 has no leader']);
    assert.equal(sickBrokers[0]?.requests[0]?.topics, null, 'without topics it asks for all');
    const unknown = await runProbe(probe({ kind: 'cluster-health', topics: ['t', 'nope'] }), ctx(brokers));
    assert.match(((unknown.value as { problems: string[] }).problems).join(), /topic nope does not exist/);
  } finally {
    await Promise.all([...brokers, ...sickBrokers].map((b) => b.close()));
  }
});

test('round-trip with consumer: group and no consumer-group workload fails with the reason, without throwing', async () => {
  const result = await runProbe(probe({ kind: 'round-trip', topic: 't', consumer: 'group' }), context());
  assert.equal(result.ok, false);
  assert.match(result.detail, /consumer: group needs a consumer-group workload/);
});

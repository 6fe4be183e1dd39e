import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { UsageError } from '../../../src/errors.js';
import { registerCheckCommand } from '../../../src/cli/check-command.js';
import { Run } from '../../../src/history/run.js';
import type { JournalRecord } from '../../../src/history/operation.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'faultline-check-'));

async function runCheck(args: string[]): Promise<{ out: string; exitCode: number | undefined; error: unknown }> {
  const program = new Command().exitOverride();
  const chunks: string[] = [];
  registerCheckCommand(program, (t) => chunks.push(t));
  const saved = process.exitCode;
  process.exitCode = undefined;
  let error: unknown = null;
  try {
    await program.parseAsync(['node', 'faultline', 'check', ...args]);
  } catch (e) {
    error = e;
  }
  const exitCode = process.exitCode as number | undefined;
  process.exitCode = saved;
  return { out: chunks.join(''), exitCode, error };
}

/** A run directory holding `records` after the meta line. */
async function runWith(root: string, name: string, records: JournalRecord[]): Promise<string> {
  const run = Run.create(root, { run: name, topic: 't', acks: '1' }, { markActive: false });
  for (const r of records) run.append(r);
  await run.close();
  return run.path;
}

/** Three acknowledged sends to partition 0, a fault, a sample, and a read-back of `readValues` values reaching offset `endOffset`. */
function produced(readValues: number, endOffset: number | null): JournalRecord[] {
  const out: JournalRecord[] = [];
  for (let i = 0; i < 3; i++) {
    const value = `p0-00000${i}`;
    out.push({ kind: 'op', type: 'invoke', f: 'send', process: 'p0', value, timeMs: i * 10 });
    out.push({ kind: 'op', type: 'ok', f: 'send', process: 'p0', value, timeMs: i * 10 + 1, partition: 0, offset: i });
    if (i === 0) out.push({ kind: 'event', timeMs: 5, event: 'fault-start', faultId: 'f1', fault: 'kill', target: 'leader(t,0)', node: 1 });
  }
  out.push({ kind: 'sample', timeMs: 40, topic: 't', partitions: [{ partition: 0, leader: 1, isr: [1], highWatermark: readValues }] });
  out.push({ kind: 'op', type: 'invoke', f: 'read', process: 'r0', value: '', timeMs: 50 });
  for (let i = 0; i < readValues; i++) out.push({ kind: 'op', type: 'ok', f: 'read', process: 'r0', value: `p0-00000${i}`, timeMs: 51 + i, partition: 0, offset: i });
  if (endOffset !== null) out.push({ kind: 'read-back', timeMs: 60, process: 'r0', topic: 't', partitions: [{ partition: 0, startOffset: 0, endOffset, read: readValues, reachedEnd: true }] });
  return out;
}

interface CheckJson {
  valid: boolean | 'unknown';
  evidence: string;
  warnings: string[];
  checkers: Record<string, { checker: string; valid: boolean | 'unknown'; evidence: string; reasons: string[] } & Record<string, unknown>>;
}

test('check: a valid run exits 0; --json is {valid, evidence, warnings, checkers: {exact, availability, consumer, queue, pipeline, window}}, consumer, queue, pipeline and window not applicable', async () => {
  const root = tmp();
  try {
    const path = await runWith(root, 'ok', produced(3, 3));
    const json = await runCheck([path, '--json']);
    assert.equal(json.error, null);
    assert.equal(json.exitCode, undefined);
    const result = JSON.parse(json.out) as CheckJson;
    assert.deepEqual(Object.keys(result), ['valid', 'evidence', 'warnings', 'checkers']);
    assert.deepEqual(Object.keys(result.checkers), ['exact', 'availability', 'consumer', 'queue', 'pipeline', 'window']);
    assert.equal(result.checkers['queue']?.['applicable'], false);
    assert.equal(result.checkers['pipeline']?.['applicable'], false);
    assert.equal(result.checkers['window']?.['applicable'], false);
    // No consumer group in this run: the consumer checker does not apply and takes no part in the verdict.
    assert.equal(result.checkers['consumer']?.['applicable'], false);
    assert.equal(result.checkers['consumer'].valid, 'unknown');
    assert.equal(result.valid, true);
    assert.equal(result.checkers['exact']?.valid, true);
    assert.equal(result.checkers['exact']['verdict'], 'valid');
    assert.equal(result.checkers['exact'].evidence, '3 acknowledged values; read back to the end offsets of 1 partition: 3 records');
    assert.equal(result.checkers['availability']?.valid, true);
    assert.deepEqual(result.checkers['availability']['recoveryMs'], { f1: 6 });
    assert.match(result.evidence, /^exact: 3 acknowledged values; .*; availability: 3 writes acknowledged/);

    const text = await runCheck([path]);
    assert.equal(text.exitCode, undefined);
    assert.match(text.out, /^VALID \(run ok, topic t, acks=1\)\nevidence: 3 acknowledged values; read back to the end offsets of 1 partition: 3 records\n/);
    assert.match(text.out, /\navailability: VALID \(informational\): 3 writes acknowledged/);
    assert.match(text.out, /first write sent after f1 acknowledged 0\.0 s after it/);
    assert.match(text.out, /\nconsumer: not applicable: no consumer group in the history: nothing to check\n/);
    assert.match(text.out, /\nverdict: VALID \(exact: 3 acknowledged values; read back to the end offsets of 1 partition: 3 records; availability: .*\)\n$/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('check: a lost value exits 1 (invalid), text and JSON; bad input is a UsageError', async () => {
  const root = tmp();
  try {
    const path = await runWith(root, 'r', produced(2, 2));
    const text = await runCheck([path, '--max-listed', '1']);
    assert.equal(text.error, null);
    assert.equal(text.exitCode, 1);
    assert.match(text.out, /^INVALID \(run r, topic t, acks=1\)/);
    assert.match(text.out, /p0-000002 {2}acked at partition 0 offset 2/);
    assert.match(text.out, /\nverdict: INVALID \(exact: 3 acknowledged values; read back to the end offsets of 1 partition: 2 records\)\n$/);

    const json = await runCheck([path, '--json']);
    assert.equal(json.exitCode, 1);
    const result = JSON.parse(json.out) as CheckJson;
    assert.equal(result.valid, false);
    assert.equal(result.checkers['exact']?.valid, false);
    assert.deepEqual(result.checkers['exact'].reasons, ['1 acknowledged values lost (never read back)']);
    assert.equal((result.checkers['exact']['partitions'] as { ackedAboveHighWatermark: number }[])[0]?.ackedAboveHighWatermark, 1);

    const bad = await runCheck([root]);
    assert.ok(bad.error instanceof UsageError);
    assert.match((bad.error as Error).message, /is not a faultline run directory: no history.jsonl/);
    const badN = await runCheck([path, '--max-listed', 'x']);
    assert.ok(badN.error instanceof UsageError);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('check: nothing acknowledged and nothing read back is UNKNOWN (exit 1), not VALID', async () => {
  const root = tmp();
  try {
    const path = await runWith(root, 'empty', []);
    const json = await runCheck([path, '--json']);
    assert.equal(json.exitCode, 1);
    const result = JSON.parse(json.out) as CheckJson;
    assert.equal(result.valid, 'unknown');
    assert.equal(result.checkers['exact']?.valid, 'unknown');
    assert.equal(result.checkers['availability']?.valid, 'unknown');
    assert.match(result.evidence, /^exact: no evidence: nothing sent and nothing read back; availability: no sends: nothing to measure$/);
    const text = await runCheck([path]);
    assert.equal(text.exitCode, 1);
    assert.match(text.out, /^UNKNOWN \(run empty, topic t, acks=1\)\n {2}- no evidence: nothing acknowledged and nothing read back\n/);
    assert.match(text.out, /\nverdict: UNKNOWN \(exact: no evidence/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('check: acknowledged values with a read-back that never recorded reaching the end are UNKNOWN (exit 1)', async () => {
  const root = tmp();
  try {
    const path = await runWith(root, 'old', produced(3, null));
    const json = await runCheck([path, '--json']);
    assert.equal(json.exitCode, 1);
    const result = JSON.parse(json.out) as CheckJson;
    assert.equal(result.valid, 'unknown');
    assert.equal(result.checkers['exact']?.valid, 'unknown');
    assert.equal(result.checkers['availability']?.valid, true);
    assert.match(result.evidence, /^exact: 3 acknowledged values; read-back not shown complete/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

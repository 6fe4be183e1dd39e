import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { UsageError } from '../../../src/errors.js';
import { registerCheckCommand } from '../../../src/cli/check-command.js';
import { createRunDir, openRunDir } from '../../../src/history/run-dir.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'faultline-rundir-'));

test('openRunDir: one clear error for anything that is not a run directory', async () => {
  const root = tmp();
  try {
    await assert.rejects(openRunDir(join(root, 'missing')), (e: unknown) => e instanceof UsageError && e.message === `${join(root, 'missing')} is not a faultline run directory: no such directory`);
    await assert.rejects(openRunDir(root), (e: unknown) => e instanceof UsageError && e.message === `${root} is not a faultline run directory: no history.jsonl`);
    writeFileSync(join(root, 'file'), 'x');
    await assert.rejects(openRunDir(join(root, 'file')), /is not a faultline run directory: not a directory/);
    mkdirSync(join(root, 'r'));
    writeFileSync(join(root, 'r', 'history.jsonl'), '');
    writeFileSync(join(root, 'r', 'meta.json'), '{oops');
    await assert.rejects(openRunDir(join(root, 'r')), /malformed meta.json/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('createRunDir writes meta.json and the meta line, refuses to reuse a run', async () => {
  const root = tmp();
  try {
    const { dir, journal } = createRunDir(root, { run: 'r1', topic: 't', acks: 'all', seed: 7, scenario: 'seed-001' });
    journal.append({ kind: 'op', type: 'invoke', f: 'send', process: 'p0', value: 'p0-000000', timeMs: journal.elapsedMs() });
    await journal.close();
    const opened = await openRunDir(dir.path);
    assert.equal(opened.meta?.topic, 't');
    assert.equal(opened.meta['scenario'], 'seed-001');
    const first = JSON.parse(readFileSync(opened.historyPath, 'utf8').split('\n')[0] ?? '') as Record<string, unknown>;
    assert.equal(first['kind'], 'meta');
    assert.equal(first['formatVersion'], 1);
    assert.throws(() => createRunDir(root, { run: 'r1' }), /already holds a run/);
    assert.throws(() => createRunDir(root, { run: '../x' }), UsageError);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

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

test('faultline check: text, --json, exit code 1 on a violation, UsageError on a non-run directory', async () => {
  const root = tmp();
  try {
    const { dir, journal } = createRunDir(root, { run: 'r', topic: 't', acks: '1' });
    for (let i = 0; i < 3; i++) {
      const value = `p0-00000${i}`;
      journal.append({ kind: 'op', type: 'invoke', f: 'send', process: 'p0', value, timeMs: i });
      journal.append({ kind: 'op', type: 'ok', f: 'send', process: 'p0', value, timeMs: i, partition: 0, offset: i });
    }
    journal.append({ kind: 'sample', timeMs: 5, topic: 't', partitions: [{ partition: 0, leader: 1, isr: [1], highWatermark: 2 }] });
    journal.append({ kind: 'op', type: 'invoke', f: 'read', process: 'r0', value: '', timeMs: 6 });
    journal.append({ kind: 'op', type: 'ok', f: 'read', process: 'r0', value: 'p0-000000', timeMs: 6, partition: 0, offset: 0 });
    journal.append({ kind: 'op', type: 'ok', f: 'read', process: 'r0', value: 'p0-000001', timeMs: 6, partition: 0, offset: 1 });
    await journal.close();

    const text = await runCheck([dir.path, '--max-listed', '1']);
    assert.equal(text.error, null);
    assert.equal(text.exitCode, 1);
    assert.match(text.out, /^INVALID \(run r, topic t, acks=1\)/);
    assert.match(text.out, /p0-000002 {2}acked at partition 0 offset 2/);

    const json = await runCheck([dir.path, '--json']);
    const verdict = JSON.parse(json.out) as { verdict: string; partitions: { ackedAboveHighWatermark: number }[] };
    assert.equal(verdict.verdict, 'invalid');
    assert.equal(verdict.partitions[0]?.ackedAboveHighWatermark, 1);

    const bad = await runCheck([root]);
    assert.ok(bad.error instanceof UsageError);
    assert.match((bad.error as Error).message, /is not a faultline run directory: no history.jsonl/);
    const badN = await runCheck([dir.path, '--max-listed', 'x']);
    assert.ok(badN.error instanceof UsageError);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

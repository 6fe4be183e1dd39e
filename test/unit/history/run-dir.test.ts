import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../../src/errors.js';
import { openRunDir } from '../../../src/history/run-dir.js';
import { Run } from '../../../src/history/run.js';
import { JOURNAL_FORMAT_VERSION } from '../../../src/history/operation.js';

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

test('Run.create writes meta.json and the meta line, refuses to reuse a run', async () => {
  const root = tmp();
  try {
    const run = Run.create(root, { run: 'r1', topic: 't', acks: 'all', seed: 7, scenario: 'seed-001' }, { markActive: false });
    run.append({ kind: 'op', type: 'invoke', f: 'send', process: 'p0', value: 'p0-000000', timeMs: run.elapsedMs() });
    await run.close();
    const opened = await openRunDir(run.path);
    assert.equal(opened.meta?.topic, 't');
    assert.equal(opened.meta['scenario'], 'seed-001');
    const first = JSON.parse(readFileSync(opened.historyPath, 'utf8').split('\n')[0] ?? '') as Record<string, unknown>;
    assert.equal(first['kind'], 'meta');
    assert.equal(first['formatVersion'], JOURNAL_FORMAT_VERSION);
    assert.throws(() => Run.create(root, { run: 'r1' }, { markActive: false }), /already holds a run/);
    assert.throws(() => Run.create(root, { run: '../x' }, { markActive: false }), UsageError);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

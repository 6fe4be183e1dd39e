import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJobFault } from '../../../src/job/job-fault.js';
import { newestStateFile } from '../../../src/job/state-file.js';
import { FieldError } from '../../../src/errors.js';

/** A Spark-like checkpoint: offsets/0..2 with their hidden .crc files, and a state file; mtimes in file order. */
function checkpoint(): string {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-state-'));
  const files = ['records/offsets/0', 'records/offsets/.0.crc', 'records/offsets/1', 'records/state/0/0/1.delta', 'records/offsets/2', 'records/offsets/.2.crc'];
  files.forEach((file, i) => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), `v1\n${'x'.repeat(i + 1)}\n`);
    utimesSync(join(dir, file), 1_000 + i, 1_000 + i);
  });
  return dir;
}

test('the newest state file: hidden checksum files left out, a path part narrows it; none is null', () => {
  const dir = checkpoint();
  try {
    assert.deepEqual(newestStateFile(dir), { path: join(dir, 'records/offsets/2'), sizeBytes: 3 + 5 + 1 });
    assert.deepEqual(newestStateFile(dir, 'state/'), { path: join(dir, 'records/state/0/0/1.delta'), sizeBytes: 3 + 4 + 1 });
    assert.equal(newestStateFile(dir, 'commits/'), null);
    assert.equal(newestStateFile(join(dir, 'missing')), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('state-corrupt takes an optional path part, refused at path when empty, with .. or not text', () => {
  assert.deepEqual(parseJobFault({ kind: 'state-corrupt' }), { kind: 'state-corrupt', target: 'job' });
  assert.deepEqual(parseJobFault({ kind: 'state-corrupt', path: 'offsets/' }), { kind: 'state-corrupt', target: 'job', path: 'offsets/' });
  for (const path of ['', '../x', 3]) {
    assert.throws(() => parseJobFault({ kind: 'state-corrupt', path }), (e: unknown) => e instanceof FieldError && e.path.join('.') === 'path');
  }
});

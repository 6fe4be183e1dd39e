import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSampleRun } from './sample-run.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src/cli/main.js');

test('faultline report RUN_DIR --format md --out DIR --json writes report.md only and prints the files', async () => {
  const root = mkdtempSync(join(tmpdir(), 'faultline-report-cli-'));
  try {
    const runDir = await writeSampleRun(root);
    const out = join(root, 'out');
    const printed = JSON.parse(execFileSync(process.execPath, [CLI, 'report', runDir, '--format', 'md', '--out', out, '--json'], { encoding: 'utf8' })) as { valid: unknown; files: { format: string; path: string }[] };
    // The sample run's meta names no consumer group: the consumer checker does not apply.
    assert.equal(printed.valid, true);
    assert.deepEqual(printed.files, [{ format: 'md', path: join(out, 'report.md') }]);
    assert.ok(existsSync(join(out, 'report.md')) && !existsSync(join(out, 'report.html')));
    const all = spawnSync(process.execPath, [CLI, 'report', runDir], { encoding: 'utf8' });
    assert.equal(all.status, 0, all.stderr);
    for (const f of ['report.html', 'junit.xml', 'report.md']) assert.ok(existsSync(join(runDir, f)), f);
    const badFormat = spawnSync(process.execPath, [CLI, 'report', runDir, '--format', 'pdf'], { encoding: 'utf8' });
    assert.equal(badFormat.status, 2);
    assert.match(badFormat.stderr, /Allowed choices are html, junit, md, all/);
    const notRun = spawnSync(process.execPath, [CLI, 'report', out], { encoding: 'utf8' });
    assert.equal(notRun.status, 2);
    assert.match(notRun.stderr, /not a faultline run directory/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

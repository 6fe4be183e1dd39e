import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VALID_SCENARIO, withLine } from '../scenario/fixtures.js';

const MATRIX = 'test/fixtures/experiments/coordinator-restart-matrix.yaml';

function cli(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['dist/src/cli/main.js', 'validate', ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'faultline-validate-'));
const bad = join(dir, 'bad.yaml');
writeFileSync(bad, withLine('  count: 100', '  count: 0'));
const old = join(dir, 'old.yaml');
writeFileSync(old, withLine('apiVersion: faultline/v1', ''));
const good = join(dir, 'good.yaml');
writeFileSync(good, VALID_SCENARIO);

test('validate: every file valid exits 0, prints OK per file and the variant names of a matrix', () => {
  const result = cli([good, MATRIX]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  assert.equal(lines[0], `OK ${good} (scenario)`);
  assert.equal(lines[1], `OK ${MATRIX} (experiment, 6 variants)`);
  assert.equal(lines[2], '  coordinator-restart[restartMode=terminate,target=coordinator:readers]');
  assert.equal(lines[7], '  coordinator-restart[restartMode=kill,target=controller]');
  assert.equal(lines.at(-1), '2 valid');
});

test('validate: any invalid file exits 2, each printed with its positioned error, the valid ones still OK', () => {
  const result = cli([bad, good, old]);
  assert.equal(result.code, 2);
  assert.deepEqual(result.stdout.trimEnd().split('\n'), [
    `INVALID ${bad}:12:10: workload.count: expected at least 1, got 0`,
    `OK ${good} (scenario)`,
    `INVALID ${old}:2:1: apiVersion: missing (required); add the line 'apiVersion: faultline/v1' at the top of the file`,
    '2 of 3 invalid',
  ]);
});

test('validate --json: one verdict per file; a missing file is invalid, not a crash', () => {
  const result = cli([MATRIX, join(dir, 'missing.yaml'), '--json']);
  assert.equal(result.code, 2);
  const verdicts = JSON.parse(result.stdout) as { file: string; ok: boolean; kind?: string; variants?: string[]; error?: string }[];
  assert.equal(verdicts.length, 2);
  assert.equal(verdicts[0]?.ok, true);
  assert.equal(verdicts[0]?.kind, 'experiment');
  assert.equal(verdicts[0]?.variants?.length, 6);
  assert.deepEqual(verdicts[1], { file: join(dir, 'missing.yaml'), ok: false, error: `${join(dir, 'missing.yaml')}: cannot read file (no such file)` });
});

test('validate: the shipped suite is valid', () => {
  const result = cli(['scenarios/kafka/01-acks0-leader-killed.yaml', 'scenarios/kafka/09-acksall-leader-isolated-from-controllers.yaml']);
  assert.equal(result.code, 0, result.stdout);
});

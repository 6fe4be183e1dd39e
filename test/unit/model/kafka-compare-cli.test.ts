import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/test/unit/model -> repository root
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SUITE_JSON = join(ROOT, 'docs', 'examples', '2026-12-01-kafka-suite.json');

function cli(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'cli', 'main.js'), 'model', 'kafka-verdicts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

test('model kafka-verdicts --compare prints the suite rows next to the model, exit code 0 when all agree', () => {
  const { code, stdout, stderr } = cli(['--compare', SUITE_JSON, '--schedules', '50']);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /scenario +acks +min\.isr +model fault +producers +model predicts +max lost \(model\) +run lost +vs model/);
  assert.match(stdout, /\n05-acksall-leader-isolated +all +1 +leader-isolated +one producer +no loss \(0\/50\) +0 +0 +agree\n/);
  assert.match(stdout, /model kafka-replication \(50 random schedules per row\): 13 of 13 scenarios modelled; 13 agree, 0 disagree\n/);
  assert.match(stdout, /agree: 06b-acks1-leader-isolated-from-zookeeper-slow: the model loses writes in \d+\/50 schedules; the run lost 20\n/);
});

test('model kafka-verdicts --compare flags a disagreement and exits 1; --json carries every comparison', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-compare-'));
  try {
    // The real run, except that 09 (acks=all, leader cut from the controllers: the model loses nothing) lost 7 writes.
    const suite = JSON.parse(readFileSync(SUITE_JSON, 'utf8')) as { outcomes: { row: { scenario: string; lost: number } }[] };
    for (const o of suite.outcomes) if (o.row.scenario === '09-acksall-leader-isolated-from-controllers') o.row.lost = 7;
    writeFileSync(join(dir, 'suite.json'), JSON.stringify(suite));
    const text = cli(['--compare', dir, '--schedules', '50']);
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /\n09-acksall-leader-isolated-from-controllers .* no loss \(0\/50\) +0 +7 +DISAGREE\n/);
    assert.match(text.stdout, /12 agree, 1 disagree \(DISAGREE: 09-acksall-leader-isolated-from-controllers\)/);
    assert.match(text.stdout, /DISAGREE: 09-acksall-leader-isolated-from-controllers: the model loses writes in 0\/50 schedules; the run lost 7/);
    const json = cli(['--compare', dir, '--schedules', '50', '--json']);
    assert.equal(json.code, 1);
    const out = JSON.parse(json.stdout) as { schedules: number; seed: number; comparisons: { scenario: string; agreement: string; model: { fault: string } | null }[] };
    assert.equal(out.schedules, 50);
    assert.equal(out.seed, 1);
    assert.equal(out.comparisons.length, 13);
    assert.deepEqual(out.comparisons.filter((c) => c.agreement !== 'agree').map((c) => [c.scenario, c.agreement, c.model?.fault]), [['09-acksall-leader-isolated-from-controllers', 'disagree', 'leader-quorum-isolated']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('model kafka-verdicts --compare: a missing suite or scenario folder is a usage error (exit 2)', () => {
  const missing = cli(['--compare', '/nonexistent/suite']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /\/nonexistent\/suite: no such file or folder/);
  const noScenarios = cli(['--compare', SUITE_JSON, '--scenarios', '/nonexistent/scenarios']);
  assert.equal(noScenarios.code, 2);
  assert.match(noScenarios.stderr, /\/nonexistent\/scenarios: cannot read scenario directory/);
});

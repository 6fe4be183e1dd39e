import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { registerModelCommand } from '../../../src/cli/model-command.js';
import { UsageError } from '../../../src/errors.js';

/** Runs `faultline model ...` in-process; returns stdout and the exit code it set. */
async function run(args: string[]): Promise<{ out: string; code: number }> {
  const program = new Command().exitOverride();
  registerModelCommand(program);
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  });
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'faultline', 'model', ...args]);
  } finally {
    process.stdout.write = write;
  }
  const code = exitCodeNow();
  process.exitCode = before;
  return { out, code };
}

/** Runs `run(args)` and returns what it wrote to stderr too. */
async function runWithStderr(args: string[]): Promise<{ out: string; err: string; code: number }> {
  const write = process.stderr.write.bind(process.stderr);
  let err = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  });
  try {
    return { ...(await run(args)), err };
  } finally {
    process.stderr.write = write;
  }
}

/** Read through a function: the command sets process.exitCode behind the compiler's back. */
function exitCodeNow(): number {
  return Number(process.exitCode ?? 0);
}

test('model list names the built-in models', async () => {
  const { out, code } = await run(['list', '--json']);
  assert.equal(code, 0);
  const names = (JSON.parse(out) as { name: string }[]).map((m) => m.name);
  for (const n of ['workload1', 'workload1-base', 'workload1-f4-random', 'workload1-broken', 'kafka-replication']) assert.ok(names.includes(n), n);
});

test('model check: exit 0 without a violation, 1 with one; the saved schedule replays to the same violation', async () => {
  const ok = await run(['check', 'workload1-f1', '--schedules', '50', '--seed', '1']);
  assert.equal(ok.code, 0);
  assert.match(ok.out, /model workload1-f1: no violation/);

  const dir = mkdtempSync(join(tmpdir(), 'faultline-model-cli-'));
  try {
    const file = join(dir, 'v.json');
    const mermaid = join(dir, 'v.mmd');
    const bad = await run(['check', 'workload1-broken', '--seed', '1', '--no-shrink', '--json', '--save-schedule', file, '--mermaid', mermaid]);
    assert.equal(bad.code, 1);
    const report = JSON.parse(bad.out) as { violation: { kind: string; message: string; scheduleFile: string } };
    assert.equal(report.violation.kind, 'liveness');
    assert.equal(report.violation.scheduleFile, file);
    assert.match(readFileSync(mermaid, 'utf8'), /^sequenceDiagram/);

    const replay = await run(['replay', 'workload1-broken', '--schedule', file, '--json']);
    assert.equal(replay.code, 1);
    assert.equal((JSON.parse(replay.out) as { violation: { message: string } }).violation.message, report.violation.message);

    await assert.rejects(run(['replay', 'workload1', '--schedule', file]), /the schedule is for model 'workload1-broken'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('model replay: a schedule from another model version is one clear error; one without a version replays with a warning', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-model-cli-'));
  try {
    const file = join(dir, 'k.json');
    await run(['check', 'kafka-acks1-leader-crash', '--seed', '3', '--schedules', '20', '--save-schedule', file]);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const version = saved['modelVersion'];
    assert.match(String(version), /^[0-9a-f]{12}$/);
    // Shrunk onto a smaller model: its sizes are in the file, and the replay rebuilds it.
    const params = saved['params'] as Record<string, string>;
    assert.ok(Number(params['writes']) < 30 && Number(params['check-at-ms']) < 90, JSON.stringify(params));
    const same = await run(['replay', 'kafka-acks1-leader-crash', '--schedule', file, '--json']);
    assert.equal(same.code, 1, 'the same version replays to the violation');
    assert.equal((JSON.parse(same.out) as { violation: { message: string } }).violation.message, (saved['violation'] as { message: string }).message);

    writeFileSync(file, JSON.stringify({ ...saved, modelVersion: '0+000000000000' }));
    await assert.rejects(
      run(['replay', 'kafka-acks1-leader-crash', '--schedule', file]),
      (e: unknown) =>
        e instanceof UsageError &&
        e.message.startsWith(`${file}: the schedule was written by model 'kafka-acks1-leader-crash' version 0+000000000000, but this model is version ${String(version)}`),
    );

    delete saved['modelVersion'];
    writeFileSync(file, JSON.stringify(saved));
    const old = await runWithStderr(['replay', 'kafka-acks1-leader-crash', '--schedule', file, '--json']);
    assert.equal(old.code, 1);
    assert.match(old.err, new RegExp(`warning: ${file.replace(/[.]/g, '\\.')} has no modelVersion`));
    await assert.rejects(run(['replay', 'kafka-acks1-leader-crash', '--schedule', join(dir, 'missing.json')]), /missing\.json: cannot read schedule/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('model check: Kafka parameters and bad input', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-model-cli-'));
  try {
    const file = join(dir, 'k.json');
    const loss = await run(['check', 'kafka-replication', '--param', 'acks=1', '--param', 'fault=leader-isolated', '--seed', '2', '--no-shrink', '--schedules', '50', '--save-schedule', file]);
    assert.equal(loss.code, 1);
    assert.match(loss.out, /acknowledged writes lost/);
    assert.match(readFileSync(file, 'utf8'), /"params":\{"acks":"1","min-insync-replicas":"1","fault":"leader-isolated","writes":"30","check-at-ms":"90"\}/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await assert.rejects(run(['check', 'nope']), (e: unknown) => e instanceof UsageError && e.message.includes('unknown model \'nope\''));
  await assert.rejects(run(['check', 'workload1', '--strategy', 'dfs']), UsageError);
  await assert.rejects(run(['check', 'kafka-replication', '--param', 'acks=2']), /acks must be one of 0, 1, all/);
  await assert.rejects(run(['check', 'workload1', '--schedules', '0']), /--schedules/);
});

/** The CLI in a process of its own: worker threads let the event loop turn, and the test runner's own output would mix into a capture of this process's stdout. */
function runCli(args: string[]): { out: string; code: number } {
  const main = fileURLToPath(new URL('../../../src/cli/main.js', import.meta.url));
  const r = spawnSync(process.execPath, [main, 'model', ...args], { encoding: 'utf8', timeout: CLI_TIMEOUT_MS });
  return { out: r.stdout, code: r.status ?? -1 };
}
const CLI_TIMEOUT_MS = 60_000;

test('model check --workers 2: the same first violation as one worker, and its saved schedule replays', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-model-cli-'));
  try {
    const args = ['check', 'kafka-replication', '--param', 'acks=1', '--param', 'fault=leader-isolated', '--seed', '2', '--no-shrink', '--schedules', '200', '--json'];
    const file = join(dir, 'w2.json');
    const one = runCli([...args, '--save-schedule', join(dir, 'w1.json')]);
    const two = runCli([...args, '--workers', '2', '--save-schedule', file]);
    assert.deepEqual([one.code, two.code], [1, 1]);
    type Report = { schedulesRun: number; violation: { message: string; scheduleIndex: number; runSeed: number } };
    const [r1, r2] = [JSON.parse(one.out) as Report, JSON.parse(two.out) as Report];
    assert.deepEqual([r2.schedulesRun, r2.violation.scheduleIndex, r2.violation.runSeed, r2.violation.message], [r1.schedulesRun, r1.violation.scheduleIndex, r1.violation.runSeed, r1.violation.message]);
    const replay = await run(['replay', 'kafka-replication', '--schedule', file, '--json']);
    assert.equal(replay.code, 1);
    assert.equal((JSON.parse(replay.out) as { violation: { message: string } }).violation.message, r2.violation.message);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await assert.rejects(run(['check', 'workload1-base', '--workers', '2', '--strategy', 'pct']), (e: unknown) => e instanceof UsageError && e.message.startsWith('workers: 2 needs strategy'));
  await assert.rejects(run(['check', 'workload1-base', '--workers', '0']), /--workers/);
});

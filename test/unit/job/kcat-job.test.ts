// The black-box example job jobs/kcat-pipe/job.sh (docs/pipelines.md, "Put your own job under test"), run with a
// fake `kcat` on PATH: a bash stub that records its argv and standard input and, as a consumer, prints canned
// lines and rebalance messages and waits for SIGTERM. No broker is involved.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signalProcess } from '../../../src/util/process.js';
import { pollUntil, withinMs } from '../../../src/util/time.js';

const SCRIPT = fileURLToPath(new URL('../../../../jobs/kcat-pipe/job.sh', import.meta.url));
const TAB = '\t';
/** kcat 1.7.1 reads producer input in 1024-byte fread() calls: the job pads each output record to this. */
const FRAME_BYTES = 1024;
const WAIT_MS = 15_000;
const REQUIRED = ['FAULTLINE_BOOTSTRAP', 'FAULTLINE_INPUT_TOPIC', 'FAULTLINE_OUTPUT_TOPIC', 'FAULTLINE_DLQ_TOPIC', 'FAULTLINE_APP_ID', 'FAULTLINE_STATE_DIR'];

const FAKE_KCAT = `#!/usr/bin/env bash
# A fake kcat: records argv and stdin under FAKE_KCAT_DIR; as a consumer (-G) prints consumer.lines.
dir=$FAKE_KCAT_DIR
mode= topic=
prev=
for a in "$@"; do
  case $a in -G) mode=consumer ;; -P) mode=producer ;; -V) echo "Version 1.7.1-fake (test)"; exit 0 ;; esac
  [ "$prev" = -t ] && topic=$a
  prev=$a
done
if [ "$mode" = consumer ]; then
  # Like kcat: the first SIGTERM starts the close (the script and faultline may both send one).
  trap 'trap "" TERM; echo "% Group g rebalanced (memberid m): revoked: in [0]" >&2; echo stopped >"$dir/consumer.stopped"; exit 0' TERM
  printf '%s\\n' "$@" >"$dir/consumer.args"
  echo "% Waiting for group rebalance" >&2
  echo "% Group g rebalanced (memberid m): assigned: in [0], in [1], in [2]" >&2
  cat "$dir/consumer.lines"
  [ -n "\${FAKE_KCAT_CONSUMER_EXIT:-}" ] && exit "$FAKE_KCAT_CONSUMER_EXIT"
  for ((i = 0; i < 600; i++)); do sleep 0.1; done
  exit 9
fi
run=$topic-$(date +%s%N)-$$
printf '%s\\n' "$@" >"$dir/producer-$run.args"
cat >"$dir/producer-$run.in"
[ "$topic" = "\${FAKE_KCAT_FAIL_TOPIC:-}" ] && exit 1
exit 0
`;

const root = mkdtempSync(join(tmpdir(), 'faultline-kcat-job-'));
/**
 * Every process a test job starts inherits this variable, as a faultline job inherits FAULTLINE_JOB_MARKER: it finds
 * what a job left behind. Not faultline's own marker: a `cluster down` elsewhere on the machine kills every process
 * carrying that one.
 */
const TEST_MARKER_ENV = 'KCAT_JOB_TEST_MARKER';

/** Pids of the processes whose environment holds `TEST_MARKER_ENV=<marker>` (or any of this file's markers). */
function markedProcesses(marker = `${process.pid}-`): number[] {
  const entry = `${TEST_MARKER_ENV}=${marker}`;
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').some((e) => e === entry || (marker.endsWith('-') && e.startsWith(entry)));
    } catch {
      return false;
    }
  });
}

after(() => {
  for (const pid of markedProcesses()) signalProcess(pid, 'SIGKILL'); // whatever a failed test left running
  rmSync(root, { recursive: true, force: true });
});

let cases = 0;

interface Case {
  readonly dir: string;
  readonly stateDir: string;
  readonly marker: string;
  readonly env: Record<string, string>;
}

/** A fresh directory with the fake kcat and canned consumer lines (`topic partition offset key value`, tab-separated). */
function newCase(lines: readonly string[], extraEnv: Record<string, string> = {}, stateDir?: string): Case {
  const dir = join(root, `case-${++cases}`);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'bin', 'kcat'), FAKE_KCAT);
  chmodSync(join(dir, 'bin', 'kcat'), 0o755);
  writeFileSync(join(dir, 'consumer.lines'), lines.map((l) => `${l}\n`).join(''));
  const state = stateDir ?? join(dir, 'state');
  // As faultline marks a job: `<name>-<owner pid>` (heal --all kills marked processes whose owner is gone).
  const marker = `${process.pid}-${cases}`;
  const env: Record<string, string> = {
    PATH: `${join(dir, 'bin')}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    FAKE_KCAT_DIR: dir,
    [TEST_MARKER_ENV]: marker,
    FAULTLINE_BOOTSTRAP: '10.0.0.1:9092',
    FAULTLINE_INPUT_TOPIC: 'in',
    FAULTLINE_OUTPUT_TOPIC: 'out',
    FAULTLINE_DLQ_TOPIC: 'dlq',
    FAULTLINE_APP_ID: 'app-1',
    FAULTLINE_STATE_DIR: state,
    FAULTLINE_GUARANTEE: 'at-least-once',
    FAULTLINE_JOB_VERSION: 'v1',
    ...extraEnv,
  };
  return { dir, stateDir: state, marker, env };
}

function line(...fields: readonly string[]): string {
  return fields.join(TAB);
}

interface Started {
  readonly pid: number;
  readonly out: () => string;
  readonly err: () => string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the job as faultline does: its own process group, output collected. */
function startJob(c: Case): Started {
  const child = spawn('bash', [SCRIPT], { env: c.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  assert.ok(child.pid !== undefined);
  return { pid: child.pid, out: () => out, err: () => err, exit };
}

interface ProducerRun {
  readonly args: string[];
  readonly input: string;
}

/** The fake producer runs of one topic, oldest first. */
function producerRuns(c: Case, topic: string): ProducerRun[] {
  return readdirSync(c.dir)
    .filter((f) => f.startsWith(`producer-${topic}-`) && f.endsWith('.args'))
    .sort()
    .map((f) => {
      const inputFile = join(c.dir, f.replace(/\.args$/, '.in'));
      return { args: readFileSync(join(c.dir, f), 'utf8').split('\n').slice(0, -1), input: existsSync(inputFile) ? readFileSync(inputFile, 'utf8') : '' };
    });
}

/** The records in a producer's input (kcat skips the padding's empty lines). */
function records(input: string): string[] {
  return input.split('\n').filter((l) => l.length > 0);
}

function outputRecords(c: Case): string[] {
  return producerRuns(c, 'out').flatMap((r) => records(r.input));
}

/** Polls probe for WAIT_MS; `what` (or what it returns, once the wait failed) names what did not happen. */
async function waitFor(what: string | (() => string), probe: () => boolean): Promise<void> {
  const seen = await pollUntil(() => (probe() ? true : undefined), WAIT_MS, 20);
  assert.ok(seen, `${typeof what === 'string' ? what : what()} within ${WAIT_MS} ms`);
}

/** Waits for the job's exit, then asserts that nothing it started is left (found by the marker, as faultline finds a job's processes). */
async function exitAndNothingLeft(c: Case, job: Started): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const exit = await withinMs(job.exit, WAIT_MS, 'the job');
  const left = await pollUntil(() => (markedProcesses(c.marker).length === 0 ? true : undefined), 3000, 20);
  assert.ok(left, `processes left behind: ${markedProcesses(c.marker).join(', ')}`);
  return exit;
}

/** Runs the job over the canned lines until `expectedOutput` output records were written, then stops it (SIGTERM to its group). */
async function runToOutput(c: Case, expectedOutput: number, expectedDeadLetters = 0): Promise<Started> {
  const job = startJob(c);
  const seen = (what: string) => (): string => `${what} (stdout: ${JSON.stringify(job.out())}, stderr: ${JSON.stringify(job.err())})`;
  await waitFor(seen('FAULTLINE-STATE RUNNING'), () => job.out().includes('FAULTLINE-STATE RUNNING\n'));
  await waitFor(seen(`${expectedOutput} output records`), () => outputRecords(c).length >= expectedOutput);
  await waitFor(seen(`${expectedDeadLetters} dead letters`), () => producerRuns(c, 'dlq').length >= expectedDeadLetters);
  process.kill(-job.pid, 'SIGTERM');
  const exit = await exitAndNothingLeft(c, job);
  assert.deepEqual(exit, { code: 0, signal: null }, job.err());
  return job;
}

const shellcheckMissing = spawnSync('shellcheck', ['--version']).status !== 0;

test('the script passes shellcheck', { skip: shellcheckMissing ? 'shellcheck not installed (scripts/setup.sh installs it)' : false }, () => {
  const run = spawnSync('shellcheck', ['--shell=bash', '--severity=style', SCRIPT], { encoding: 'utf8', timeout: WAIT_MS });
  assert.equal(run.status, 0, run.stdout + run.stderr);
});

test('refuses (exit 2, one message naming each missing variable) before starting kcat', () => {
  for (const missing of [REQUIRED, ['FAULTLINE_APP_ID', 'FAULTLINE_STATE_DIR']]) {
    const c = newCase([]);
    const env = Object.fromEntries(Object.entries(c.env).filter(([name]) => !missing.includes(name)));
    const run = spawnSync('bash', [SCRIPT], { env, encoding: 'utf8', timeout: WAIT_MS });
    assert.equal(run.status, 2, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, `kcat-pipe: missing required environment variable(s): ${missing.join(', ')} (docs/pipelines.md, 'The job contract')\n`);
    assert.deepEqual(readdirSync(c.dir).filter((f) => f.endsWith('.args')), [], 'kcat was not run');
  }
});

test('refuses exactly-once, unknown parameters (exit 2) and a missing kcat (exit 3)', () => {
  const cases: [Record<string, string>, number, RegExp][] = [
    [{ FAULTLINE_GUARANTEE: 'exactly-once' }, 2, /FAULTLINE_GUARANTEE 'exactly-once' is not supported/],
    [{ FAULTLINE_PARAM_ALLOW_FAIL: '1' }, 2, /unknown parameter\(s\) FAULTLINE_PARAM_ALLOW_FAIL: this job takes none/],
    [{ PATH: join(root, 'no-such-bin') }, 3, /kcat not found on PATH/],
  ];
  for (const [extra, status, message] of cases) {
    const c = newCase([], extra);
    const run = spawnSync('/bin/bash', [SCRIPT], { env: c.env, encoding: 'utf8', timeout: WAIT_MS });
    assert.equal(run.status, status, run.stderr);
    assert.match(run.stderr, message);
    assert.equal(run.stderr.trim().split('\n').length, 1, 'one message');
  }
});

test('ids go to the output with the per-key count, everything else to the DLQ with its provenance headers', async () => {
  const c = newCase([
    line('in', '0', '5', 'k1', '17'),
    line('in', '1', '3', 'k2', '!18'),
    line('in', '0', '6', 'k1', '007'),
    line('in', '2', '0', 'k3', '0'),
    line('in', '2', '1', '', '5'),
    line('in', '2', '2', 'k4', '9223372036854775808'),
    line('in', '2', '3', 'k4', '9223372036854775807'),
  ]);
  const job = await runToOutput(c, 4, 3);
  assert.deepEqual(outputRecords(c), ['k1\t17:1', 'k1\t7:2', 'k3\t0:1', 'k4\t9223372036854775807:1']);
  const [output] = producerRuns(c, 'out');
  assert.equal(producerRuns(c, 'out').length, 1, 'one output producer for the whole run');
  assert.equal(output?.input.length ? output.input.length % FRAME_BYTES : -1, 0, 'each record padded to a 1024-byte frame');
  assert.ok(output?.args.includes('-K') && output.args[output.args.indexOf('-K') + 1] === TAB);
  for (const setting of ['acks=all', 'enable.idempotence=true', 'partitioner=murmur2_random']) assert.ok(output?.args.includes(setting), setting);

  const dlq = producerRuns(c, 'dlq');
  assert.deepEqual(dlq.map((r) => r.input), ['k2\t!18\n', '\t5\n', 'k4\t9223372036854775808\n']);
  const headers = dlq.map((r) => r.args.filter((_a, i) => r.args[i - 1] === '-H'));
  assert.deepEqual(headers[0], ['faultline.source.topic=in', 'faultline.source.partition=1', 'faultline.source.offset=3', "faultline.error=value '!18' is not a non-negative decimal id"]);
  assert.deepEqual(headers[1], ['faultline.source.topic=in', 'faultline.source.partition=2', 'faultline.source.offset=1', 'faultline.error=record has no key']);
  assert.equal(headers[2]?.[2], 'faultline.source.offset=2');
  assert.ok(dlq.every((r) => r.args.includes('-Z')), 'an empty key is sent as a null key');

  const consumer = readFileSync(join(c.dir, 'consumer.args'), 'utf8').split('\n').slice(0, -1);
  assert.equal(consumer[consumer.indexOf('-G') + 1], 'app-1');
  assert.equal(consumer[consumer.indexOf('-b') + 1], '10.0.0.1:9092');
  assert.equal(consumer[consumer.indexOf('-f') + 1], '%t\\t%p\\t%o\\t%k\\t%s\\n');
  assert.ok(consumer.includes('auto.offset.reset=earliest'));
  assert.equal(consumer.at(-1), 'in');
  assert.ok(existsSync(join(c.dir, 'consumer.stopped')), 'the consumer got SIGTERM');
  assert.match(job.out(), /^kcat-pipe 1\.7\.1-fake version=v1 appId=app-1 guarantee=at-least-once input=in output=out dlq=dlq keys=0\nFAULTLINE-STATE RUNNING\nFAULTLINE-STATE REBALANCING\n$/);
  assert.equal(readFileSync(join(c.stateDir, 'key-counts'), 'utf8'), 'k1\t1\nk1\t2\nk3\t1\nk4\t1\n');
});

test('the per-key counts survive a restart and start again from 1 once the state directory is deleted', async () => {
  const first = newCase([line('in', '0', '0', 'k1', '1'), line('in', '0', '1', 'k1', '2'), line('in', '1', '0', 'k2', '3')]);
  await runToOutput(first, 3);
  const again = newCase([line('in', '0', '2', 'k1', '4'), line('in', '1', '1', 'k5', '5')], {}, first.stateDir);
  const job = await runToOutput(again, 2);
  assert.deepEqual(outputRecords(again), ['k1\t4:3', 'k5\t5:1']);
  assert.match(job.out(), / keys=2\n/);
  const compacted = readFileSync(join(first.stateDir, 'key-counts'), 'utf8').split('\n');
  assert.deepEqual(compacted.slice(0, 2).sort(), ['k1\t2', 'k2\t1'], 'compacted at start: one line per key');
  assert.deepEqual(compacted.slice(2), ['k1\t3', 'k5\t1', '']);

  rmSync(first.stateDir, { recursive: true });
  const afterDelete = newCase([line('in', '0', '3', 'k1', '6')], {}, first.stateDir);
  await runToOutput(afterDelete, 1);
  assert.deepEqual(outputRecords(afterDelete), ['k1\t6:1']);
});

test('SIGTERM to the script alone stops the consumer, flushes the producer and exits 0 with no child left', async () => {
  const c = newCase([line('in', '0', '0', 'k1', '10'), line('in', '0', '1', 'k1', '!11')]);
  const job = startJob(c);
  await waitFor('the output record and the dead letter', () => outputRecords(c).length === 1 && producerRuns(c, 'dlq').length === 1);
  assert.ok(markedProcesses(c.marker).length >= 3, 'the script, the consumer and the producer run');
  process.kill(job.pid, 'SIGTERM');
  const exit = await exitAndNothingLeft(c, job);
  assert.deepEqual(exit, { code: 0, signal: null }, job.err());
  assert.ok(existsSync(join(c.dir, 'consumer.stopped')));
  assert.match(job.err(), /kcat-pipe: stopped \(consumer exit 0, producer exit 0\)/);
});

test('a consumer that ends on its own, or a dead letter that cannot be written, fails the job (exit 1)', async () => {
  const ended = newCase([line('in', '0', '0', 'k1', '1')], { FAKE_KCAT_CONSUMER_EXIT: '1' });
  const first = startJob(ended);
  assert.deepEqual(await exitAndNothingLeft(ended, first), { code: 1, signal: null });
  assert.match(first.err(), /the consumer ended on its own/);
  assert.deepEqual(outputRecords(ended), ['k1\t1:1'], 'what it read is still flushed');

  const noDlq = newCase([line('in', '0', '0', 'k1', '!1'), line('in', '0', '1', 'k1', '2')], { FAKE_KCAT_FAIL_TOPIC: 'dlq' });
  const second = startJob(noDlq);
  assert.deepEqual(await exitAndNothingLeft(noDlq, second), { code: 1, signal: null });
  assert.equal(producerRuns(noDlq, 'dlq').length, 3, 'three attempts');
  assert.match(second.err(), /dead letter in\/0@0 not written \(attempt 3 of 3\)/);
  assert.match(second.err(), /a record could not be handed on/);
  assert.deepEqual(outputRecords(noDlq), [], 'it stops at the record it could not hand on');
});

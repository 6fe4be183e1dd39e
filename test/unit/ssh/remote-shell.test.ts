/** RemoteShell's framing, statuses, stdin and ordering against a real sshd on 127.0.0.1 (fails, never skips, without one). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { FaultlineError, UsageError } from '../../../src/errors.js';
import { SshHost } from '../../../src/ssh/ssh-host.js';
import { REMOTE_SHELL_MAX_STDIN_BYTES, RemoteShell } from '../../../src/ssh/remote-shell.js';
import type { LocalSshd } from './local-sshd.js';
import { localHostFixture } from './local-host.js';
import { NASTY } from './nasty-strings.js';
import { loadAverage, runnerOf, timeRuns } from './ssh-latency.js';

let sshd: LocalSshd;
let host: SshHost;
let shell: RemoteShell;
localHostFixture({
  started: (local) => {
    ({ sshd, host } = local);
    shell = new RemoteShell(host);
  },
  stopping: () => shell.close(),
});

/** Text that looks like a frame's end: the marker's shape, a status trailer, a here-doc delimiter. */
const MARKER_LIKE = ['FAULTLINE_', 'FAULTLINE_0123456789abcdef0123456789abcdef:0\n', 'FAULTLINE_ffffffffffffffffffffffffffffffff_IN\n', ':0\n'];

test('nasty arguments and output come back exactly as SshHost gives them', async () => {
  const argv = ['printf', '%s\\0', ...NASTY, ...MARKER_LIKE];
  const [persistent, multiplexed] = [await shell.run(argv), await host.run(argv)];
  assert.deepEqual(persistent.stdout.split('\0').slice(0, -1), [...NASTY, ...MARKER_LIKE]);
  assert.equal(persistent.stdout, multiplexed.stdout);
  assert.deepEqual([persistent.code, persistent.stderr, persistent.truncated], [0, '', false]);
});

test('output without a trailing newline, marker-like text on both streams, binary bytes', async () => {
  assert.equal((await shell.run(['printf', 'no newline'])).stdout, 'no newline');
  for (const text of MARKER_LIKE) {
    const result = await shell.run(['sh', '-c', 'printf %s "$1"; printf %s "$1" >&2', 'x', text]);
    assert.deepEqual([result.stdout, result.stderr], [text, text]);
  }
  const bytes = await shell.run(['printf', '\\377\\000\\001\\n\\200FAULTLINE_']);
  assert.equal(bytes.stdout, Buffer.from([0xff, 0, 1, 0x0a, 0x80, ...Buffer.from('FAULTLINE_')]).toString('utf8'));
  const random = await shell.run(['head', '-c', '300000', '/dev/urandom']);
  assert.equal(random.code, 0);
  assert.equal((await shell.run(['echo', 'next'])).stdout, 'next\n', 'the frame after binary output is intact');
});

test('property: any text printed to stdout and stderr comes back unchanged', async () => {
  const text = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0'));
  await fc.assert(fc.asyncProperty(text, text, async (out, err) => {
    const result = await shell.run(['sh', '-c', 'printf %s "$1"; printf %s "$2" >&2', 'x', out, err]);
    assert.deepEqual([result.stdout, result.stderr, result.code], [out, err, 0]);
  }), { numRuns: 40 });
});

test('output is capped per stream and the frame still ends where it should', async () => {
  const big = await shell.run(['sh', '-c', 'head -c 3000000 /dev/zero; head -c 5000 /dev/zero >&2'], { maxOutputBytes: 1000 });
  assert.deepEqual([big.code, big.stdout.length, big.stderr.length, big.truncated], [0, 1000, 1000, true]);
  assert.deepEqual(await shell.run(['echo', 'ok']).then((r) => [r.stdout, r.truncated]), ['ok\n', false]);
});

test('exit statuses: any status, 255 reads 254 as under SshHost, 127 without "not found", a missing command throws', async () => {
  assert.equal((await shell.run(['sh', '-c', 'exit 3'])).code, 3);
  assert.equal((await shell.run(['sh', '-c', 'exit 255'])).code, 254);
  assert.equal((await host.run(['sh', '-c', 'exit 255'])).code, 254);
  assert.equal((await shell.run(['sh', '-c', 'exit 127'])).code, 127);
  assert.equal((await shell.run(['sh', '-c', 'kill -s KILL $$'])).code, 137);
  await assert.rejects(shell.run(['faultline-no-such-command', 'x']), (e: unknown) =>
    e instanceof FaultlineError && e.message === 'host 127.0.0.1: command not found: faultline-no-such-command');
});

test('a command cannot change the shell: exit, cd, set, an assignment, a reserved word', async () => {
  const pid = shell.remotePid();
  const home = (await shell.run(['pwd'])).stdout;
  assert.equal((await shell.run(['exit', '7'])).code, 7);
  assert.equal((await shell.run(['cd', '/tmp'])).code, 0);
  assert.equal((await shell.run(['set', '-e'])).code, 0);
  assert.equal((await shell.run(['pwd'])).stdout, home);
  await assert.rejects(shell.run(['X=1']), /command not found: X=1/);
  await assert.rejects(shell.run(['if']), /command not found: if/);
  assert.equal((await shell.run(['sh', '-c', 'false'])).code, 1, 'set -e did not reach the shell');
  assert.equal(shell.remotePid(), pid, 'the same shell throughout');
});

test('stderr stays apart from stdout, in order within each stream', async () => {
  const result = await shell.run(['sh', '-c', 'echo out1; echo err1 >&2; echo out2; printf err2 >&2; exit 4']);
  assert.deepEqual([result.code, result.stdout, result.stderr], [4, 'out1\nout2\n', 'err1\nerr2']);
});

test('stdin: exact bytes, no trailing newline, delimiter-like lines, large bodies; without it, EOF at once', async () => {
  const bodies = ["line 1\n$(id) 'x'\n", 'no newline', 'é ü 日本\n\n', 'FAULTLINE_x_IN\nQUJD\n=\n', 'x'.repeat(500_000)];
  for (const body of bodies) assert.equal((await shell.run(['cat'], { stdin: body })).stdout, body);
  const script = await shell.run(['sh', '-s', 'a b'], { stdin: 'printf "%s|" "$1"; exit 9\n' });
  assert.deepEqual([script.stdout, script.code], ['a b|', 9]);
  const started = Date.now();
  assert.equal((await shell.run(['cat'])).stdout, '', 'cat read /dev/null, not the shell\'s input');
  assert.equal((await shell.run(['sh', '-c', 'read x; echo "got:$x"'])).stdout, 'got:\n');
  assert.ok(Date.now() - started < 5_000);
  await assert.rejects(shell.run(['cat'], { stdin: 'x'.repeat(REMOTE_SHELL_MAX_STDIN_BYTES + 1) }), UsageError);
});

test('concurrent callers each get their own result, in call order', async () => {
  const runs = Array.from({ length: 20 }, (_, i) =>
    shell.run(['sh', '-c', 'printf %s "$1"; printf %s "$1" >&2; exit "$1"', 'x', String(i)]));
  const results = await Promise.all(runs);
  assert.deepEqual(results.map((r) => [r.stdout, r.stderr, r.code]), results.map((_, i) => [String(i), String(i), i]));
});

test('bad input is refused before anything runs: an empty argv, a NUL, a bad timeout', async () => {
  await assert.rejects(shell.run([]), /argv: empty command/);
  await assert.rejects(shell.run(['echo', 'a\0b']), UsageError);
  await assert.rejects(shell.run(['true'], { timeoutMs: 0 }), /timeoutMs: 0 must be above 0/);
});

test('the shell goes through the host\'s master: no second connection to sshd', async () => {
  const listener = Number(readFileSync(join(sshd.dir, 'sshd.pid'), 'utf8'));
  const connections = (): number => readFileSync(`/proc/${listener}/task/${listener}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).length;
  const before = connections();
  const other = new RemoteShell(host);
  await other.run(['true']);
  assert.equal(connections(), before);
  await other.close();
});

test('a host that refuses the key: the sorted ssh error, no shell', async () => {
  const refused = new RemoteShell(new SshHost({ ...sshd.target, keyFile: sshd.unauthorizedKeyFile, controlDir: join(sshd.dir, 'c-refused') }));
  await assert.rejects(refused.run(['true']), { message: `host 127.0.0.1: user root was refused with key ${sshd.unauthorizedKeyFile}; check user and keyFile` });
  assert.equal(refused.isOpen(), false);
  await refused.close();
});

test('latency of run(true): the persistent shell against SshHost.run over the same master (median of 30)', async (t) => {
  const persistent = await timeRuns(runnerOf(shell), ['true'], 30);
  const multiplexed = await timeRuns(runnerOf(host), ['true'], 30);
  t.diagnostic(`run('true'): persistent ${JSON.stringify(persistent)}, multiplexed ${JSON.stringify(multiplexed)}, load ${loadAverage()}`);
  assert.ok(persistent.medianMs < multiplexed.medianMs / 2, 'no ssh client spawned and no channel opened per command');
});

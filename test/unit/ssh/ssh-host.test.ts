/** SshHost against a real sshd on 127.0.0.1 (root, openssh-server): fails, never skips, when either is missing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { FaultlineError, UsageError } from '../../../src/errors.js';
import { SshHost } from '../../../src/ssh/ssh-host.js';
import { freePort, type LocalSshd } from './local-sshd.js';
import { localHostFixture } from './local-host.js';
import { masterPid } from './master-pid.js';
import { measureSshLatency } from './ssh-latency.js';
import { NASTY } from './nasty-strings.js';

let sshd: LocalSshd;
let host: SshHost;
localHostFixture({ started: (local) => ({ sshd, host } = local) });

test('open starts one master, accepts the new host key into faultline\'s known_hosts, and is idempotent', async () => {
  const pid = masterPid(sshd.target);
  assert.ok(pid !== undefined, 'a master runs');
  assert.match(readFileSync(join(sshd.dir, 'known_hosts'), 'utf8'), new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 `));
  await host.open();
  assert.equal(masterPid(sshd.target), pid);
});

test('run: nasty arguments arrive unchanged, stdin passes, exit codes and stderr come back', async () => {
  const echoed = await host.run(['printf', '%s\\0', ...NASTY]);
  assert.deepEqual(echoed.stdout.split('\0').slice(0, -1), NASTY);
  assert.equal(existsOnHost('/tmp/faultline-pwned'), false);
  const cat = await host.run(['cat'], { stdin: "line 1\n$(id) 'x'\n" });
  assert.equal(cat.stdout, "line 1\n$(id) 'x'\n");
  const failed = await host.run(['sh', '-c', 'echo oops >&2; exit 3']);
  assert.deepEqual([failed.code, failed.stderr, failed.truncated], [3, 'oops\n', false]);
  assert.ok(failed.ms > 0);
});

function existsOnHost(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}

test('run: a command\'s own 255 becomes 254 (255 is ssh\'s), a missing command is an error naming the host', async () => {
  assert.equal((await host.run(['sh', '-c', 'exit 255'])).code, 254);
  await assert.rejects(host.run(['faultline-no-such-command', 'x']), { message: 'host 127.0.0.1: command not found: faultline-no-such-command' });
});

test('run: output is bounded and a command over its time is killed', async () => {
  const big = await host.run(['head', '-c', '100000', '/dev/zero'], { maxOutputBytes: 1000 });
  assert.deepEqual([big.code, big.stdout.length, big.truncated], [0, 1000, true]);
  const started = Date.now();
  await assert.rejects(host.run(['sleep', '10'], { timeoutMs: 500 }), /host 127\.0\.0\.1: 'sleep' did not finish within 500 ms/);
  assert.ok(Date.now() - started < 5_000);
});

test('open: an unreachable port, a key the host refuses, a changed host key: one error each', async () => {
  const ctl = (name: string): string => join(sshd.dir, name);
  const refused = new SshHost({ ...sshd.target, port: await freePort(), controlDir: ctl('c1') });
  await assert.rejects(refused.open(), (e: unknown) => e instanceof FaultlineError && /^host 127\.0\.0\.1: unreachable on port \d+ \(connection refused\)$/.test(e.message));
  const wrongKey = new SshHost({ ...sshd.target, keyFile: sshd.unauthorizedKeyFile, controlDir: ctl('c2') });
  await assert.rejects(wrongKey.open(), { message: `host 127.0.0.1: user root was refused with key ${sshd.unauthorizedKeyFile}; check user and keyFile` });
  const otherKnownHosts = join(sshd.dir, 'known_hosts_other');
  const otherHostKey = execFileSync('ssh-keygen', ['-y', '-f', sshd.unauthorizedKeyFile], { encoding: 'utf8' });
  writeFileSync(otherKnownHosts, `[127.0.0.1]:${sshd.port} ${otherHostKey}`);
  const changed = new SshHost({ ...sshd.target, knownHostsFile: otherKnownHosts, controlDir: ctl('c3') });
  await assert.rejects(changed.open(), { message: `host 127.0.0.1: its host key changed since it was first seen (known_hosts: ${otherKnownHosts})` });
});

test('bad input is refused before any connection: option-like host, bad user, open key file', async () => {
  assert.throws(() => new SshHost({ host: '-oProxyCommand=touch /tmp/x' }), UsageError);
  assert.throws(() => new SshHost({ host: 'h', user: 'a b' }), /user: "a b" is not a user name/);
  assert.throws(() => new SshHost({ host: 'h', port: 70_000 }), /port: 70000/);
  const loose = join(sshd.dir, 'loose_key');
  copyFileSync(sshd.target.keyFile ?? '', loose);
  chmodSync(loose, 0o644);
  await assert.rejects(new SshHost({ ...sshd.target, keyFile: loose }).open(), /keyFile: .*loose_key is accessible by others \(mode 644/);
});

test('latency of run(true): multiplexed vs a fresh ssh per call (median of 50)', async (t) => {
  const latency = await measureSshLatency(host, 50);
  t.diagnostic(`ssh run('true'): multiplexed median ${latency.multiplexedMedianMs} ms, fresh ssh median ${latency.freshMedianMs} ms`);
  process.stdout.write(`# ssh latency: ${JSON.stringify(latency)}\n`);
  assert.ok(latency.multiplexedMedianMs < latency.freshMedianMs, 'the master saves the handshake');
});

test('close ends the master; a second close finds none', async () => {
  const probe = new SshHost({ ...sshd.target, controlDir: join(sshd.dir, 'c4') });
  await probe.open();
  assert.ok(masterPid(probe.target) !== undefined);
  assert.equal(await probe.close(), true);
  assert.equal(masterPid(probe.target), undefined);
  assert.equal(await probe.close(), false);
});

/** RemoteShell's timeouts, deaths, queue bound and close against a real sshd on 127.0.0.1 (this machine is the host). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FaultlineError } from '../../../src/errors.js';
import { REMOTE_SHELL_MAX_PENDING, RemoteShell } from '../../../src/ssh/remote-shell.js';
import { localHostFixture } from './local-host.js';
import { alive, groupMembers, processesWith, waitFor } from './host-processes.js';

/** Bound on a death or an exit becoming visible under this machine's load. */
const SETTLE_MS = 5_000;

const local = localHostFixture();

/** The shell's pid on the host after one command (it starts on demand). */
async function started(shell: RemoteShell): Promise<number> {
  await shell.run(['true']);
  const pid = shell.remotePid();
  assert.ok(pid !== undefined);
  return pid;
}

/** Nothing of the shell `pid` (its group: the commands it ran) nor of its local ssh client is left. */
async function assertNothingLeft(pid: number): Promise<void> {
  assert.ok(await waitFor(() => !alive(pid), SETTLE_MS), 'the remote shell is gone');
  assert.ok(await waitFor(() => groupMembers(pid).length === 0, SETTLE_MS), 'nothing of its process group is left');
  assert.ok(await waitFor(() => processesWith(local().sshd.dir, 'exec sh').length === 0, SETTLE_MS), 'no local ssh client of a shell is left');
}

test('a command over its time is killed with its shell on the host; the next command opens a new shell', async () => {
  const shell = new RemoteShell(local().host);
  const pid = await started(shell);
  const begun = Date.now();
  await assert.rejects(shell.run(['sleep', '30.125'], { timeoutMs: 500 }), (e: unknown) =>
    e instanceof FaultlineError && e.message === "host 127.0.0.1: 'sleep' did not finish within 500 ms (timeoutMs)");
  assert.ok(Date.now() - begun < SETTLE_MS, 'the timeout did not wait for the command');
  await assertNothingLeft(pid);
  assert.deepEqual(processesWith('sleep 30.125'), []);
  assert.equal((await shell.run(['echo', 'again'])).stdout, 'again\n');
  assert.notEqual(shell.remotePid(), pid);
  await shell.close();
});

test('the shell killed on the host while idle: noticed, and the next command opens a new one', async () => {
  const shell = new RemoteShell(local().host);
  const pid = await started(shell);
  process.kill(pid, 'SIGKILL');
  assert.ok(await waitFor(() => !shell.isOpen(), SETTLE_MS), 'the death is noticed without a command');
  assert.equal((await shell.run(['echo', 'back'])).stdout, 'back\n');
  assert.ok(shell.remotePid() !== undefined && shell.remotePid() !== pid);
  await shell.close();
});

test('the shell killed on the host during a command: that command fails, the next one runs', async () => {
  const shell = new RemoteShell(local().host);
  const pid = await started(shell);
  const running = shell.run(['sleep', '20.25'], { timeoutMs: 15_000 });
  assert.ok(await waitFor(() => processesWith('sleep 20.25').length === 1, SETTLE_MS));
  process.kill(-pid, 'SIGKILL');
  await assert.rejects(running, /^FaultlineError: host 127\.0\.0\.1: the remote shell ended \(exit \d+.*\) while 'sleep' ran$/s);
  assert.equal((await shell.run(['echo', 'next'])).stdout, 'next\n');
  await shell.close();
});

test('the queue is bounded: one command more than REMOTE_SHELL_MAX_PENDING is refused, the others run', async () => {
  const shell = new RemoteShell(local().host);
  const runs = Array.from({ length: REMOTE_SHELL_MAX_PENDING }, (_, i) => shell.run(['echo', String(i)]));
  await assert.rejects(shell.run(['echo', 'one too many']), {
    message: `host 127.0.0.1: ${REMOTE_SHELL_MAX_PENDING} commands are pending in the persistent shell (at most ${REMOTE_SHELL_MAX_PENDING})`,
  });
  assert.deepEqual((await Promise.all(runs)).map((r) => r.stdout), runs.map((_, i) => `${i}\n`));
  assert.equal((await shell.run(['echo', 'room again'])).stdout, 'room again\n');
  await shell.close();
});

test('a queued command whose time runs out never starts; the one ahead of it is not disturbed', async () => {
  const shell = new RemoteShell(local().host);
  const pid = await started(shell);
  const ahead = shell.run(['sh', '-c', 'sleep 1; echo done']);
  await assert.rejects(shell.run(['touch', `${local().sshd.dir}/never`], { timeoutMs: 200 }), /'touch' did not start within 200 ms \(timeoutMs\); 1 commands were ahead of it/);
  assert.equal((await ahead).stdout, 'done\n');
  assert.equal((await shell.run(['test', '-e', `${local().sshd.dir}/never`])).code, 1, 'the timed-out command never ran');
  assert.equal(shell.remotePid(), pid, 'the shell was not killed');
  await shell.close();
});

test('close: an idle shell ends on both sides; later commands are refused', async () => {
  const shell = new RemoteShell(local().host);
  const pid = await started(shell);
  assert.equal(processesWith(local().sshd.dir, 'exec sh').length, 1, 'one local ssh client while open');
  await shell.close();
  await assertNothingLeft(pid);
  assert.equal(shell.isOpen(), false);
  await assert.rejects(shell.run(['true']), /the persistent shell is closed/);
  await shell.close();
});

test('close during a command: it and the queued ones fail, the command is killed on the host', async () => {
  const shell = new RemoteShell(local().host);
  const pid = await started(shell);
  const running = shell.run(['sleep', '40.5']);
  const queued = shell.run(['echo', 'never']);
  assert.ok(await waitFor(() => processesWith('sleep 40.5').length === 1, SETTLE_MS));
  const failed = [assert.rejects(running, /the persistent shell was closed/), assert.rejects(queued, /the persistent shell was closed/)];
  await shell.close();
  await Promise.all(failed);
  await assertNothingLeft(pid);
  assert.deepEqual(processesWith('sleep 40.5'), []);
});

test('a background child that keeps the output open: the frames still end; close kills it with the shell', async () => {
  const shell = new RemoteShell(local().host);
  const pid = await started(shell);
  const result = await shell.run(['sh', '-c', 'sleep 30.375 & echo started'], { timeoutMs: 2_000 });
  assert.deepEqual([result.code, result.stdout], [0, 'started\n']);
  assert.equal((await shell.run(['echo', 'next'])).stdout, 'next\n');
  await shell.close();
  await assertNothingLeft(pid);
  assert.deepEqual(processesWith('sleep 30.375'), []);
});

/** The self-expiring undo against a real sshd on 127.0.0.1 (the "host" is this machine, so its files are visible). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../../src/errors.js';
import { SshHost } from '../../../src/ssh/ssh-host.js';
import { armUndo, armUndoCommand, disarmUndo, listUndos, sweepUndos } from '../../../src/ssh/remote-undo.js';
import { startLocalSshd, type LocalSshd } from './local-sshd.js';
import { masterPid } from './master-pid.js';
import { alive, waitFor } from './host-processes.js';

/** Slack for the watchdog's `sleep` and the undo under this machine's load. */
const EXPIRY_SLACK_MS = 8_000;

let sshd: LocalSshd;
let host: SshHost;
let undoDir: string;

before(async () => {
  sshd = await startLocalSshd();
  host = new SshHost(sshd.target);
  await host.open();
  undoDir = join(sshd.dir, 'undo');
});

after(async () => {
  await sweepUndos(host, { undoDir }).catch(() => undefined);
  await host.close();
  await sshd.stop();
});


const touch = (file: string): string => `echo undone >> '${file}'\n`;

test('an armed undo runs on its own after the control side\'s connection is killed', async () => {
  const marker = join(sshd.dir, 'expired-marker');
  const started = Date.now();
  const pid = await armUndo(host, { id: 'f1', afterMs: 1_500, undoScript: touch(marker), undoDir });
  assert.ok(Date.now() - started < 1_500 + EXPIRY_SLACK_MS, 'arm returned without waiting for the watchdog');
  assert.equal(existsSync(marker), false, 'not before its time');
  const master = masterPid(sshd.target);
  assert.ok(master !== undefined);
  process.kill(master, 'SIGKILL');
  assert.ok(await waitFor(() => masterPid(sshd.target) === undefined, 5_000), 'the master is gone');
  assert.ok(await waitFor(() => existsSync(marker), 1_500 + EXPIRY_SLACK_MS), 'the undo ran on the host');
  assert.ok(await waitFor(() => !alive(pid), 5_000), 'the watchdog ended');
  assert.deepEqual(readdirSync(undoDir).filter((f) => f.startsWith('f1.') && f !== 'f1.log'), []);
  await host.open();
});

test('disarm kills the watchdog before its time: the undo never runs', async () => {
  const marker = join(sshd.dir, 'disarmed-marker');
  const pid = await armUndo(host, { id: 'f2', afterMs: 1_500, undoScript: touch(marker), undoDir });
  assert.ok(alive(pid));
  assert.equal(await disarmUndo(host, 'f2', undoDir), 'disarmed');
  assert.ok(await waitFor(() => !alive(pid), 5_000), 'the watchdog is gone');
  await new Promise((done) => setTimeout(done, 2_500));
  assert.equal(existsSync(marker), false);
  assert.equal(await disarmUndo(host, 'f2', undoDir), 'absent');
});

test('re-arming an id replaces its watchdog; list and sweep see every one; sweep can run the undos', async () => {
  const first = await armUndo(host, { id: 'f3', afterMs: 60_000, undoScript: touch(join(sshd.dir, 'm3')), undoDir });
  const second = await armUndo(host, { id: 'f3', afterMs: 60_000, undoScript: touch(join(sshd.dir, 'm3b')), undoDir });
  assert.ok(await waitFor(() => !alive(first), 5_000), 'the first watchdog was killed');
  const other = await armUndo(host, { id: 'f4', afterMs: 60_000, undoScript: touch(join(sshd.dir, 'm4')), undoDir });
  const listed = await listUndos(host, undoDir);
  assert.deepEqual(listed.sort((a, b) => a.id.localeCompare(b.id)), [
    { id: 'f3', pid: second, state: 'armed' },
    { id: 'f4', pid: other, state: 'armed' },
  ]);
  const swept = await sweepUndos(host, { undoDir, runUndo: true });
  assert.deepEqual(swept.map((e) => [e.id, e.state, e.undoExit]).sort(), [['f3', 'armed', 0], ['f4', 'armed', 0]]);
  assert.deepEqual([existsSync(join(sshd.dir, 'm3')), existsSync(join(sshd.dir, 'm3b')), existsSync(join(sshd.dir, 'm4'))], [false, true, true]);
  assert.ok(await waitFor(() => !alive(second) && !alive(other), 5_000));
  assert.deepEqual(await listUndos(host, undoDir), []);
});

test('bad ids and expiries are refused before anything runs on the host', async () => {
  await assert.rejects(armUndo(host, { id: '../x', afterMs: 1_000, undoScript: 'true', undoDir }), UsageError);
  await assert.rejects(armUndo(host, { id: 'x', afterMs: 0, undoScript: 'true', undoDir }), /afterMs: 0 must be above 0/);
  await assert.rejects(disarmUndo(host, '$(id)', undoDir), UsageError);
});

test('armed without waiting (the fault runs in the same round trip): a disarm right after still finds and kills the watchdog', async () => {
  const marker = join(sshd.dir, 'nowait-marker');
  for (let round = 0; round < 5; round++) {
    const { argv, stdin } = armUndoCommand({ id: `nw${round}`, afterMs: 1_500, undoScript: touch(marker), undoDir }, false);
    assert.equal(stdin, '', 'the undo travels as an argument');
    const armed = await host.run(argv);
    assert.equal(armed.code, 0, armed.stderr);
    assert.equal(await disarmUndo(host, `nw${round}`, undoDir), 'disarmed');
  }
  await new Promise((done) => setTimeout(done, 2_500));
  assert.equal(existsSync(marker), false, 'no watchdog escaped its disarm');
});

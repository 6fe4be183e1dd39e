import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fillJobState, freeJobState, JOB_STATE_SOURCE, mountJobState, sweepJobStateMounts, unmountJobState } from '../../../src/job/state-mount.js';

/** The mounts of JOB_STATE_SOURCE, as the kernel lists them (not through faultline's own reader). */
function kernelMounts(): string[] {
  return readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => l.startsWith(`${JOB_STATE_SOURCE} `)).map((l) => l.split(' ')[1] ?? '');
}

test('a job state mount is a real size-limited tmpfs: filled, a write fails with ENOSPC; freed, it succeeds; unmounted, it is gone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fl-state-mount-'));
  const root = join(dir, 'state');
  try {
    await mountJobState(root, 16);
    assert.ok(kernelMounts().includes(root), 'mounted, named in /proc/mounts');
    writeFileSync(join(root, 'offsets-0'), 'x'.repeat(1000));
    const filled = await fillJobState(root);
    assert.ok(filled.filledBytes > 15 * 1024 * 1024 && filled.filledBytes <= 16 * 1024 * 1024, `filled ${filled.filledBytes} bytes of 16 MB`);
    assert.equal(filled.freeBytesAfter, 0);
    assert.throws(() => writeFileSync(join(root, 'offsets-1'), 'y'.repeat(10_000)), /ENOSPC/);
    assert.equal(freeJobState(root), true);
    assert.equal(freeJobState(root), false, 'nothing left to free');
    writeFileSync(join(root, 'offsets-1'), 'y'.repeat(10_000));
    assert.equal(await unmountJobState(root), true);
    assert.ok(!kernelMounts().includes(root));
    assert.ok(!existsSync(join(root, 'offsets-0')), 'the contents went with the mount');
    assert.equal(await unmountJobState(root), false, 'not mounted any more');
  } finally {
    await unmountJobState(root);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the sweep frees a filled mount of a live faultline and unmounts one whose faultline is gone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fl-state-sweep-'));
  const live = join(dir, 'live');
  const orphan = join(dir, 'orphan');
  try {
    await mountJobState(live, 16);
    await mountJobState(orphan, 16);
    await fillJobState(live);
    const gone = spawnSync('true');
    assert.ok(gone.pid > 0);
    writeFileSync(join(orphan, '.faultline-owner'), `${gone.pid}\n`);
    const done = await sweepJobStateMounts();
    assert.ok(done.includes(`removed ${join(live, '.faultline-fill')}`), done.join('; '));
    assert.ok(done.includes(`unmounted orphaned job state ${orphan}`), done.join('; '));
    assert.ok(kernelMounts().includes(live), 'the live one stays mounted');
    assert.ok(!kernelMounts().includes(orphan));
    assert.ok(!existsSync(join(live, '.faultline-fill')));
  } finally {
    await unmountJobState(live);
    await unmountJobState(orphan);
    rmSync(dir, { recursive: true, force: true });
  }
});

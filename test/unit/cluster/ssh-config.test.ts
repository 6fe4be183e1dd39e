import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSshHosts, sshTargetOf, DEFAULT_UNDO_AFTER_MS } from '../../../src/cluster/ssh/ssh-config.js';
import { sshHostsForUp } from '../../../src/cluster/ssh/hosts-for-up.js';
import { checkLabHostCount, labHostAddress, labPlan } from '../../../src/lab/lab-plan.js';
import { UsageError } from '../../../src/errors.js';

const usage = (pattern: RegExp) => (e: unknown) => e instanceof UsageError && pattern.test(e.message);

test('resolveSshHosts: defaults, and one positioned error per bad field before anything connects', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fl-ssh-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const key = join(dir, 'id');
  writeFileSync(key, 'x', { mode: 0o600 });
  const config = resolveSshHosts({ hosts: [' 10.0.0.1', 'kafka-2.example', ''], keyFile: key, user: 'root' });
  assert.deepEqual(config.hosts, ['10.0.0.1', 'kafka-2.example']);
  assert.equal(config.remoteDir, '/var/lib/faultline');
  assert.equal(config.undoAfterMs, DEFAULT_UNDO_AFTER_MS);
  assert.equal(config.attached, false);
  assert.deepEqual(sshTargetOf(config, 'h'), { host: 'h', user: 'root', keyFile: key });
  assert.throws(() => resolveSshHosts({ hosts: [] }), usage(/^hosts: expected at least one host/));
  assert.throws(() => resolveSshHosts({ hosts: ['a', 'b', 'a'] }), usage(/^hosts\[2\]: a is listed twice/));
  assert.throws(() => resolveSshHosts({ hosts: ['a', '-oProxyCommand=x'] }), usage(/^hosts\[1\]: host: .* is not a host name/));
  assert.throws(() => resolveSshHosts({ hosts: ['a'], port: 70_000 }), usage(/^hosts\[0\]: port: 70000/));
  assert.throws(() => resolveSshHosts({ hosts: ['a'], keyFile: join(dir, 'missing') }), usage(/^keyFile: .* does not exist/));
  assert.throws(() => resolveSshHosts({ hosts: ['a'], remoteDir: 'relative/dir' }), usage(/^remoteDir: expected an absolute path/));
  assert.throws(() => resolveSshHosts({ hosts: ['a'], remoteDir: '/var/../etc' }), usage(/^remoteDir:/));
  assert.throws(() => resolveSshHosts({ hosts: ['a'], undoAfterMs: 10 }), usage(/^undoAfterMs: expected 5000\.\./));
});

test('lab plan: its own subnet and names, apart from the local provider', () => {
  const plan = labPlan('10.99.1.0/24');
  assert.equal(plan.controlAddress, '10.99.1.1');
  assert.equal(labHostAddress(plan, 3), '10.99.1.13');
  assert.equal(labPlan().prefix, '10.214.0');
  assert.throws(() => labPlan('10.0.0.0/16'), usage(/^FAULTLINE_LAB_SUBNET/));
  assert.throws(() => checkLabHostCount(0), usage(/^hosts: expected 1\.\.12/));
  assert.equal(checkLabHostCount(12), 12);
});

test('sshHostsForUp: where a new cluster goes, given hosts, a provider and what is recorded', () => {
  const installed = resolveSshHosts({ hosts: ['10.0.0.1', '10.0.0.2'] });
  const attached = resolveSshHosts({ hosts: ['10.0.0.1'] }, true);
  const none = (): undefined => undefined;
  const reads: string[] = [];
  const recorded = (config: ReturnType<typeof resolveSshHosts>) => () => {
    reads.push('read');
    return config;
  };
  // provider local: here, without reading the record (an unreadable one does not stop a local cluster)
  assert.equal(sshHostsForUp({ provider: 'local' }, recorded(installed)), undefined);
  assert.deepEqual(reads, []);
  // given hosts win over the record
  assert.deepEqual(sshHostsForUp({ ssh: { hosts: ['10.0.0.9'] } }, recorded(installed))?.hosts, ['10.0.0.9']);
  // no provider: hosts faultline installed on, not an attached cluster's
  assert.equal(sshHostsForUp({}, recorded(installed)), installed);
  assert.equal(sshHostsForUp({}, recorded(attached)), undefined);
  assert.equal(sshHostsForUp({}, none), undefined);
  // provider ssh: the recorded hosts; on an attached cluster's hosts the new cluster is faultline's own
  assert.deepEqual(sshHostsForUp({ provider: 'ssh' }, recorded(attached)), { ...attached, attached: false });
  assert.throws(() => sshHostsForUp({ provider: 'ssh' }, none), usage(/^ssh: provider ssh needs hosts/));
  assert.throws(() => sshHostsForUp({ provider: 'k8s' as 'ssh' }, none), usage(/^provider: expected one of local, ssh, got 'k8s'/));
});

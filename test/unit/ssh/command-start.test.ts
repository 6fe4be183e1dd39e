/**
 * The slow-command-start warning of `cluster attach` / `cluster up --provider ssh`, against real sshds on 127.0.0.1:
 * one as configured for the tests, one whose every command first waits 1.3 s (a ForceCommand standing in for a
 * login shell whose startup files take that long).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { commandStartMs, SLOW_COMMAND_START_MS, slowStartWarning } from '../../../src/cluster/ssh/command-start.js';
import { SshHost } from '../../../src/ssh/ssh-host.js';
import { startLocalSshd, type LocalSshd } from './local-sshd.js';

const SLOW_START_S = 1.3;
const servers: LocalSshd[] = [];
const hosts: SshHost[] = [];

async function openHostOn(extraLines: readonly string[]): Promise<SshHost> {
  const sshd = await startLocalSshd(extraLines);
  servers.push(sshd);
  const host = new SshHost(sshd.target);
  hosts.push(host);
  await host.open();
  return host;
}

let quick: SshHost;
let slow: SshHost;
before(async () => {
  quick = await openHostOn([]);
  slow = await openHostOn([`ForceCommand sleep ${SLOW_START_S}; eval "$SSH_ORIGINAL_COMMAND"`]);
});
after(async () => {
  for (const host of hosts) await host.close();
  for (const sshd of servers) await sshd.stop();
});

test('a host whose commands start within the bound gets no warning', async () => {
  const ms = await commandStartMs(quick);
  assert.ok(ms > 0 && ms < SLOW_COMMAND_START_MS, `${ms} ms`);
  assert.equal(slowStartWarning('h1', ms), undefined);
});

test('a host whose commands start slowly is measured as such and named in the warning with its time', async () => {
  const ms = await commandStartMs(slow);
  assert.ok(ms >= SLOW_START_S * 1000, `${ms} ms`);
  const warning = slowStartWarning('h2', ms);
  assert.match(warning ?? '', new RegExp(`^host h2: a command takes ${Math.round(ms)} ms to start there .*~/\\.bashrc`));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FaultlineError } from '../../../src/errors.js';
import { commandNotFound, isCommandNotFound, sshFailure } from '../../../src/ssh/ssh-errors.js';
import type { SshTarget } from '../../../src/ssh/ssh-target.js';

const target: SshTarget = { host: 'h1', port: 2222, user: 'kafka', keyFile: '/keys/id', knownHostsFile: '/fl/known_hosts' };

// ssh's own stderr (OpenSSH 9.2p1, Debian 12), captured from the local test sshd.
const REFUSED = 'ssh: connect to host h1 port 2222: Connection refused\r\n';
const NO_ROUTE = 'ssh: connect to host h1 port 2222: No route to host\r\n';
const TIMED_OUT = 'ssh: connect to host h1 port 2222: Connection timed out\r\n';
const DENIED = 'kafka@h1: Permission denied (publickey).\r\n';
const BAD_KEY = 'Load key "/keys/id": error in libcrypto\r\nkafka@h1: Permission denied (publickey).\r\n';
const UNKNOWN = 'ssh: Could not resolve hostname h1: Name or service not known\r\n';
const CHANGED = [
  '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
  '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
  'Offending ED25519 key in /fl/known_hosts:1',
  'Host key for [h1]:2222 has changed and you have requested strict checking.',
  'Host key verification failed.', '',
].join('\r\n');

function message(stderr: string): string {
  const error = sshFailure(target, stderr);
  assert.ok(error instanceof FaultlineError);
  assert.equal(error.exitCode, 3);
  return error.message;
}

test('unreachable: refused, no route and timeout each name the host and port', () => {
  assert.equal(message(REFUSED), 'host h1: unreachable on port 2222 (connection refused)');
  assert.equal(message(NO_ROUTE), 'host h1: unreachable on port 2222 (no route to host)');
  assert.equal(message(TIMED_OUT), 'host h1: unreachable on port 2222 (connection timed out)');
});

test('wrong key: the user and the key file are named', () => {
  assert.equal(message(DENIED), 'host h1: user kafka was refused with key /keys/id; check user and keyFile');
});

test('a key that does not load wins over the Permission denied that follows it', () => {
  assert.equal(message(BAD_KEY), 'keyFile: /keys/id is not a usable private key (error in libcrypto)');
});

test('host key changed names faultline\'s known_hosts file', () => {
  assert.equal(message(CHANGED), 'host h1: its host key changed since it was first seen (known_hosts: /fl/known_hosts)');
});

test('unknown host name, handshake failures, and the fallback keep ssh\'s last line', () => {
  assert.equal(message(UNKNOWN), 'host h1: unknown host name (Name or service not known)');
  assert.match(message('kex_exchange_identification: Connection closed by remote host\r\n'), /^host h1: port 2222 accepted the connection but no SSH server answered/);
  assert.equal(message('debug: x\r\nmux_client_request_session: something odd\r\n'), 'host h1: ssh failed: mux_client_request_session: something odd');
  assert.equal(message(''), 'host h1: ssh failed: (no message)');
});

test('command not found: exit 127 with sh\'s message only', () => {
  assert.equal(isCommandNotFound(127, 'faultline-run: 1: kafka-x: not found\n'), true);
  assert.equal(isCommandNotFound(127, 'bash: line 1: kafka-x: command not found\n'), true);
  assert.equal(isCommandNotFound(127, ''), false);
  assert.equal(isCommandNotFound(1, 'not found'), false);
  assert.equal(commandNotFound(target, 'kafka-x').message, 'host h1: command not found: kafka-x');
});

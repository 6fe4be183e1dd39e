import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachedStartArgv, resolveNodeCommands, stopArgv } from '../../../src/cluster/ssh/node-commands.js';
import { WAIT_STARTED_SCRIPT } from '../../../src/cluster/ssh/node-scripts.js';
import type { NodeState } from '../../../src/cluster/cluster-state.js';
import { UsageError } from '../../../src/errors.js';

const usage = (pattern: RegExp) => (e: unknown) => e instanceof UsageError && pattern.test(e.message);

const node: NodeState = {
  name: 'n2', id: 2, role: 'broker+controller', host: '10.0.0.12', port: 9092, namespace: '', hostVeth: '', dir: '/opt/kafka',
  dataDir: '/data', configFile: '/etc/kafka/server.properties', logFile: '/opt/kafka/logs/server.log',
  marker: 'config/server.properties', pid: 4242, state: 'running',
};
const argv = ['/usr/bin/java', '-Xmx1g', '-cp', '/opt/kafka/libs/*', 'kafka.Kafka', 'config/server.properties', '--override', 'a=b'];

test('resolveNodeCommands: one error naming the field per bad value', () => {
  assert.deepEqual(resolveNodeCommands({}), {});
  assert.deepEqual(resolveNodeCommands({ kafkaHome: '/opt/kafka/', startCommand: 'systemctl start kafka' }), { kafkaHome: '/opt/kafka', startCommand: 'systemctl start kafka' });
  assert.throws(() => resolveNodeCommands({ kafkaHome: 'opt/kafka' }), usage(/^kafkaHome: expected an absolute path/));
  assert.throws(() => resolveNodeCommands({ kafkaHome: '/opt/../etc' }), usage(/^kafkaHome:/));
  assert.throws(() => resolveNodeCommands({ kafkaHome: '/' }), usage(/^kafkaHome:/));
  assert.throws(() => resolveNodeCommands({ startCommand: '  ' }), usage(/^startCommand: expected a shell command/));
  assert.throws(() => resolveNodeCommands({ stopCommand: 'x'.repeat(5000) }), usage(/^stopCommand:/));
});

test('an attached node starts with the start command, else its installation\'s script with its server arguments, else its own command line', () => {
  assert.deepEqual(attachedStartArgv({}, node, argv), argv);
  assert.deepEqual(attachedStartArgv({ kafkaHome: '/opt/kafka' }, node, argv), ['/opt/kafka/bin/kafka-server-start.sh', 'config/server.properties', '--override', 'a=b']);
  assert.deepEqual(attachedStartArgv({ kafkaHome: '/opt/kafka' }, { ...node, role: 'zookeeper' }, argv)[0], '/opt/kafka/bin/zookeeper-server-start.sh');
  const viaCommand = attachedStartArgv({ startCommand: 'systemctl start kafka', kafkaHome: '/opt/kafka' }, node, argv);
  assert.deepEqual(viaCommand.slice(-3), ['sh', '-c', 'systemctl start kafka']);
  assert.ok(viaCommand.includes('FAULTLINE_NODE_ID=2') && viaCommand.includes('FAULTLINE_CONFIG=config/server.properties') && viaCommand.includes('KAFKA_HOME=/opt/kafka'));
  assert.equal(stopArgv({}, node), undefined);
  assert.ok(stopArgv({ stopCommand: 'kill "$FAULTLINE_PID"' }, node)?.includes('FAULTLINE_PID=4242'));
});

/** Runs WAIT_STARTED_SCRIPT here with sh, as the host would. */
function waitStarted(args: readonly (string | number)[]): string {
  const run = spawnSync('sh', ['-c', WAIT_STARTED_SCRIPT, 'faultline-node', ...args.map(String)], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim();
}

test('the start wait follows the node to the pid a start command left it under, and gives a start command its grace', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fl-node-commands-'));
  const children: number[] = [];
  t.after(() => {
    for (const pid of children) spawnSync('kill', ['-9', String(pid)]);
    rmSync(dir, { recursive: true, force: true });
  });
  // a stand-in JVM: comm "java" (a symlink to sh), the marker an exact argument, as find_node looks for it
  symlinkSync('/bin/sh', join(dir, 'java'));
  const marker = join(dir, 'server.properties');
  const log = join(dir, 'server.log');
  writeFileSync(log, 'old line\n');
  const launch = spawnSync('sh', ['-c', `sleep 1; nohup "$1" -c 'sleep 30' "$2" >/dev/null 2>&1 & echo $!; sleep 0.3; echo '[KafkaServer id=2] started' >> "$3"`, 'x', join(dir, 'java'), marker, log], { encoding: 'utf8', timeout: 10_000 });
  const jvm = Number(launch.stdout.trim());
  children.push(jvm);
  assert.ok(jvm > 0, launch.stderr);
  // the recorded pid (the start command's shell) is gone; the JVM runs under another pid
  assert.equal(waitStarted([999_999, marker, log, 9, '\\[KafkaServer id=[0-9]+\\] started', 20, log, 9, 0]), `started ${jvm}`);
  // nothing runs with the marker and nothing was logged: without grace at once exited, with grace only after it
  const missing = join(dir, 'other.properties');
  const started = Date.now();
  assert.equal(waitStarted([999_999, missing, log, 1000, 'never', 50, log, 1000, 0]), 'exited');
  assert.ok(Date.now() - started < 1500);
  const graced = Date.now();
  assert.equal(waitStarted([999_999, missing, log, 1000, 'never', 50, log, 1000, 8]), 'exited');
  assert.ok(Date.now() - graced >= 700, 'the grace polls (8 x 100 ms) pass before exited');
});

/** The discovery script's output read into processes, on output written here (the script itself: kafka-discovery.test.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FaultlineError, UsageError } from '../../../src/errors.js';
import { processesFromOutput } from '../../../src/ssh/discovered-process.js';

const BOUNDS = { maxProcesses: 4, maxConfigBytes: 1000 };

/** A field's value as `od -An -v -tx1` prints it: 16 bytes a line, each line starting with a blank. */
function od(value: string | Buffer): string[] {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) lines.push([...bytes.subarray(i, i + 16)].map((b) => ` ${b.toString(16).padStart(2, '0')}`).join(''));
  return lines;
}

/** A value, or 'unreadable' for the script's `*-unreadable` line. */
interface Fields { start?: number; argv?: string[]; cwd?: string; config?: string; metas?: [string, string][]; end?: boolean }

function record(pid: number, f: Fields): string[] {
  const lines = [`process ${pid}`];
  if (f.start !== undefined) lines.push(`start ${f.start}`);
  if (f.argv !== undefined) lines.push('cmdline', ...od(f.argv.map((a) => `${a}\0`).join('')));
  if (f.cwd === 'unreadable') lines.push('cwd-unreadable');
  else if (f.cwd !== undefined) lines.push('cwd', ...od(f.cwd));
  if (f.config === 'unreadable') lines.push('config-unreadable');
  else if (f.config !== undefined) lines.push('config', ...od(Buffer.from(f.config, 'latin1')));
  for (const [dir, text] of f.metas ?? []) lines.push('meta-dir', ...od(dir), 'meta', ...od(text));
  if (f.end !== false) lines.push('end');
  return lines;
}

const KAFKA_ARGV = ['java', '-cp', 'x', 'kafka.Kafka', 'server.properties'];
const kafka = (pid: number, more: Fields = {}): string[] => record(pid, {
  start: 77, argv: KAFKA_ARGV, cwd: '/opt/kafka', config: 'node.id=1\nlog.dirs=/d1,/d2\n', ...more,
});
const read = (lines: readonly string[]) => processesFromOutput('h1', `${lines.join('\n')}\n`, BOUNDS);

test('a record becomes a process: argv, cwd, the config resolved against it, start time, meta.properties of a log dir', () => {
  const [found] = read(kafka(42, { metas: [['/elsewhere', 'cluster.id=X'], ['/d2', 'cluster.id=C\nnode.id=1\n']] }));
  assert.ok(found?.kind === 'kafka');
  assert.deepEqual([found.pid, found.startTime, found.argv, found.cwd, found.configFile], [42, 77, KAFKA_ARGV, '/opt/kafka', '/opt/kafka/server.properties']);
  assert.deepEqual([found.logDirs, found.clusterId, found.metaNodeId], [['/d1', '/d2'], 'C', 1], 'only a meta.properties of a log dir counts');
});

test('processes that ended meanwhile, cut short, or are no server JVM after all are left out', () => {
  const found = read([
    ...kafka(1, { start: undefined }), ...kafka(2, { cwd: undefined }), ...kafka(3, { end: false }),
    ...kafka(4, { argv: ['java', 'kafka.Kafka'] }), ...kafka(5),
  ]);
  assert.deepEqual(found.map((p) => p.pid), [5]);
});

test('errors name the host and the process: unreadable cwd or config, too many processes, a config too large or malformed', () => {
  const fails = (lines: readonly string[], message: string, type: typeof FaultlineError = FaultlineError): void => {
    assert.throws(() => read(lines), (e: unknown) => e instanceof type && e.message === message);
  };
  fails(kafka(7, { cwd: 'unreadable' }), 'host h1: Kafka pid 7: cannot read /proc/7/cwd (connect as root or as the user the JVM runs as)');
  fails(kafka(7, { config: 'unreadable' }), 'host h1: Kafka pid 7: cannot read its config file /opt/kafka/server.properties');
  fails([...kafka(1), 'more'], 'host h1: more than 4 Kafka and ZooKeeper processes (maxProcesses)');
  fails(kafka(7, { config: 'x'.repeat(1001) }), 'host h1: Kafka pid 7: its config file /opt/kafka/server.properties exceeds 1000 bytes (maxConfigBytes)');
  fails(kafka(7, { config: 'node.id=\\u12' }), 'host h1: /opt/kafka/server.properties:1: malformed \\uxxxx escape: \\u12', UsageError);
});

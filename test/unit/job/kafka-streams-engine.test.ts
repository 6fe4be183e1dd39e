import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FaultlineError, UsageError } from '../../../src/errors.js';
import {
  KAFKA_STREAMS_ENGINE,
  KAFKA_STREAMS_JOB_HEAP_MB,
  KAFKA_STREAMS_JOB_JAR,
  KAFKA_STREAMS_VERSION,
  kafkaStreamsJobCommand,
  kafkaStreamsJobJarPath,
} from '../../../src/job/engines/kafka-streams.js';

const jarPath = kafkaStreamsJobJarPath();
const repoRoot = jarPath.slice(0, jarPath.length - KAFKA_STREAMS_JOB_JAR.length);
const jarBuilt = existsSync(jarPath);

test('the jar path is the documented one under the repository root', () => {
  assert.ok(jarPath.endsWith(`/${KAFKA_STREAMS_JOB_JAR}`), jarPath);
  assert.ok(existsSync(join(repoRoot, 'jobs/kafka-streams/pom.xml')));
  const doc = readFileSync(join(repoRoot, 'docs/pipelines.md'), 'utf8');
  assert.ok(doc.includes(KAFKA_STREAMS_JOB_JAR), 'docs/pipelines.md names the jar');
});

test('the engine version is the kafka-streams version the pom pins', () => {
  const pom = readFileSync(join(repoRoot, 'jobs/kafka-streams/pom.xml'), 'utf8');
  assert.equal(/<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1], KAFKA_STREAMS_VERSION);
  assert.equal(KAFKA_STREAMS_ENGINE, 'kafka-streams');
});

test('the command line runs java with the heap bound and the jar', { skip: jarBuilt ? false : 'jar not built (scripts/setup.sh builds it)' }, () => {
  const cmd = kafkaStreamsJobCommand();
  assert.match(cmd.command, /(^|\/)java$/);
  assert.deepEqual(cmd.args.slice(-2), ['-jar', jarPath]);
  assert.ok(cmd.args.includes(`-Xmx${KAFKA_STREAMS_JOB_HEAP_MB}m`));
  assert.ok(kafkaStreamsJobCommand({ heapMb: 512 }).args.includes('-Xmx512m'));
});

test('bad options are errors naming the field', () => {
  assert.throws(() => kafkaStreamsJobCommand({ heapMb: 16 }), (e: unknown) => e instanceof UsageError && e.message.includes('heapMb'));
  assert.throws(() => kafkaStreamsJobCommand({ heapMb: 256.5 }), UsageError);
  const missing = join(dirname(jarPath), 'no-such-job.jar');
  assert.throws(() => kafkaStreamsJobCommand({ jarPath: missing }), (e: unknown) => e instanceof FaultlineError && !(e instanceof UsageError) && e.message.includes(missing));
});

test('the built jar exits 2 naming every missing FAULTLINE_* variable', { skip: jarBuilt ? false : 'jar not built (scripts/setup.sh builds it)' }, () => {
  const cmd = kafkaStreamsJobCommand();
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], FAULTLINE_APP_ID: 'engine-test' };
  if (process.env['JAVA_HOME'] !== undefined) env['JAVA_HOME'] = process.env['JAVA_HOME'];
  const run = spawnSync(cmd.command, cmd.args, { env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 2, run.stderr);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr.trim(), 'faultline-streams-job: missing required environment variable(s): FAULTLINE_BOOTSTRAP, '
    + 'FAULTLINE_INPUT_TOPIC, FAULTLINE_OUTPUT_TOPIC, FAULTLINE_DLQ_TOPIC, FAULTLINE_STATE_DIR, FAULTLINE_GUARANTEE');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { UsageError } from '../../../src/errors.js';
import { SPARK_ENGINE, SPARK_JOB_HEAP_MB, SPARK_JOB_JAR, SPARK_VERSION, sparkJobCommand } from '../../../src/job/engines/spark.js';
import { parseProgressLine } from '../../../src/job/progress-line.js';

// dist/test/unit/job -> repository root
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const built = existsSync(join(repoRoot, SPARK_JOB_JAR));
const notBuilt = built ? false : 'Spark job not built (scripts/setup.sh builds it)';

/** Runs the built job with `env` (and PATH/JAVA_HOME); it must refuse before Spark starts. */
function runJob(env: Record<string, string>): ReturnType<typeof spawnSync> {
  const cmd = sparkJobCommand();
  const full: NodeJS.ProcessEnv = { PATH: process.env['PATH'], ...env };
  if (process.env['JAVA_HOME'] !== undefined) full['JAVA_HOME'] = process.env['JAVA_HOME'];
  return spawnSync(cmd.command, cmd.args, { env: full, encoding: 'utf8', timeout: 60_000 });
}

test('the engine version is the spark version the pom pins, and docs/pipelines.md names the build', () => {
  const pom = readFileSync(join(repoRoot, 'jobs/spark-streaming/pom.xml'), 'utf8');
  assert.equal(/<spark\.version>([^<]+)<\/spark\.version>/.exec(pom)?.[1], SPARK_VERSION);
  assert.equal(SPARK_ENGINE, 'spark');
  assert.ok(readFileSync(join(repoRoot, 'docs/pipelines.md'), 'utf8').includes(SPARK_JOB_JAR));
});

test('the command line runs java with the heap bound, the module opens Spark needs and the classpath', { skip: notBuilt }, () => {
  const cmd = sparkJobCommand();
  assert.match(cmd.command, /(^|\/)java$/);
  assert.ok(cmd.args.includes(`-Xmx${SPARK_JOB_HEAP_MB}m`));
  assert.ok(cmd.args.includes('--add-opens=java.base/sun.nio.ch=ALL-UNNAMED'));
  assert.equal(cmd.args.at(-1), 'dev.faultline.spark.Main');
  assert.match(cmd.args.at(-2) ?? '', /faultline-spark-job\.jar:.*\/target\/lib\/\*$/);
  assert.throws(() => sparkJobCommand({ heapMb: 100 }), (e: unknown) => e instanceof UsageError && e.message.startsWith('heapMb must be'));
});

test('the built job exits 2 naming every missing variable, an unknown parameter and a missing window topic', { skip: notBuilt }, () => {
  const missing = runJob({ FAULTLINE_APP_ID: 'engine-test' });
  assert.equal(missing.status, 2, String(missing.stderr));
  assert.equal(missing.stdout, '');
  assert.equal(String(missing.stderr).trim(), 'faultline-spark-job: FAULTLINE_BOOTSTRAP: required; FAULTLINE_INPUT_TOPIC: required; '
    + 'FAULTLINE_OUTPUT_TOPIC: required; FAULTLINE_DLQ_TOPIC: required; FAULTLINE_STATE_DIR: required; FAULTLINE_GUARANTEE: required');
  const base = { FAULTLINE_BOOTSTRAP: '127.0.0.1:9', FAULTLINE_INPUT_TOPIC: 'in', FAULTLINE_OUTPUT_TOPIC: 'out', FAULTLINE_DLQ_TOPIC: 'dlq', FAULTLINE_APP_ID: 'a', FAULTLINE_STATE_DIR: '/tmp/none', FAULTLINE_GUARANTEE: 'exactly-once' };
  const bad = runJob({ ...base, FAULTLINE_PARAM_WINDOW_MS: '1000', FAULTLINE_PARAM_COMMIT_INTERVAL_MS: '5' });
  assert.equal(bad.status, 2);
  assert.match(String(bad.stderr), /FAULTLINE_PARAM_COMMIT_INTERVAL_MS: unknown parameter; this job takes ALLOW_FAIL, /);
  assert.match(String(bad.stderr), /FAULTLINE_WINDOW_TOPIC: a topic name is required when FAULTLINE_PARAM_WINDOW_MS > 0/);
});

test('progress lines: every field read, a dash is null, anything malformed is not a progress line', () => {
  assert.deepEqual(parseProgressLine('FAULTLINE-PROGRESS query=windows batch=12 rows=340 watermarkMs=1764669000000 lateDropped=3 durationMs=412'),
    { query: 'windows', batch: 12, rows: 340, watermarkMs: 1764669000000, lateDropped: 3, durationMs: 412 });
  assert.deepEqual(parseProgressLine('FAULTLINE-PROGRESS query=records batch=0 rows=0 watermarkMs=- lateDropped=0 durationMs=-'),
    { query: 'records', batch: 0, rows: 0, watermarkMs: null, lateDropped: 0, durationMs: null });
  assert.equal(parseProgressLine('FAULTLINE-STATE RUNNING'), undefined);
  assert.equal(parseProgressLine('FAULTLINE-PROGRESS query=records batch=-1 rows=0 watermarkMs=-'), undefined);
  assert.equal(parseProgressLine('FAULTLINE-PROGRESS batch=1 rows=0 watermarkMs=-'), undefined);
  assert.equal(parseProgressLine('FAULTLINE-PROGRESS query=a b batch=1 rows=0 watermarkMs=x'), undefined);
});

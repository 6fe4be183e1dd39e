import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FieldError } from '../../../src/errors.js';
import { jobEnvironment, paramEnvName } from '../../../src/job/job-env.js';
import { validateJobParams, validateJobSpec, type JobSpec } from '../../../src/job/job-spec.js';
import { JOB_MARKER_ENV } from '../../../src/util/job-marker.js';

const SPEC: JobSpec = {
  name: 'j1', engine: 'kafka-streams', params: { allowFail: true, messagesPerFail: 10 }, guarantee: 'exactly-once',
  appId: 'faultline-p1', version: 'v1', inputTopic: 'in', outputTopic: 'out', dlqTopic: 'dlq',
};

/** The FieldError validateJobSpec throws for `spec`: its path and reason. */
function problem(spec: JobSpec, path?: readonly (string | number)[]): { path: string; reason: string } {
  try {
    validateJobSpec(spec, path);
  } catch (error) {
    assert.ok(error instanceof FieldError, `expected a FieldError, got ${String(error)}`);
    return { path: error.path.join('.'), reason: error.reason };
  }
  assert.fail(`expected validateJobSpec to refuse ${JSON.stringify(spec)}`);
}

test('a valid spec passes; a command job with its command, too', () => {
  validateJobSpec(SPEC);
  validateJobSpec({ ...SPEC, name: 'j1234567', engine: 'command', command: ['python3', 'job.py'], params: {}, appId: 'A.b_c-1' });
});

test('every error names its field under the given path', () => {
  assert.deepEqual(problem({ ...SPEC, name: 'x1' }), { path: 'job.name', reason: "expected 'j' and up to 7 lowercase letters or digits (it names the job's network namespace), got 'x1'" });
  assert.equal(problem({ ...SPEC, name: 'j12345678' }).path, 'job.name', 'fl-j + 8 characters would not fit a namespace name');
  assert.equal(problem({ ...SPEC, name: 'jA' }).path, 'job.name');
  assert.deepEqual(problem({ ...SPEC, engine: 'flink' as JobSpec['engine'] }), { path: 'job.engine', reason: "unknown engine 'flink'; engines: kafka-streams, spark, command" });
  assert.equal(problem({ ...SPEC, engine: 'command' }).path, 'job.command', 'a command job without a command');
  assert.equal(problem({ ...SPEC, engine: 'command', command: [] }).path, 'job.command');
  assert.equal(problem({ ...SPEC, engine: 'command', command: ['python3', ''] }).path, 'job.command');
  assert.deepEqual(problem({ ...SPEC, command: ['java'] }), { path: 'job.command', reason: "only a 'command' job takes a command; engine 'kafka-streams' runs its own" });
  assert.deepEqual(problem({ ...SPEC, guarantee: 'at-most-once' as JobSpec['guarantee'] }), { path: 'job.guarantee', reason: "expected one of at-least-once, exactly-once, got 'at-most-once'" });
  assert.equal(problem({ ...SPEC, appId: '' }).path, 'job.appId');
  assert.equal(problem({ ...SPEC, appId: 'a b' }).path, 'job.appId');
  assert.equal(problem({ ...SPEC, appId: 'a'.repeat(121) }).path, 'job.appId');
  validateJobSpec({ ...SPEC, appId: 'a'.repeat(120) });
  assert.deepEqual(problem({ ...SPEC, params: { AllowFail: true } }), { path: 'job.params.AllowFail', reason: 'parameter names are camelCase (they become FAULTLINE_PARAM_<UPPER_SNAKE>)' });
  assert.equal(problem({ ...SPEC, params: { allow_fail: 1 } }).path, 'job.params.allow_fail');
  assert.equal(problem({ ...SPEC, params: { '1x': 1 } }).path, 'job.params.1x');
  assert.deepEqual(problem({ ...SPEC, params: { delayMs: [1] as unknown as number } }), { path: 'job.params.delayMs', reason: 'expected a string, number or boolean' });
  assert.deepEqual(problem({ ...SPEC, params: { delayMs: Number.POSITIVE_INFINITY } }), { path: 'job.params.delayMs', reason: 'expected a finite number, got Infinity' });
  assert.equal(problem({ ...SPEC, outputTopic: 'in' }).path, 'job');
  assert.equal(problem({ ...SPEC, dlqTopic: 'out' }).reason, 'input, output, dead-letter (and window) topics must differ, got in, out, out');
  assert.equal(problem({ ...SPEC, name: 'x' }, ['workload', 'job']).path, 'workload.job.name', 'the path is the caller\'s');
});

test('two parameter names that become one variable are refused at the second', () => {
  assert.deepEqual(problem({ ...SPEC, params: { maxHttp: 1, maxHTTP: 2 } }), { path: 'job.params.maxHTTP', reason: "becomes FAULTLINE_PARAM_MAX_HTTP, as 'maxHttp' does: one of them would be lost" });
  assert.throws(() => validateJobParams({ aB: 1, aBc: 2, aBC: 3 }, ['params']), { name: 'FieldError', message: "params.aBC: becomes FAULTLINE_PARAM_A_BC, as 'aBc' does: one of them would be lost" });
  validateJobParams({ a1: 1, a1B: 2, aB1: 3 }, []);
});

test('parameter variables: an underscore before each capital that starts a word, digits stay with their word', () => {
  const cases: [string, string][] = [
    ['allowFail', 'ALLOW_FAIL'],
    ['messagesPerFail', 'MESSAGES_PER_FAIL'],
    ['commitIntervalMs', 'COMMIT_INTERVAL_MS'],
    ['x', 'X'],
    ['p99Ms', 'P99_MS'],
    ['top10', 'TOP10'],
    ['top10Keys', 'TOP10_KEYS'],
    ['retry2x', 'RETRY2X'],
    ['s3Bucket', 'S3_BUCKET'],
    ['maxHTTPRetries', 'MAX_HTTP_RETRIES'],
    ['useTLS', 'USE_TLS'],
    ['aB', 'A_B'],
  ];
  for (const [name, suffix] of cases) assert.equal(paramEnvName(name), `FAULTLINE_PARAM_${suffix}`, name);
});

test('property: every valid parameter name becomes FAULTLINE_PARAM_ and upper snake case, its letters and digits in order', () => {
  fc.assert(fc.property(fc.stringMatching(/^[a-z][A-Za-z0-9]{0,15}$/), (name) => {
    const variable = paramEnvName(name);
    assert.match(variable, /^FAULTLINE_PARAM_[A-Z0-9]+(_[A-Z0-9]+)*$/);
    assert.equal(variable.slice('FAULTLINE_PARAM_'.length).replaceAll('_', ''), name.toUpperCase());
  }), { numRuns: 500 });
});

test("the job's environment: the contract's variables, its parameters (booleans as 1/0), PATH and HOME, nothing else of ours", () => {
  const env = jobEnvironment({ ...SPEC, params: { allowFail: true, dryRun: false, messagesPerFail: 10, label: 'x y', p99Ms: 2.5 } }, { bootstrap: '10.0.0.1:9092,10.0.0.2:9092', stateDir: '/run/state/app', marker: 'm-1' });
  const expected: Record<string, string> = {
    FAULTLINE_BOOTSTRAP: '10.0.0.1:9092,10.0.0.2:9092',
    FAULTLINE_INPUT_TOPIC: 'in',
    FAULTLINE_OUTPUT_TOPIC: 'out',
    FAULTLINE_DLQ_TOPIC: 'dlq',
    FAULTLINE_APP_ID: 'faultline-p1',
    FAULTLINE_STATE_DIR: '/run/state/app',
    FAULTLINE_GUARANTEE: 'exactly-once',
    FAULTLINE_JOB_VERSION: 'v1',
    FAULTLINE_PARAM_ALLOW_FAIL: '1',
    FAULTLINE_PARAM_DRY_RUN: '0',
    FAULTLINE_PARAM_MESSAGES_PER_FAIL: '10',
    FAULTLINE_PARAM_LABEL: 'x y',
    FAULTLINE_PARAM_P99_MS: '2.5',
    [JOB_MARKER_ENV]: 'm-1',
  };
  for (const [name, value] of Object.entries(expected)) assert.equal(env[name], value, name);
  assert.equal(env['PATH'], process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin');
  assert.ok(env['HOME'] !== undefined && env['HOME'] !== '');
  const others = Object.keys(env).filter((k) => !(k in expected) && !['PATH', 'HOME', 'JAVA_HOME', 'LANG'].includes(k));
  assert.deepEqual(others, [], 'the job gets no other variable of this process');
  assert.equal(jobEnvironment({ ...SPEC, params: {} }, { bootstrap: 'b', stateDir: 's', marker: 'm' })['FAULTLINE_PARAM_ALLOW_FAIL'], undefined);
});

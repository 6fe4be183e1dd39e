import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { failureLines, jobFailureOf } from '../../../src/checker/job-failure.js';
import { jobFailureText } from '../../../src/runner/pipeline-row.js';

/** A real job-exit event: the Spark job after state-fill (scenarios/pipeline-spark/08), as journalled. */
const REAL_EXIT = JSON.parse(readFileSync(new URL('../../../../test/fixtures/jobs/spark-exit-no-space.jsonl', import.meta.url), 'utf8')) as { timeMs: number; detail: Record<string, unknown> };

test('a real Spark failure: its error line (not a WARN line after it) and the root cause', () => {
  const failure = jobFailureOf(REAL_EXIT.timeMs, REAL_EXIT.detail);
  assert.ok(failure !== null);
  assert.equal(failure.code, 1);
  assert.equal(failure.instance, 1);
  assert.match(failure.error, /^FAULTLINE-QUERY failed .*CANNOT_WRITE_STATE_STORE\.CANNOT_COMMIT/);
  assert.ok(failure.error.length <= 240);
  assert.equal(failure.cause, 'java.io.IOException: No space left on device');
  assert.match(jobFailureText(failure), /^job failed at \d+\.\d s \(exit 1, instance 1\): FAULTLINE-QUERY failed .*; cause: java\.io\.IOException: No space left on device$/);
});

test('a clean exit, a signal, or no output: no failure, or one without lines', () => {
  assert.equal(jobFailureOf(1, { code: 0, signal: null, tail: 'Exception everywhere' }), null);
  assert.equal(jobFailureOf(1, { code: null, signal: 'SIGKILL', tail: '' }), null);
  assert.deepEqual(jobFailureOf(1.4, { code: 2, signal: null }), { instance: null, atMs: 1, code: 2, error: '', cause: '' });
  assert.deepEqual(failureLines('2026-12-02T12:54:17.376Z WARN DAGScheduler: Failed to cancel\nall good'), { error: '', cause: '' });
  assert.deepEqual(failureLines('Error: cannot open /state/x\n    at open (fs.js:1)'), { error: 'Error: cannot open /state/x', cause: '' });
});

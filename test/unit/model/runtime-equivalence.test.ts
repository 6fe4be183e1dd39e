import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { allRunDigests, DIGEST_MODELS, DIGEST_STRATEGIES, digestRuns, type RunDigestSet } from './run-digests.js';

const FIXTURE_URL = new URL('../../../../test/fixtures/model/run-digests.json', import.meta.url);
// Re-recording is for changes meant to change runs (see run-digests.ts); the committed fixture was recorded with main's runtime before the ready set.
if (process.env['FAULTLINE_RECORD_DIGESTS'] === '1') writeFileSync(FIXTURE_URL, JSON.stringify(allRunDigests(), null, 1) + '\n');
const FIXTURE = JSON.parse(readFileSync(FIXTURE_URL, 'utf8')) as Record<string, RunDigestSet>;

test('the fixture covers every model and strategy the digests run', () => {
  assert.equal(Object.keys(FIXTURE).length, DIGEST_MODELS.length * DIGEST_STRATEGIES.length);
  const violating = Object.values(FIXTURE).filter((d) => d.firstViolation !== undefined).length;
  assert.ok(violating > 0, 'some recorded schedules violate, so violations are compared too');
});

for (const model of DIGEST_MODELS) {
  test(`${model}: the same choices give the same runs as the recorded runtime`, () => {
    for (const [strategy, seed] of DIGEST_STRATEGIES) {
      const key = `${model} ${strategy} ${seed}`;
      const expected = FIXTURE[key];
      assert.ok(expected !== undefined, `fixture has ${key}`);
      assert.deepEqual(digestRuns(model, strategy, seed), expected, key);
    }
  });
}

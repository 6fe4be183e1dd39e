import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from '../../../src/net/token-bucket.js';
import { SeededRandom } from '../../../src/util/seeded-random.js';

test('token bucket grants at most the rate over time (simulated clock)', () => {
  const rate = 100_000;
  const bucket = new TokenBucket(rate, 0);
  let granted = 0;
  let nowMs = 0;
  // Bounded: 10 000 steps of 1 ms = 10 s simulated.
  for (let step = 0; step < 10_000; step++) {
    granted += bucket.take(64 * 1024, nowMs);
    nowMs += 1;
  }
  const expected = (rate * nowMs) / 1000;
  assert.ok(granted <= expected + rate * 0.02 + 1, `granted ${granted} > ${expected} + burst`);
  assert.ok(granted >= expected * 0.97, `granted ${granted} well below ${expected}`);
});

test('token bucket: waitMs says when the next grant comes; setRate applies', () => {
  const bucket = new TokenBucket(1000, 0);
  assert.equal(bucket.take(10_000, 0), 20, 'starts with a 20 ms burst');
  assert.equal(bucket.take(10_000, 0), 0);
  const waitMs = bucket.waitMs(10_000, 0);
  assert.ok(waitMs > 0 && waitMs <= 20);
  assert.ok(bucket.take(10_000, waitMs) > 0);
  bucket.setRate(1_000_000, waitMs);
  assert.equal(bucket.rate, 1_000_000);
  assert.ok(bucket.take(1_000_000, waitMs + 20) >= 19_000);
});

test('seeded random is reproducible and stays within its spread', () => {
  const a = new SeededRandom(7);
  const b = new SeededRandom(7);
  const c = new SeededRandom(8);
  const seqA = Array.from({ length: 100 }, () => a.symmetric(5));
  const seqB = Array.from({ length: 100 }, () => b.symmetric(5));
  const seqC = Array.from({ length: 100 }, () => c.symmetric(5));
  assert.deepEqual(seqA, seqB);
  assert.notDeepEqual(seqA, seqC);
  assert.ok(seqA.every((x) => x >= -5 && x <= 5));
  assert.ok(Math.min(...seqA) < -3 && Math.max(...seqA) > 3, 'covers the range');
});

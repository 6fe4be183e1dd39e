import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_RATE_SAMPLES, RateWindow } from '../../../src/util/rate-window.js';

test('RateWindow: the growth over the last window per second; null until the samples span enough time', () => {
  const rate = new RateWindow(5000);
  assert.equal(rate.perSec, null);
  rate.add(0, 0);
  rate.add(250, 50);
  assert.equal(rate.perSec, null, '250 ms is too short to say');
  rate.add(1000, 200);
  assert.equal(rate.perSec, 200);
  // 100/s for 10 s after a burst: the window forgets the burst.
  for (let t = 2000; t <= 12_000; t += 1000) rate.add(t, 200 + ((t - 1000) / 1000) * 100);
  assert.equal(rate.perSec, 100);
  rate.add(13_000, 1300);
  assert.equal(rate.perSec, 80, 'a stall shows as a falling rate, not yet zero');
  for (let t = 14_000; t <= 19_000; t += 1000) rate.add(t, 1300);
  assert.equal(rate.perSec, 0);
});

test('RateWindow: bounded, however fast it is fed', () => {
  const rate = new RateWindow(1_000_000);
  for (let i = 0; i <= 10_000; i++) rate.add(i * 10, i * 20);
  assert.equal(rate.perSec, 2000);
  const samples = (rate as unknown as { samples: unknown[] }).samples;
  assert.ok(samples.length <= MAX_RATE_SAMPLES, `${samples.length} samples kept`);
});

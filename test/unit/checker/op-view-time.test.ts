import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { opViewTimeMs } from '../../../src/checker/op-view-time.js';
import { OpLineView, parseOpLineFast } from '../../../src/history/op-line-fast.js';

test('timeMs parsed from the bytes equals Number(text) bit for bit, up to 15 digits and beyond', () => {
  const view = new OpLineView();
  const text = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 1, max: 6 })).map(([i, f, d]) => `${i}.${String(f % 10 ** d).padStart(d, '0')}`),
    fc.nat().map(String),
    fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.nat({ max: 99_999 })).map(([i, f]) => `${i}.${f}`),
  );
  fc.assert(
    fc.property(text, (t) => {
      const line = Buffer.from(`{"kind":"op","type":"ok","f":"send","process":"p0","value":"p0-000001","timeMs":${t}}`);
      assert.ok(parseOpLineFast(line, 0, line.length, view));
      assert.ok(Object.is(opViewTimeMs(view), Number(t)), t);
    }),
    { numRuns: 2000 },
  );
});

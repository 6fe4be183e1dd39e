import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { UsageError } from '../../../src/errors.js';
import { shellCommand, shellQuote } from '../../../src/ssh/shell-quote.js';
import { NASTY } from './nasty-strings.js';

/** What sh makes of a command line: each argument printed NUL-terminated by printf. */
function parsedBySh(args: readonly string[]): string[] {
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${args.map(shellQuote).join(' ')}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}


test('nasty strings reach sh as exactly themselves', () => {
  assert.deepEqual(parsedBySh(NASTY), NASTY);
});

test('property: any list of strings without NUL survives sh unchanged', () => {
  const arg = fc.string({ unit: 'binary', maxLength: 20 }).filter((s) => !s.includes('\0'));
  fc.assert(fc.property(fc.array(arg, { minLength: 1, maxLength: 6 }), (args) => {
    assert.deepEqual(parsedBySh(args), args);
  }), { numRuns: 40 });
});

test('plain words stay unquoted, everything else is single-quoted', () => {
  assert.equal(shellQuote('kafka-topics.sh'), 'kafka-topics.sh');
  assert.equal(shellQuote('/opt/kafka/config/server.properties'), '/opt/kafka/config/server.properties');
  assert.equal(shellQuote('a b'), "'a b'");
  assert.equal(shellQuote("it's"), "'it'\\''s'");
  assert.equal(shellQuote(''), "''");
});

test('NUL and an empty command are refused', () => {
  assert.throws(() => shellQuote('a\0b'), UsageError);
  assert.throws(() => shellCommand([]), /argv: empty command/);
});

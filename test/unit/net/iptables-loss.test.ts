import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildLossRule,
  buildRedirectRule,
  checkArgs,
  deleteArgs,
  deleteArgsFromListing,
  faultComment,
  insertArgs,
  listArgs,
} from '../../../src/net/iptables-loss.js';
import { UsageError } from '../../../src/errors.js';

test('loss rule: statistic match, comment tag, DROP; insert and delete share the spec', () => {
  const rule = buildLossRule({ faultId: 'f7', probability: 0.25, destinationIp: '10.77.0.3' });
  assert.deepEqual(insertArgs(rule), [
    '-t', 'filter', '-I', 'OUTPUT',
    '-d', '10.77.0.3',
    '-m', 'statistic', '--mode', 'random', '--probability', '0.25',
    '-m', 'comment', '--comment', 'faultline:f7',
    '-j', 'DROP',
  ]);
  assert.deepEqual(deleteArgs(rule), ['-t', 'filter', '-D', 'OUTPUT', ...rule.spec]);
  assert.deepEqual(checkArgs(rule), ['-t', 'filter', '-C', 'OUTPUT', ...rule.spec]);
});

test('loss rule: INPUT chain with source, tcp and ports', () => {
  const rule = buildLossRule({
    faultId: 'loss-1', probability: 1, chain: 'INPUT', sourceIp: '10.77.0.2', protocol: 'tcp', sourcePort: 40000, destinationPort: 9092,
  });
  assert.deepEqual(insertArgs(rule), [
    '-t', 'filter', '-I', 'INPUT',
    '-s', '10.77.0.2',
    '-p', 'tcp', '--sport', '40000', '--dport', '9092',
    '-m', 'statistic', '--mode', 'random', '--probability', '1',
    '-m', 'comment', '--comment', 'faultline:loss-1',
    '-j', 'DROP',
  ]);
});

test('loss rule: probabilities print without exponent notation', () => {
  const probabilityOf = (p: number): string | undefined => {
    const spec = buildLossRule({ faultId: 'p', probability: p }).spec;
    return spec[spec.indexOf('--probability') + 1];
  };
  assert.equal(probabilityOf(1e-7), '0.0000001');
  assert.equal(probabilityOf(0.1), '0.1');
  assert.equal(probabilityOf(0.333333333333), '0.333333333');
});

test('loss rule: bad input throws UsageError naming the option', () => {
  const bad = (spec: Parameters<typeof buildLossRule>[0], name: RegExp): void =>
    assert.throws(() => buildLossRule(spec), (e: unknown) => e instanceof UsageError && name.test(e.message));
  bad({ faultId: 'x', probability: 0 }, /probability/);
  bad({ faultId: 'x', probability: 1.5 }, /probability/);
  bad({ faultId: 'x', probability: Number.NaN }, /probability/);
  bad({ faultId: 'x', probability: 1e-12 }, /probability/);
  bad({ faultId: 'has space', probability: 0.5 }, /faultId/);
  bad({ faultId: '', probability: 0.5 }, /faultId/);
  bad({ faultId: 'x'.repeat(300), probability: 0.5 }, /faultId/);
  bad({ faultId: 'x', probability: 0.5, destinationIp: '10.0.0.300' }, /destinationIp/);
  bad({ faultId: 'x', probability: 0.5, sourceIp: 'node-1' }, /sourceIp/);
  bad({ faultId: 'x', probability: 0.5, destinationPort: 9092 }, /protocol/);
  bad({ faultId: 'x', probability: 0.5, protocol: 'tcp', destinationPort: 0 }, /destinationPort/);
  bad({ faultId: 'x', probability: 0.5, chain: 'PREROUTING' as 'INPUT' }, /chain/);
});

test('redirect rule: OUTPUT REDIRECT to a local port', () => {
  const rule = buildRedirectRule({ faultId: 'lat-3', destinationIp: '10.77.0.3', destinationPort: 9092, proxyPort: 19092 });
  assert.deepEqual(insertArgs(rule), [
    '-t', 'nat', '-I', 'OUTPUT',
    '-d', '10.77.0.3',
    '-p', 'tcp', '--dport', '9092',
    '-m', 'comment', '--comment', 'faultline:lat-3',
    '-j', 'REDIRECT', '--to-ports', '19092',
  ]);
  assert.deepEqual(deleteArgs(rule).slice(0, 4), ['-t', 'nat', '-D', 'OUTPUT']);
});

test('redirect rule: PREROUTING DNAT to a proxy address, limited to one source', () => {
  const rule = buildRedirectRule({
    faultId: 'lat-4', chain: 'PREROUTING', sourceIp: '10.77.0.2', destinationIp: '10.77.0.3', destinationPort: 9092, proxyIp: '10.77.0.1', proxyPort: 19093,
  });
  assert.deepEqual(insertArgs(rule), [
    '-t', 'nat', '-I', 'PREROUTING',
    '-s', '10.77.0.2', '-d', '10.77.0.3',
    '-p', 'tcp', '--dport', '9092',
    '-m', 'comment', '--comment', 'faultline:lat-4',
    '-j', 'DNAT', '--to-destination', '10.77.0.1:19093',
  ]);
  assert.throws(
    () => buildRedirectRule({ faultId: 'x', destinationIp: '10.77.0.3', destinationPort: 9092, proxyPort: 70000 }),
    (e: unknown) => e instanceof UsageError && /proxyPort/.test(e.message),
  );
  assert.throws(
    () => buildRedirectRule({ faultId: 'x', chain: 'INPUT' as 'OUTPUT', destinationIp: '10.77.0.3', destinationPort: 9092, proxyPort: 1 }),
    (e: unknown) => e instanceof UsageError && /chain/.test(e.message),
  );
});

test('deleteArgsFromListing finds tagged rules in `iptables -S` output, quoted or not', () => {
  const listing = [
    '-P INPUT ACCEPT',
    '-P OUTPUT ACCEPT',
    '-A OUTPUT -d 10.77.0.3/32 -m statistic --mode random --probability 0.25000000000 -m comment --comment faultline:f7 -j DROP',
    '-A OUTPUT -d 10.77.0.4/32 -m comment --comment "faultline:f8" -j DROP',
    '-A INPUT -s 10.77.0.9/32 -m comment --comment "someone else" -j DROP',
    '-A INPUT -s 10.77.0.5/32 -m comment --comment faultline:f7 -j DROP',
    '',
  ].join('\n');
  assert.deepEqual(deleteArgsFromListing('filter', listing, 'f7'), [
    ['-t', 'filter', '-D', 'OUTPUT', '-d', '10.77.0.3/32', '-m', 'statistic', '--mode', 'random', '--probability', '0.25000000000',
      '-m', 'comment', '--comment', 'faultline:f7', '-j', 'DROP'],
    ['-t', 'filter', '-D', 'INPUT', '-s', '10.77.0.5/32', '-m', 'comment', '--comment', 'faultline:f7', '-j', 'DROP'],
  ]);
  assert.equal(deleteArgsFromListing('filter', listing).length, 3, 'every faultline rule, none of the others');
  assert.deepEqual(listArgs('nat'), ['-t', 'nat', '-S']);
  assert.equal(faultComment('abc'), 'faultline:abc');
});

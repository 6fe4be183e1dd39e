import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutRules, lossRule, redirectRule, resetEstablishedRule } from '../../../src/net/iptables.js';
import { UsageError } from '../../../src/errors.js';

test('loss rule: statistic match, comment tag, DROP, inserted at the top of OUTPUT by default', () => {
  const rule = lossRule({ faultId: 'f7', probability: 0.25, destinationIp: '10.77.0.3' });
  assert.equal(rule.table, 'filter');
  assert.deepEqual(rule.args, [
    '-I', 'OUTPUT',
    '-d', '10.77.0.3',
    '-m', 'statistic', '--mode', 'random', '--probability', '0.25',
    '-m', 'comment', '--comment', 'faultline:f7',
    '-j', 'DROP',
  ]);
});

test('loss rule: INPUT chain with source, tcp and ports', () => {
  const rule = lossRule({ faultId: 'loss-1', probability: 1, chain: 'INPUT', sourceIp: '10.77.0.2', protocol: 'tcp', sourcePort: 40000, destinationPort: 9092 });
  assert.deepEqual(rule.args, [
    '-I', 'INPUT',
    '-s', '10.77.0.2',
    '-p', 'tcp', '--sport', '40000', '--dport', '9092',
    '-m', 'statistic', '--mode', 'random', '--probability', '1',
    '-m', 'comment', '--comment', 'faultline:loss-1',
    '-j', 'DROP',
  ]);
});

test('loss rule: probabilities print without exponent notation', () => {
  const probabilityOf = (p: number): string | undefined => {
    const args = lossRule({ faultId: 'p', probability: p }).args;
    return args[args.indexOf('--probability') + 1];
  };
  assert.equal(probabilityOf(1e-7), '0.0000001');
  assert.equal(probabilityOf(0.1), '0.1');
  assert.equal(probabilityOf(0.333333333333), '0.333333333');
});

test('loss rule: bad input throws UsageError naming the field', () => {
  const bad = (spec: Parameters<typeof lossRule>[0], name: RegExp): void =>
    assert.throws(() => lossRule(spec), (e: unknown) => e instanceof UsageError && name.test(e.message));
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

test('redirect rule: PREROUTING REDIRECT to the proxy port, limited to one source', () => {
  const rule = redirectRule({ faultId: 'lat-4', sourceIp: '10.77.0.2', destinationIp: '10.77.0.3', destinationPort: 9092, proxyPort: 19093 });
  assert.equal(rule.table, 'nat');
  assert.deepEqual(rule.args, [
    '-I', 'PREROUTING',
    '-s', '10.77.0.2', '-d', '10.77.0.3',
    '-p', 'tcp', '--dport', '9092',
    '-m', 'comment', '--comment', 'faultline:lat-4',
    '-j', 'REDIRECT', '--to-ports', '19093',
  ]);
  assert.throws(() => redirectRule({ faultId: 'x', destinationIp: '10.77.0.3', destinationPort: 9092, proxyPort: 70000 }), (e: unknown) => e instanceof UsageError && e.message.includes('proxyPort'));
});

test('reset rule: REJECT with a TCP reset, established connections only', () => {
  const rule = resetEstablishedRule({ faultId: 'f2', sourceIp: '10.77.0.1', destinationIp: '10.77.0.12', destinationPort: 9092 });
  assert.deepEqual(rule.args.slice(0, 2), ['-I', 'INPUT']);
  assert.ok(rule.args.join(' ').includes('--ctstate ESTABLISHED'));
  assert.deepEqual(rule.args.slice(-4), ['-j', 'REJECT', '--reject-with', 'tcp-reset']);
});

test('cut rules: a whole-address cut drops INPUT from and OUTPUT to the peer; one-way only INPUT', () => {
  const both = cutRules({ faultId: 'f1', peerAddress: '10.77.0.11', oneWay: false });
  assert.deepEqual(both.map((r) => r.args.slice(0, 4)), [['-I', 'INPUT', '-s', '10.77.0.11'], ['-I', 'OUTPUT', '-d', '10.77.0.11']]);
  const oneWay = cutRules({ faultId: 'f1', peerAddress: '10.77.0.11', oneWay: true });
  assert.equal(oneWay.length, 1);
  assert.throws(() => cutRules({ faultId: 'f1', peerAddress: 'n1', oneWay: false }), /peerAddress/);
});

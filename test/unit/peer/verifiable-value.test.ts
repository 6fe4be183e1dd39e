import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseValue } from '../../../src/history/operation.js';
import {
  historyValueOfVerifiableValue,
  parseVerifiableWireValue,
  verifiableProducerId,
  verifiableWireValue,
} from '../../../src/peer/verifiable-value.js';

test('wire value ↔ history value: both directions agree with parseValue', () => {
  assert.equal(verifiableWireValue(41, 3), '3.41');
  assert.equal(verifiableWireValue(41), '41');
  assert.equal(historyValueOfVerifiableValue('3.41'), 'vp3-000041');
  assert.equal(historyValueOfVerifiableValue('41'), 'vp-000041');
  assert.equal(historyValueOfVerifiableValue('0.1234567'), 'vp0-1234567');
  assert.deepEqual(parseValue('vp3-000041'), { producer: 'vp3', seq: 41 });
  assert.deepEqual(parseValue(historyValueOfVerifiableValue('12.7') ?? ''), { producer: verifiableProducerId(12), seq: 7 });
});

test('anything that is not the tool\'s integer is not mapped', () => {
  for (const raw of ['p0-000041', '', '3.', '.4', '-1.5', '03.4', '3.04', '1.2.3', ' 4', '99999999999.1']) {
    assert.equal(parseVerifiableWireValue(raw), null, raw);
    assert.equal(historyValueOfVerifiableValue(raw), null, raw);
  }
});

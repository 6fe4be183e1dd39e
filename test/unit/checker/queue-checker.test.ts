import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueueChecker } from '../../../src/checker/queue-checker.js';
import type { JournalRecord } from '../../../src/history/operation.js';
import { EXAMPLES } from './queue-examples.js';

function check(records: JournalRecord[]): ReturnType<QueueChecker['result']> {
  const c = new QueueChecker();
  records.forEach((r, i) => c.add(r, i + 1));
  return c.result();
}

for (const ex of EXAMPLES) {
  test(`queue example: ${ex.name}`, () => {
    const v = check(ex.records);
    assert.deepEqual(Object.keys(v.anomalies).sort(), [...ex.expected].sort(), JSON.stringify(v.anomalies, null, 1));
    assert.equal(v.valid, ex.valid, v.reasons.join('; '));
    for (const name of ex.expected) {
      const a = v.anomalies[name as keyof typeof v.anomalies];
      assert.ok(a !== undefined && a.cases.length === a.count && a.cases.every((c) => c.ops.length > 0), name);
    }
  });
}

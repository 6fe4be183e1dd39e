import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clusterDown } from '../../src/cluster/local-cluster.js';
import type { JournalRecord } from '../../src/history/operation.js';
import { runSuite, suiteTable } from '../../src/runner/run-suite.js';
import { loadScenario } from '../../src/scenario/load-scenario.js';
import { residue } from './support.js';

// dist/test/integration -> repository root
const QUEUE_DIR = join(fileURLToPath(new URL('../../../', import.meta.url)), 'scenarios', 'kafka-queue');
const runsRoot = mkdtempSync(join(tmpdir(), 'faultline-suite-queue-'));

function journal(runDir: string): JournalRecord[] {
  return readFileSync(join(runDir, 'history.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as JournalRecord);
}

describe('queue scenarios in the suite (two clusters, about 2-3 minutes)', () => {
  after(async () => {
    await clusterDown();
    assert.deepEqual(await residue(), []);
  });

  test('transactions with the leader killed and with the transaction coordinator killed run as expected, with anomaly columns and a complete drain', async () => {
    const scenarios = ['01-txn-leader-killed', '02-txn-coordinator-killed'].map((name) => loadScenario(join(QUEUE_DIR, `${name}.yaml`)));
    const result = await runSuite(scenarios, { runsRoot, log: (line) => console.log(line) });
    assert.equal(result.outcomes.length, 2);
    for (const o of result.outcomes) {
      const why = `${o.name}: ${o.error ?? ''} ${o.notes.join('; ')} ${o.queueVerdict?.reasons.join('; ') ?? ''}`;
      assert.equal(o.error, null, why);
      assert.equal(o.row.workload, 'queue');
      assert.equal(o.faults.length, 1, `${o.name}: the fault fired (${why})`);
      assert.equal(o.row.drainComplete, true, `${o.name}: the final drain reached every end offset (${why})`);
      assert.equal(o.queueVerdict?.drainComplete, true, why);
      assert.ok(o.row.acknowledged > 0 && o.row.readBack > 0, why);
      assert.equal(o.row.asExpected, true, `${o.name}: verdict ${o.row.verdict}, anomalies ${JSON.stringify(o.row.anomalies)} (${why})`);
      assert.ok(o.runDir !== null && existsSync(join(o.runDir, 'queue-check.txt')), `${o.name}: queue-check.txt lists every anomaly`);
      const records = journal(o.runDir);
      const meta = records.find((r) => r.kind === 'meta') as Record<string, unknown> | undefined;
      assert.deepEqual(meta?.['queue'], { transactional: true, isolation: 'read_committed', subscribe: false, allowDuplicates: false });
      assert.equal(meta['topic'], 'queue1');
      const faultAt = records.findIndex((r) => r.kind === 'event' && r.event === 'fault-start');
      const opsBefore = records.slice(0, faultAt).filter((r) => r.kind === 'queue' && r.type !== 'invoke' && r.process !== 'drain').length;
      assert.ok(opsBefore >= 0.2 * 450, `${o.name}: the fault fired after about 30% of the operations (${opsBefore} completions before it)`);
      assert.ok(!records.some((r) => r.kind === 'read-back' && r.process !== 'drain'), 'no separate read-back: the workload drains itself');
    }
    const coordinator = result.outcomes[1];
    assert.match(coordinator?.faults[0]?.target ?? '', /__transaction_state/);
    const { headers } = suiteTable(result.outcomes);
    for (const column of ['lost-write', 'unseen', 'duplicate', 'inconsistent-offsets', 'G1a', 'G1c', 'G0']) assert.ok(headers.includes(column), `column ${column} in ${headers.join(', ')}`);
    const suiteJson = JSON.parse(readFileSync(join(result.dir, 'suite.json'), 'utf8')) as { anomalyColumns: string[]; outcomes: { queueVerdict: { drainComplete: boolean } | null }[] };
    assert.ok(suiteJson.anomalyColumns.includes('lost-write'));
    assert.ok(suiteJson.outcomes.every((o) => o.queueVerdict?.drainComplete === true));
    assert.match(readFileSync(join(result.dir, 'suite.md'), 'utf8'), /\| lost-write \|/);
    assert.match(readFileSync(join(result.dir, 'junit.xml'), 'utf8'), /02-txn-coordinator-killed/);
  });
});

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clusterDown } from '../../src/cluster/local-cluster.js';
import type { ModelComparison } from '../../src/runner/model-comparison.js';
import { runSuite, suiteTable } from '../../src/runner/run-suite.js';
import { loadScenario } from '../../src/scenario/load-scenario.js';
import { residue } from './support.js';

// dist/test/integration -> repository root
const KAFKA_DIR = join(fileURLToPath(new URL('../../../', import.meta.url)), 'scenarios', 'kafka');
const runsRoot = mkdtempSync(join(tmpdir(), 'faultline-suite-model-'));

describe('seed-001 scenarios in the suite next to the model (two clusters, about 2 minutes)', () => {
  after(async () => {
    await clusterDown();
    assert.deepEqual(await residue(), []);
  });

  test('acks=1 and acks=all with the leader isolated: the model column agrees with the runs, in the table, suite.md and suite.json', async () => {
    const scenarios = ['04-acks1-leader-isolated', '05-acksall-leader-isolated'].map((name) => loadScenario(join(KAFKA_DIR, `${name}.yaml`)));
    const result = await runSuite(scenarios, { runsRoot, log: (line) => console.log(line) });
    for (const o of result.outcomes) assert.equal(o.error, null, `${o.name}: ${o.error ?? ''} ${o.notes.join('; ')}`);
    assert.deepEqual(
      result.model.map((c) => [c.scenario, c.model?.fault, c.model?.prediction, c.agreement]),
      [
        ['04-acks1-leader-isolated', 'leader-isolated', 'loss expected', 'agree'],
        ['05-acksall-leader-isolated', 'leader-isolated', 'no loss', 'agree'],
      ],
      result.model.map((c) => `${c.scenario}: ${c.reason}`).join('; '),
    );
    const lost = result.outcomes.map((o) => o.row.lost);
    assert.deepEqual(result.model.map((c) => c.observedLost), lost, 'the comparison reads the rows the table shows');
    const { headers, rows } = suiteTable(result.outcomes, result.model);
    assert.deepEqual(headers.slice(-2), ['model predicts', 'vs model']);
    assert.deepEqual(rows.map((r) => r.at(-1)), ['agree', 'agree']);
    const md = readFileSync(join(result.dir, 'suite.md'), 'utf8');
    assert.match(md, /\| as expected \| model predicts \| vs model \|/);
    assert.match(md, /2 of 2 scenarios modelled; 2 agree, 0 disagree/);
    assert.doesNotMatch(md, /DISAGREE/);
    const json = JSON.parse(readFileSync(join(result.dir, 'suite.json'), 'utf8')) as { model: ModelComparison[] };
    assert.deepEqual(json.model.map((c) => c.agreement), ['agree', 'agree']);
  });
});

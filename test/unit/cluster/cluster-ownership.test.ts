import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decideClusterTakeover, type FoundCluster } from '../../../src/runner/cluster-ownership.js';
import { runSuite } from '../../../src/runner/run-suite.js';
import { writeClusterState } from '../../../src/cluster/cluster-state.js';
import { clusterStatus } from '../../../src/cluster/local-cluster.js';
import { ownerOf, type ClusterOwner } from '../../../src/cluster/cluster-owner.js';
import type { NodeSummary } from '../../../src/cluster/cluster-summary.js';
import { UsageError } from '../../../src/errors.js';
import { isProcessAlive } from '../../../src/util/process.js';
import { fakeCluster } from '../nemesis/fake-cluster.js';

const SELF = 4242;

function found(owner: ClusterOwner, states: NodeSummary['state'][], ownerRunning: boolean): FoundCluster {
  const nodes = states.map((state, i): NodeSummary => ({ id: i + 1, name: `n${i + 1}`, role: 'broker+controller', host: `10.0.0.${11 + i}`, port: 9092, pid: 100 + i, state, logFile: '/x' }));
  return { summary: { owner, createdAt: '2024-01-01T00:00:00.000Z', bootstrap: '10.0.0.11:9092', nodes }, ownerRunning };
}

const USER: ClusterOwner = { kind: 'user', pid: 77 };
const OTHER_SUITE: ClusterOwner = { kind: 'suite', pid: 88 };

test('takeover: nothing recorded, or nothing alive, may be replaced', () => {
  assert.deepEqual(decideClusterTakeover(undefined, false, SELF), { allowed: true });
  assert.deepEqual(decideClusterTakeover(found(USER, ['dead', 'stopped', 'dead'], false), false, SELF), { allowed: true });
});

test('takeover: a live cluster started by hand is refused, naming replaceCluster; replaceCluster allows it', () => {
  for (const states of [['running', 'running'], ['dead', 'paused'], ['stopped', 'running']] as NodeSummary['state'][][]) {
    const decision = decideClusterTakeover(found(USER, states, true), false, SELF);
    assert.equal(decision.allowed, false, states.join(','));
    assert.match(decision.reason, /^replaceCluster: a cluster started by hand is running \(started 2024-01-01T00:00:00\.000Z, bootstrap 10\.0\.0\.11:9092\)/);
    assert.doesNotMatch(decision.reason, /--replace-cluster/);
    assert.deepEqual(decideClusterTakeover(found(USER, states, true), true, SELF), { allowed: true });
  }
});

test("takeover: a suite's cluster may be replaced by that suite or after it ended, not while another suite runs", () => {
  assert.deepEqual(decideClusterTakeover(found({ kind: 'suite', pid: SELF }, ['running'], true), false, SELF), { allowed: true });
  assert.deepEqual(decideClusterTakeover(found(OTHER_SUITE, ['running'], false), false, SELF), { allowed: true });
  const busy = decideClusterTakeover(found(OTHER_SUITE, ['running'], true), false, SELF);
  assert.equal(busy.allowed, false);
  assert.match(busy.reason, /^replaceCluster: another suite run \(pid 88\) is using the running cluster/);
  assert.deepEqual(decideClusterTakeover(found(OTHER_SUITE, ['running'], true), true, SELF), { allowed: true });
});

test('a state file without an owner (written before owners were recorded) counts as started by hand', () => {
  assert.deepEqual(ownerOf({}), { kind: 'user', pid: 0 });
  assert.deepEqual(ownerOf({ owner: { kind: 'suite', pid: 5 } }), { kind: 'suite', pid: 5 });
});

/** A process whose command line carries the node marker, so the recorded cluster counts as alive. */
function fakeNodeProcess(marker: string): ChildProcess {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', marker], { stdio: 'ignore' });
}

test('runSuite refuses a live hand-started cluster before anything starts, and leaves it running; replaceCluster lets it through', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'faultline-owner-'));
  const runsRoot = mkdtempSync(join(tmpdir(), 'faultline-owner-runs-'));
  const saved = process.env['FAULTLINE_HOME'];
  process.env['FAULTLINE_HOME'] = home;
  const state = fakeCluster('kraft', 1);
  const node = state.nodes[0];
  assert.ok(node);
  const child = fakeNodeProcess(node.marker);
  t.after(() => {
    child.kill('SIGKILL');
    if (saved === undefined) delete process.env['FAULTLINE_HOME'];
    else process.env['FAULTLINE_HOME'] = saved;
  });
  assert.ok(child.pid);
  node.pid = child.pid;
  writeClusterState({ ...state, owner: { kind: 'user', pid: 1 } });
  assert.equal(clusterStatus()?.nodes[0]?.state, 'running');

  // No scenarios: whatever happens after the check cannot touch a cluster.
  await assert.rejects(runSuite([], { runsRoot }), (e: unknown) => e instanceof UsageError && e.message.startsWith("replaceCluster: a cluster started by hand is running"));
  assert.deepEqual(readdirSync(runsRoot), [], 'the suite made nothing');
  assert.ok(isProcessAlive(child.pid, node.marker), 'the node still runs');

  const result = await runSuite([], { runsRoot, replaceCluster: true });
  assert.equal(result.outcomes.length, 0);
  assert.ok(existsSync(join(result.dir, 'suite.json')));
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FaultEventSink } from '../../src/history/active-run.js';
import { checkConsumer } from '../../src/checker/consumer-checker.js';
import { checkHistory } from '../../src/checker/check-history.js';
import { clusterDown, clusterUp, type ClusterSummary } from '../../src/cluster/local-cluster.js';
import { withAdmin } from '../../src/kafka/admin.js';
import { healAll, healFault, injectFault, parseFault } from '../../src/nemesis/index.js';
import { startConsumerGroup } from '../../src/workload/consumer-group.js';
import { MemorySink } from '../../src/workload/op-sink.js';
import { runProduceWorkload } from '../../src/workload/produce-workload.js';
import { sleep } from '../../src/util/time.js';
import { faultResidue, residue, waitFor } from './support.js';

const TOPIC = 'cg';
const GROUP = 'g1';

describe('a long-lived consumer group on a real 3-node KRaft cluster', () => {
  let cluster: ClusterSummary;

  before(async () => {
    await clusterDown();
    cluster = await clusterUp({ brokers: 3, metadata: 'kraft', diskMb: 256 });
    await withAdmin(cluster.bootstrap, (admin) => admin.createTopic({ name: TOPIC, partitions: 6, replicationFactor: 3 }));
  });

  after(async () => {
    await healAll().catch(() => undefined);
    await clusterDown();
    assert.deepEqual(await residue(), []);
  });

  test('the group keeps receiving through a kill of its coordinator: every acknowledged value received, no member stopped', async () => {
    const sink = new MemorySink();
    const events: FaultEventSink = (e) => sink.append({ kind: 'event', timeMs: sink.elapsedMs(), ...e });
    const group = startConsumerGroup({ bootstrap: cluster.bootstrap, topic: TOPIC, group: GROUP, members: 3, commit: 'sync', durationMs: 120_000, drainTimeoutMs: 30_000, sink });
    let stopped = false;
    try {
      await group.ready();
      await waitFor('every member assigned partitions', () => (Object.values(group.assignments()).every((ps) => ps.length > 0) ? true : undefined), 30_000);
      const producing = runProduceWorkload({ bootstrap: cluster.bootstrap, topic: TOPIC, countPerProducer: 3000, rateMsgsPerSec: 250, acks: 'all', producers: 2, timeoutMs: 30_000, sink });
      await sleep(3000);
      const before = group.progress().received;
      const problems = sink.records.filter((r) => r.kind === 'event' && r.event !== 'rebalance').slice(0, 5);
      assert.ok(before > 0, `the group receives before the fault; events: ${JSON.stringify(problems)}; assignments ${JSON.stringify(group.assignments())}`);
      const fault = await injectFault(parseFault({ kind: 'kill', target: `coordinator:${GROUP}` }), { events });
      await sleep(6000);
      await healFault(fault.id, { events });
      const produced = await producing;
      assert.ok(produced.delivered > 5000, `delivered ${produced.delivered}`);
      assert.ok(group.progress().received > before, 'the group received after the fault');
      const summary = await group.stop();
      stopped = true;
      assert.equal(summary.drained.complete, true, JSON.stringify(summary.drained));
      assert.equal(summary.stoppedBy, 'stop');
    } finally {
      if (!stopped) await group.stop().catch(() => undefined);
    }

    const verdict = checkConsumer(sink.records);
    assert.equal(verdict.valid, true, `${verdict.evidence}; ${verdict.reasons.join('; ')}`);
    assert.equal(verdict.counts.notReceived, 0);
    assert.equal(verdict.counts.acknowledgedReceived, verdict.counts.acknowledged);
    assert.ok(verdict.counts.rebalances >= 3, `rebalances ${verdict.counts.rebalances}`);
    assert.deepEqual(verdict.stoppedMembers, []);
    // The coordinator and a third of the leaders are gone for seconds and the members rejoin after their 10 s
    // session timeout: latencies of that order are expected; the bound only catches a group that stalled for good.
    assert.ok(verdict.latencyMs !== null && verdict.latencyMs.p50 < 30_000 && verdict.latencyMs.max < 60_000, JSON.stringify(verdict.latencyMs));
    assert.deepEqual(verdict.members.map((m) => m.member), ['c0', 'c1', 'c2']);
    assert.ok(sink.records.some((r) => r.kind === 'event' && r.event === 'rebalance'));
    assert.ok(sink.records.some((r) => r.kind === 'event' && r.event === 'fault-start' && r.fault === 'kill'));
    // The exact checker ignores the consume ops: without a read-back it has no evidence, and says so.
    assert.equal(checkHistory(sink.records).verdict, 'unknown');
    assert.deepEqual(await faultResidue(), []);
  });
});

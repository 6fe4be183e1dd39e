import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterDown, clusterUp } from '../../src/cluster/local-cluster.js';
import { readClusterState, requireClusterState } from '../../src/cluster/cluster-state.js';
import { isBroker } from '../../src/cluster/topology.js';
import { withAdmin } from '../../src/kafka/admin.js';
import { rdkafka, settle, type RdKafkaTypes } from '../../src/kafka/rdkafka.js';
import { describeTopicView } from '../../src/kafka/topic-view.js';
import { healAll, healFault, injectFault, parseFault } from '../../src/nemesis/index.js';
import { MemorySink } from '../../src/workload/op-sink.js';
import { parseProbe } from '../../src/experiment/probes/probe-spec.js';
import { ProbeMemory, type ProbeContext } from '../../src/experiment/probes/probe-context.js';
import { runProbe } from '../../src/experiment/probes/run-probe.js';
import { produceAcknowledged, residue, waitFor } from './support.js';

/** One 3-node KRaft cluster: cluster-health, round-trip, consumer-group and topic-view probes against it. */
describe('probes on a real cluster', () => {
  let context: ProbeContext;
  const sink = new MemorySink();

  before(async () => {
    await clusterDown();
    const cluster = await clusterUp({ brokers: 3, metadata: 'kraft', diskMb: 256 });
    await withAdmin(cluster.bootstrap, (admin) => admin.createTopic({ name: 'p', partitions: 1, replicationFactor: 3, config: { 'min.insync.replicas': '1' } }));
    const brokers = requireClusterState().nodes.filter(isBroker);
    context = { bootstrap: cluster.bootstrap, brokers, cluster: () => readClusterState(), sink, memory: new ProbeMemory(), nowMs: () => sink.elapsedMs() };
    await waitFor('a leader for p', async () => ((await describeTopicView(brokers, 'p')).partitions[0]?.leader ?? -1) > 0 || undefined, 15_000);
  });

  after(async () => {
    await healAll().catch(() => undefined);
    await clusterDown();
    assert.deepEqual(await residue(), []);
  });

  test('cluster-health passes, fails with a broker killed (naming it), and passes again after heal', async () => {
    const health = parseProbe({ name: 'health', kind: 'cluster-health', topics: ['p'] }, []);
    const first = await runProbe(health, context);
    assert.equal(first.ok, true, first.detail);
    const fault = await injectFault(parseFault({ kind: 'kill', target: 'n3' }));
    const down = await waitFor('cluster-health to fail', async () => {
      const r = await runProbe(health, context);
      return r.ok ? undefined : r;
    }, 20_000);
    const value = down.value as { brokersUp: number; problems: string[] };
    assert.equal(value.brokersUp, 2);
    assert.ok(value.problems.some((p) => p.startsWith('broker 3')), value.problems.join('; '));
    await healFault(fault.id);
    const back = await waitFor('cluster-health to pass again', async () => {
      const r = await runProbe(health, context);
      return r.ok ? r : undefined;
    }, 30_000);
    assert.deepEqual((back.value as { brokersExpected: number; controller: number | null }).brokersExpected, 3);
    assert.notEqual((back.value as { controller: number | null }).controller, null);
  });

  test('round-trip: a latency in ms, and its send recorded for the checkers', async () => {
    const result = await runProbe(parseProbe({ name: 'rt', kind: 'round-trip', topic: 'p', tolerance: { range: [0, 5000] } }, []), context);
    assert.equal(result.ok, true, result.detail);
    assert.equal(typeof result.value, 'number');
    const sends = sink.records.filter((r) => r.kind === 'op' && r.f === 'send' && r.process === 'rt.rt');
    assert.deepEqual(sends.map((r) => (r.kind === 'op' ? r.type : '')), ['invoke', 'ok']);
  });

  test('consumer-group: Stable with one member and no lag while a consumer holds it, then Empty', async () => {
    assert.equal(await produceAcknowledged(context.bootstrap, 'p', 20, 'all'), 20);
    const { KafkaConsumer } = rdkafka();
    const consumer = new KafkaConsumer({ 'bootstrap.servers': context.bootstrap, 'group.id': 'probe-g', 'enable.auto.commit': false, log_level: 0 }, { 'auto.offset.reset': 'earliest' });
    await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 10_000 }, settle(() => resolve(), reject)));
    const spec = parseProbe({ name: 'group', kind: 'consumer-group', group: 'probe-g', topic: 'p', tolerance: { all: [{ path: '$.state', equals: 'Stable' }, { path: '$.members', equals: 1 }, { path: '$.maxLag', equals: 0 }] } }, []);
    try {
      consumer.subscribe(['p']);
      const end = (await withAdmin(context.bootstrap, (admin) => admin.offsets('p')))[0]?.highWatermark ?? 0;
      assert.ok(end >= 20, `high watermark ${end}`);
      const deadline = Date.now() + 20_000;
      const position = (): number => consumer.position().find((p) => p.partition === 0)?.offset ?? -1;
      while (position() < end && Date.now() < deadline) {
        await new Promise<RdKafkaTypes.Message[]>((resolve, reject) => consumer.consume(100, settle(resolve, reject)));
      }
      assert.equal(position(), end, 'the consumer read to the end');
      consumer.commitSync([{ topic: 'p', partition: 0, offset: end }]);
      const held = await waitFor('the group to be Stable with no lag', async () => {
        const r = await runProbe(spec, context);
        return r.ok ? r : undefined;
      }, 15_000);
      assert.deepEqual((held.value as { lag: Record<string, number> }).lag, { 0: 0 });
    } finally {
      await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
    }
    const left = await runProbe(spec, context);
    assert.equal(left.ok, false);
    assert.equal((left.value as { state: string }).state, 'Empty');
  });

  test('topic-view matches describeTopicView', async () => {
    const result = await runProbe(parseProbe({ name: 'view', kind: 'topic-view', topic: 'p' }, []), context);
    assert.equal(result.ok, true, result.detail);
    const view = (await describeTopicView(context.brokers, 'p')).partitions[0];
    const value = result.value as { leader: number; isr: number[]; highWatermark: number };
    assert.equal(value.leader, view?.leader);
    assert.deepEqual([...value.isr].sort(), [...(view?.isr ?? [])].sort());
    assert.ok(value.highWatermark >= 20, `high watermark ${value.highWatermark}`);
  });
});

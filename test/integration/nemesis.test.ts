import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterDown, clusterUp, type ClusterSummary } from '../../src/cluster/local-cluster.js';
import { requireClusterState } from '../../src/cluster/cluster-state.js';
import { isBroker } from '../../src/cluster/topology.js';
import { withAdmin } from '../../src/kafka/admin.js';
import { describeTopicView } from '../../src/kafka/topic-view.js';
import { fetchWireMetadata } from '../../src/kafka/wire-metadata.js';
import { healAll, healFault, injectFault, parseFault } from '../../src/nemesis/index.js';
import { listFaults } from '../../src/nemesis/index.js';
import { isProcessAlive, processState } from '../../src/util/process.js';
import { canConnect, faultResidue, produceAcknowledged, runCli, waitFor } from './support.js';

async function leaderOf(topic: string): Promise<number> {
  const view = await describeTopicView(requireClusterState().nodes.filter(isBroker), topic);
  return view.partitions[0]?.leader ?? -1;
}

async function medianRoundTripMs(host: string, samples = 7): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await fetchWireMetadata(host, 9092, [], 5000);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

describe('nemesis on a real 3-node KRaft cluster', () => {
  let cluster: ClusterSummary;
  const hostOf = (id: number) => cluster.nodes.find((n) => n.id === id)?.host as string;

  before(async () => {
    await clusterDown();
    cluster = await clusterUp({ brokers: 3, metadata: 'kraft', diskMb: 256 });
    await withAdmin(cluster.bootstrap, (admin) => admin.createTopic({ name: 't', partitions: 1, replicationFactor: 3 }));
    await waitFor('a leader for t', async () => ((await leaderOf('t')) > 0 ? true : undefined), 15_000);
  });

  after(async () => {
    await healAll().catch(() => undefined);
    await clusterDown();
  });

  test('kill leader:t: another broker becomes leader; heal starts the node again', async () => {
    const before = await leaderOf('t');
    const fault = await injectFault(parseFault({ kind: 'kill', target: 'leader:t' }));
    assert.deepEqual(fault.nodes, [`n${before}`]);
    const after = await waitFor('a new leader', async () => {
      const leader = await leaderOf('t');
      return leader > 0 && leader !== before ? leader : undefined;
    }, 20_000);
    assert.notEqual(after, before);
    await healFault(fault.id);
    await waitFor('the killed node back in the ISR', async () => {
      const view = await describeTopicView(requireClusterState().nodes.filter(isBroker), 't');
      return view.partitions[0]?.isr.length === 3 ? true : undefined;
    }, 30_000);
  });

  test('partition leader:t --from all: the node leaves the ISR, node-to-node TCP fails, the host still connects', async () => {
    const leader = await leaderOf('t');
    const isolated = cluster.nodes.find((n) => n.id === leader);
    assert.ok(isolated);
    const other = cluster.nodes.find((n) => n.id !== leader) as (typeof cluster.nodes)[number];
    assert.ok(canConnect(`fl-${other.name}`, isolated.host, 9092), 'connects before the partition');
    const fault = await injectFault(parseFault({ kind: 'partition', target: 'leader:t', from: 'all' }));
    assert.deepEqual(fault.nodes, [isolated.name]);
    assert.equal(canConnect(`fl-${other.name}`, isolated.host, 9092), false, 'node-to-node connection must fail');
    assert.equal(canConnect(`fl-${isolated.name}`, other.host, 9092), false, 'and the other way too');
    assert.ok(canConnect(undefined, isolated.host, 9092), 'the workload host still reaches the isolated node');
    await waitFor('the isolated node out of the ISR', async () => {
      const view = await describeTopicView(requireClusterState().nodes.filter(isBroker), 't');
      const p = view.partitions[0];
      return p && !p.isr.includes(leader) && p.leader !== leader ? true : undefined;
    }, 30_000);
    await healFault(fault.id);
    assert.ok(canConnect(`fl-${other.name}`, isolated.host, 9092), 'connects again after heal');
    await waitFor('full ISR again', async () => ((await describeTopicView(requireClusterState().nodes.filter(isBroker), 't')).partitions[0]?.isr.length === 3 ? true : undefined), 30_000);
  });

  test('partition --from controllers cuts only the quorum port; broker-to-broker traffic stays', async () => {
    const fault = await injectFault(parseFault({ kind: 'partition', target: 'n1', from: 'controllers' }));
    assert.equal(canConnect('fl-n1', hostOf(2), 9093), false, 'n1 -> n2 controller port cut');
    assert.equal(canConnect('fl-n2', hostOf(1), 9093), false, 'n2 -> n1 controller port cut');
    assert.ok(canConnect('fl-n1', hostOf(2), 9092), 'n1 -> n2 broker port intact');
    assert.ok(canConnect('fl-n2', hostOf(1), 9092), 'n2 -> n1 broker port intact');
    await healFault(fault.id);
    assert.ok(canConnect('fl-n1', hostOf(2), 9093));
  });

  test('partition --groups 1 2,3 --one-way drops only traffic into each group', async () => {
    const fault = await injectFault(parseFault({ kind: 'partition', groups: [['1'], ['2', '3']], oneWay: true }));
    // One-way: n1 drops what n2 sends it; the SYN from n2 is lost, so n2 cannot connect to n1.
    assert.equal(canConnect('fl-n2', hostOf(1), 9092), false);
    assert.ok(canConnect('fl-n2', hostOf(3), 9092), 'inside a group traffic flows');
    await healFault(fault.id);
    assert.ok(canConnect('fl-n2', hostOf(1), 9092));
  });

  /** Which ordered pairs of nodes can open a TCP connection to the other's broker port, as 'a>b'. */
  function reachable(): string[] {
    const names = cluster.nodes.map((n) => n.name);
    const out: string[] = [];
    for (const a of names) for (const b of names) if (a !== b && canConnect(`fl-${a}`, cluster.nodes.find((n) => n.name === b)?.host as string, 9092)) out.push(`${a}>${b}`);
    return out;
  }

  /** The TCP pairs a partition into disjoint sides should leave: within a side, and nodes in no side with everyone. */
  function expectedFromGroups(groups: string[][]): string[] {
    const sideOf = (name: string) => groups.findIndex((g) => g.includes(name));
    const names = cluster.nodes.map((n) => n.name);
    return names.flatMap((a) => names.filter((b) => b !== a && (sideOf(a) < 0 || sideOf(b) < 0 || sideOf(a) === sideOf(b))).map((b) => `${a}>${b}`));
  }

  test('partition --groups leader:t,follower:t rest (CLI): resolved at fire time, recorded, and observed by TCP', async () => {
    const leader = `n${await leaderOf('t')}`;
    const cli = runCli(['fault', 'partition', '--groups', 'leader:t,follower:t', 'rest', '--seed', '3', '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    const result = JSON.parse(cli.stdout) as { id: string; target: string; detail: { groups: string[][] } };
    assert.equal(result.target, 'leader:t/0,follower:t/0 | rest');
    assert.equal(result.detail.groups.length, 2);
    assert.equal(result.detail.groups[0]?.[0], leader, 'the leader is named first');
    assert.equal(result.detail.groups[0].length, 2);
    assert.equal(result.detail.groups[1]?.length, 1, 'rest is the third node');
    assert.deepEqual(reachable().sort(), expectedFromGroups(result.detail.groups).sort());
    await healFault(result.id);
    assert.equal(reachable().length, 6);
  });

  test('partition shapes: halves, bridge and minority-with:leader:t cut exactly what they record', async () => {
    for (const shape of ['halves', 'bridge', 'minority-with:leader:t']) {
      const leader = `n${await leaderOf('t')}`;
      const fault = await injectFault(parseFault({ kind: 'partition', shape }), { seed: 5 });
      const groups = (fault.detail as { groups: string[][] }).groups;
      assert.deepEqual(reachable().sort(), expectedFromGroups(groups).sort(), `${shape}: ${JSON.stringify(groups)}`);
      if (shape === 'bridge') assert.equal(groups.flat().length, 2, 'the bridge node is on no side');
      if (shape.startsWith('minority')) assert.deepEqual(groups[0], [leader]);
      await healFault(fault.id);
    }
    assert.equal(reachable().length, 6);
  });

  test('partition shape majorities-ring: the recorded grudge is what TCP shows (a pair connects only if neither drops the other)', async () => {
    const fault = await injectFault(parseFault({ kind: 'partition', shape: 'majorities-ring' }), { seed: 9 });
    const grudge = (fault.detail as { grudge: Record<string, string[]> }).grudge;
    assert.equal(Object.keys(grudge).length, 3);
    const names = cluster.nodes.map((n) => n.name);
    const expected = names.flatMap((a) => names.filter((b) => b !== a && !(grudge[a] ?? []).includes(b) && !(grudge[b] ?? []).includes(a)).map((b) => `${a}>${b}`));
    assert.deepEqual(reachable().sort(), expected.sort());
    await healFault(fault.id);
    assert.equal(reachable().length, 6);
  });

  test('partition --clients also cuts the workload host off', async () => {
    const fault = await injectFault(parseFault({ kind: 'partition', target: 'n3', from: 'all', clients: true }));
    assert.equal(canConnect(undefined, hostOf(3), 9092), false);
    await healFault(fault.id);
    assert.ok(canConnect(undefined, hostOf(3), 9092));
  });

  test('pause stops the node answering until resume', async () => {
    const fault = await injectFault(parseFault({ kind: 'pause', target: 'n2' }));
    const pid = requireClusterState().nodes.find((n) => n.name === 'n2')?.pid as number;
    assert.equal(processState(pid), 'T');
    await assert.rejects(fetchWireMetadata(hostOf(2), 9092, [], 1000), /did not answer/);
    await injectFault(parseFault({ kind: 'resume', target: 'n2' }));
    const answer = await fetchWireMetadata(hostOf(2), 9092, [], 5000);
    assert.ok(answer.brokers.length >= 1);
    await healFault(fault.id); // already resumed: idempotent
  });

  test('degrade --latency-ms adds the requested delay to a measured round trip', async () => {
    const baseline = await medianRoundTripMs(hostOf(3));
    const fault = await injectFault(parseFault({ kind: 'degrade', target: 'n3', peers: 'clients', latencyMs: 100 }));
    const degraded = await medianRoundTripMs(hostOf(3));
    // One-way latency applies to each direction: a request/response gains about 2 x 100 ms.
    assert.ok(degraded - baseline >= 190, `round trip grew by ${(degraded - baseline).toFixed(1)} ms, expected >= 190`);
    assert.ok(degraded - baseline <= 320, `round trip grew by ${(degraded - baseline).toFixed(1)} ms, expected <= 320`);
    await healFault(fault.id);
    const healed = await medianRoundTripMs(hostOf(3));
    assert.ok(healed < baseline + 50, `after heal the round trip is ${healed.toFixed(1)} ms`);
  });

  test('degrade between two nodes delays their connections both ways, and only theirs', async () => {
    const medianFrom = (namespace: string, host: string): number => {
      const script = `const { fetchWireMetadata } = await import('./dist/src/kafka/wire-metadata.js'); const t = []; for (let i = 0; i < 5; i++) { const s = performance.now(); await fetchWireMetadata('${host}', 9092, [], 5000); t.push(performance.now() - s); } t.sort((a, b) => a - b); process.stdout.write(String(t[2]));`;
      const result = spawnSync('ip', ['netns', 'exec', namespace, process.execPath, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(result.status, 0, result.stderr);
      return Number(result.stdout);
    };
    const before = medianFrom('fl-n1', hostOf(3));
    const fault = await injectFault(parseFault({ kind: 'degrade', target: 'n3', peers: 'n1', latencyMs: 50 }));
    const n1ToN3 = medianFrom('fl-n1', hostOf(3));
    const n3ToN1 = medianFrom('fl-n3', hostOf(1));
    const n2ToN3 = medianFrom('fl-n2', hostOf(3));
    assert.ok(n1ToN3 - before >= 90, `n1 -> n3 grew by ${(n1ToN3 - before).toFixed(1)} ms, expected >= 90`);
    assert.ok(n3ToN1 >= 90, `n3 -> n1 takes ${n3ToN1.toFixed(1)} ms, expected >= 90`);
    assert.ok(n2ToN3 < 60, `n2 -> n3 is not degraded (${n2ToN3.toFixed(1)} ms)`);
    await healFault(fault.id);
    assert.ok(medianFrom('fl-n1', hostOf(3)) < before + 40);
  });

  test('degrade --loss-percent 100 drops every packet between the node and the host', async () => {
    const fault = await injectFault(parseFault({ kind: 'degrade', target: 'n3', peers: 'clients', lossPercent: 100 }));
    assert.equal(canConnect(undefined, hostOf(3), 9092), false);
    await healFault(fault.id);
    assert.ok(canConnect(undefined, hostOf(3), 9092));
  });

  test('fill-disk fills the data directory so writes fail; heal frees it and the node runs again', async () => {
    const node = requireClusterState().nodes.find((n) => n.name === 'n3');
    assert.ok(node);
    const fault = await injectFault(parseFault({ kind: 'fill-disk', target: 'n3' }));
    assert.throws(() => writeFileSync(join(node.dataDir, 'probe'), Buffer.alloc(64 * 1024)), /ENOSPC/);
    // Kafka's own writes fail too: producing to partitions n3 leads ends in errors or moves leadership away.
    await withAdmin(cluster.bootstrap, (admin) => admin.createTopic({ name: 'full', partitions: 3, replicationFactor: 1 })).catch(() => undefined);
    await produceAcknowledged(cluster.bootstrap, 'full', 300, '1').catch(() => 0);
    // Kafka's own writes fail: the broker marks its only log dir failed and shuts itself down.
    await waitFor('n3 to stop after its log dir failed', () => (isProcessAlive(node.pid, node.marker) ? undefined : true), 60_000);
    assert.match(readFileSync(node.logFile, 'utf8'), /all log dirs in .* have failed|No space left on device/);
    await healFault(fault.id);
    assert.doesNotThrow(() => writeFileSync(join(node.dataDir, 'probe'), Buffer.alloc(64 * 1024)));
    await waitFor('all three brokers answering', async () => {
      const view = await describeTopicView(requireClusterState().nodes.filter(isBroker), 't');
      return view.answered === 3 ? true : undefined;
    }, 60_000);
  });

  test('coordinator:GROUP resolves to the broker coordinating a live consumer group', async () => {
    const { rdkafka, settle } = await import('../../src/kafka/rdkafka.js');
    const { KafkaConsumer } = rdkafka();
    const consumer = new KafkaConsumer({ 'bootstrap.servers': cluster.bootstrap, 'group.id': 'g1', log_level: 0 }, { 'auto.offset.reset': 'earliest' });
    await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 10_000 }, settle(() => resolve(), reject)));
    try {
      consumer.subscribe(['t']);
      const coordinator = await waitFor('group g1 to have a coordinator', async () => {
        await new Promise<void>((resolve) => consumer.consume(1, () => resolve()));
        return withAdmin(cluster.bootstrap, (admin) => admin.groupCoordinator('g1')).catch(() => undefined);
      }, 30_000);
      const fault = await injectFault(parseFault({ kind: 'pause', target: 'coordinator:g1' }));
      assert.deepEqual(fault.nodes, [`n${coordinator}`]);
      await healFault(fault.id);
    } finally {
      await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
    }
  });

  test('unknown targets and faults give one clear error each', async () => {
    await assert.rejects(async () => injectFault(parseFault({ kind: 'kill', target: 'leader:no-such-topic' })), /unknown topic no-such-topic/);
    await assert.rejects(async () => injectFault(parseFault({ kind: 'kill', target: 'broker:9' })), /no node '9'/);
    await assert.rejects(async () => injectFault(parseFault({ kind: 'kill', target: 'nonsense:x' })), /unknown target 'nonsense:x'/);
    await assert.rejects(async () => injectFault(parseFault({ kind: 'partition', target: 'n1', from: 'zookeeper' })), /without ZooKeeper/);
    const cli = runCli(['fault', 'explode', 'n1']);
    assert.equal(cli.code, 2);
    assert.match(cli.stderr, /unknown command 'explode'|unknown fault/);
  });

  test('SIGKILL of faultline while a partition and a pause are active: heal --all leaves zero residue', async () => {
    const script = [
      "const { injectFault, parseFault } = await import('./dist/src/nemesis/index.js');",
      "await injectFault(parseFault({ kind: 'partition', target: 'n1', from: 'all' }));",
      "await injectFault(parseFault({ kind: 'pause', target: 'n2' }));",
      "await injectFault(parseFault({ kind: 'degrade', target: 'n3', peers: 'clients', latencyMs: 20 }));",
      "process.stdout.write('ready\\n');",
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => (chunk.toString().includes('ready') ? resolve() : undefined));
      child.on('exit', (code) => reject(new Error(`driver exited early with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const before = await faultResidue();
    assert.ok(before.some((r) => r.includes('iptables')), `expected live rules before heal, got ${before.join(', ')}`);
    assert.ok(before.some((r) => r.includes('paused')), 'expected a paused JVM before heal');
    assert.ok(before.some((r) => r.includes('proxy')), 'expected a proxy before heal');
    const heal = runCli(['heal', '--all', '--json']);
    assert.equal(heal.code, 0, heal.stderr);
    assert.deepEqual(await faultResidue(), []);
    assert.equal(listFaults().length, 0);
    const again = runCli(['heal', '--all', '--json']);
    assert.equal(again.code, 0, 'heal is idempotent');
    assert.deepEqual(await faultResidue(), []);
  });
});

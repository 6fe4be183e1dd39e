import { test } from 'node:test';
import assert from 'node:assert/strict';
import { degradeFault } from '../../../src/nemesis/degrade-fault.js';
import { fillDiskFault } from '../../../src/nemesis/fill-disk-fault.js';
import { getFault } from '../../../src/nemesis/heal-registry.js';
import { partitionFault } from '../../../src/nemesis/partition-fault.js';
import { processFault } from '../../../src/nemesis/process-fault.js';
import { runUndo } from '../../../src/nemesis/run-undo.js';
import type { FaultEventSink } from '../../../src/history/active-run.js';
import { fakeCluster } from './fake-cluster.js';
import { CLIENT_ADDRESS, homeWithCluster, recordingProvider } from './recording-provider.js';

type SinkEvent = Parameters<FaultEventSink>[0];

function setUp(t: { after: (fn: () => void) => void }) {
  const state = fakeCluster('kraft');
  homeWithCluster(t, state);
  const events: SinkEvent[] = [];
  return { state, recording: recordingProvider(state), events, options: { events: (e: SinkEvent) => void events.push(e), seed: 1 } };
}

test('kill, terminate, pause: the provider is asked for the resolved node, and the undo is registered', async (t) => {
  const { state, recording, options } = setUp(t);
  const kill = await processFault(state, recording.provider, { kind: 'kill', target: { kind: 'node', ref: '2' } }, options, performance.now());
  const terminate = await processFault(state, recording.provider, { kind: 'terminate', target: { kind: 'node', ref: 'n3' }, graceMs: 1234 }, options, performance.now());
  const pause = await processFault(state, recording.provider, { kind: 'pause', target: { kind: 'node', ref: 'n1' } }, options, performance.now());
  assert.deepEqual(recording.calls, ['stop n2 kill', 'stop n3 terminate 1234', 'pause n1']);
  assert.deepEqual(kill.nodes, ['n2']);
  assert.deepEqual(kill.detail['n2'], { node: 'n2', pid: 4242, tookMs: 1, outcome: 'killed' });
  assert.deepEqual(getFault(kill.id)?.undo, [{ type: 'start-node', node: 'n2' }]);
  assert.deepEqual(getFault(terminate.id)?.undo, [{ type: 'start-node', node: 'n3' }]);
  assert.deepEqual(getFault(pause.id)?.undo, [{ type: 'resume-node', node: 'n1' }]);
  assert.equal(getFault(pause.id)?.status, 'active');
});

test('terminate without graceMs passes the default grace; resume and start are over once in effect', async (t) => {
  const { state, recording, options } = setUp(t);
  await processFault(state, recording.provider, { kind: 'terminate', target: { kind: 'node', ref: 'n1' } }, options, performance.now());
  const resume = await processFault(state, recording.provider, { kind: 'resume', target: { kind: 'all' } }, options, performance.now());
  const start = await processFault(state, recording.provider, { kind: 'start', target: { kind: 'node', ref: 'n2' } }, options, performance.now());
  assert.deepEqual(recording.calls, ['stop n1 terminate 30000', 'resume n1', 'resume n2', 'resume n3', 'start n2']);
  assert.equal(getFault(resume.id)?.status, 'healed');
  assert.equal(getFault(start.id)?.status, 'healed');
});

test('restart: every node stopped before any starts, its own fault period, healed at the end', async (t) => {
  const { state, recording, events, options } = setUp(t);
  const result = await processFault(state, recording.provider, { kind: 'restart', target: { kind: 'all' }, restartMode: 'kill', graceMs: 500 }, options, performance.now());
  assert.deepEqual(recording.calls, ['stop n1 kill 500', 'stop n2 kill 500', 'stop n3 kill 500', 'start n1', 'start n2', 'start n3']);
  assert.deepEqual(events.map((e) => e.event), ['fault-start', 'fault-heal']);
  assert.equal(getFault(result.id)?.status, 'healed');
  assert.deepEqual(Object.keys(result.detail), ['n1', 'n2', 'n3']);
});

test('partition: rules go to the provider keyed by the cut node, tagged with the fault; the undo sweeps those nodes', async (t) => {
  const { state, recording, options } = setUp(t);
  const result = await partitionFault(state, recording.provider, { kind: 'partition', target: { kind: 'node', ref: 'n1' }, clients: true }, options, performance.now());
  assert.deepEqual(recording.calls, ['apply n1']);
  const rules = recording.applied.get('n1') ?? [];
  // Two peers and the clients, each cut both ways.
  assert.equal(rules.length, 6);
  assert.ok(rules.every((r) => r.args.includes(`faultline:${result.id}`)), 'every rule carries the fault tag');
  assert.ok(rules.some((r) => r.args.includes(CLIENT_ADDRESS)), 'the clients are the provider\'s client address');
  assert.deepEqual(getFault(result.id)?.undo, [{ type: 'rules-sweep', nodes: ['n1'], faultId: result.id }]);
});

test('partition by halves: every cut node gets its own rules, and the undo names each', async (t) => {
  const { state, recording, options } = setUp(t);
  const result = await partitionFault(state, recording.provider, { kind: 'partition', shape: { kind: 'halves' } }, options, performance.now());
  const cutNodes = [...recording.applied.keys()].sort();
  assert.deepEqual(cutNodes, ['n1', 'n2', 'n3']);
  const undo = getFault(result.id)?.undo[0];
  assert.ok(undo?.type === 'rules-sweep');
  assert.deepEqual([...undo.nodes].sort(), cutNodes);
});

test('degrade with loss only: loss rules on the target through the provider, no proxy, undo sweeps the target', async (t) => {
  const { state, recording, options } = setUp(t);
  const result = await degradeFault(state, recording.provider, { kind: 'degrade', target: { kind: 'node', ref: 'n2' }, lossPercent: 10 }, options, performance.now());
  assert.deepEqual(recording.calls, ['apply n2']);
  const rules = recording.applied.get('n2') ?? [];
  assert.equal(rules.length, 2);
  assert.ok(rules.every((r) => r.args.includes(CLIENT_ADDRESS) && r.args.includes('0.1')));
  assert.deepEqual(result.detail, { peers: ['clients'], proxies: [] });
  assert.deepEqual(getFault(result.id)?.undo, [{ type: 'rules-sweep', nodes: ['n2'], faultId: result.id }]);
});

test('degrade with latency: a proxy per link where the receiving node runs, started through the provider before its redirect exists; heal stops it there', async (t) => {
  const { state, recording, options } = setUp(t);
  const result = await degradeFault(state, recording.provider, { kind: 'degrade', target: { kind: 'node', ref: 'n2' }, latencyMs: 50, peers: { nodes: [{ kind: 'node', ref: 'n3' }] } }, options, performance.now());
  const n2 = state.nodes.find((n) => n.name === 'n2');
  const n3 = state.nodes.find((n) => n.name === 'n3');
  // into n2 from n3 and the reverse: each proxy where the receiving node runs, forwarding to that node; then one rules step
  const proxies = recording.calls.filter((c) => c.startsWith('proxy ')).map((c) => c.split(' '));
  assert.deepEqual([...new Set(proxies.map(([, node]) => node))].sort(), ['n2', 'n3'], recording.calls.join('; '));
  assert.ok(proxies.every(([, node, target]) => target?.startsWith(`${(node === 'n2' ? n2 : n3)?.host}:`) && target.endsWith(':9092') !== target.endsWith(':9093')));
  assert.equal(recording.calls.at(-1), 'apply n2,n3');
  const redirects = [...recording.applied.values()].flat().filter((r) => r.args.includes('REDIRECT'));
  assert.ok(redirects.length > 0 && redirects.every((r) => r.args.includes('40001')), 'the redirects point at the port the provider answered');
  const undo = getFault(result.id)?.undo ?? [];
  assert.ok(undo.some((u) => u.type === 'stop-proxy' && u.pid === 5151 && u.faultId === result.id));
  recording.calls.length = 0;
  const stop = undo.find((u) => u.type === 'stop-proxy');
  assert.ok(stop);
  assert.match((await runUndo(stop, recording.provider)) ?? '', /stopped the proxy 5151/);
  assert.ok(recording.calls.some((c) => c.startsWith('stop proxy ') && c.endsWith(` 5151 ${result.id}`)), recording.calls.join('; '));
});

test('fill-disk: the provider fills each node; the undo frees the disk before it starts the node', async (t) => {
  const { state, recording, options } = setUp(t);
  const result = await fillDiskFault(state, recording.provider, { kind: 'fill-disk', target: { kind: 'node', ref: 'n3' } }, options, performance.now());
  assert.deepEqual(recording.calls, ['fill n3']);
  assert.deepEqual(result.detail, { n3: { filledBytes: 1000, freeBytesAfter: 0 } });
  assert.deepEqual(getFault(result.id)?.undo, [{ type: 'free-disk', node: 'n3' }, { type: 'start-node', node: 'n3' }]);
});

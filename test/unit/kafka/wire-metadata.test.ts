import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { fetchWireMetadata } from '../../../src/kafka/wire-metadata.js';
import { controllerIdView, describeTopicView } from '../../../src/kafka/topic-view.js';
import { FaultlineError, UsageError } from '../../../src/errors.js';
import { answering, encodeMetadataV7, silent, startFakeBroker, type FakeMetadata, type FakePartition } from './fake-broker.js';

const LOCAL = '127.0.0.1';

const METADATA: FakeMetadata = {
  brokers: [
    { id: 1, host: '10.77.0.11', port: 9092 },
    { id: 2, host: '10.77.0.12', port: 9092, rack: 'r2' },
    { id: 3, host: '10.77.0.13', port: 9093 },
  ],
  controllerId: 2,
  topics: [
    {
      name: 'orders',
      partitions: [
        { partition: 0, leader: 1, leaderEpoch: 4, replicas: [1, 2, 3], isr: [1, 2, 3] },
        { partition: 1, leader: 3, leaderEpoch: 11, replicas: [3, 1, 2], isr: [3], offline: [2] },
      ],
    },
  ],
};

test('fetchWireMetadata sends a Metadata v7 request and decodes the v7 answer', async (t) => {
  const broker = await startFakeBroker(answering(METADATA));
  t.after(() => broker.close());
  const metadata = await fetchWireMetadata(LOCAL, broker.port, ['orders'], 2000);

  assert.equal(broker.requests.length, 1);
  const request = broker.requests[0];
  assert.ok(request);
  assert.equal(request.apiKey, 3);
  assert.equal(request.apiVersion, 7);
  assert.equal(request.clientId, 'faultline');
  assert.deepEqual(request.topics, ['orders']);
  assert.equal(request.allowAutoTopicCreation, 0);

  assert.deepEqual(metadata.brokers, [
    { id: 1, host: '10.77.0.11', port: 9092 },
    { id: 2, host: '10.77.0.12', port: 9092 },
    { id: 3, host: '10.77.0.13', port: 9093 },
  ]);
  assert.equal(metadata.controllerId, 2);
  assert.equal(metadata.topics.length, 1);
  const topic = metadata.topics[0];
  assert.ok(topic);
  assert.equal(topic.name, 'orders');
  assert.equal(topic.errorCode, 0);
  assert.deepEqual(topic.partitions, [
    { errorCode: 0, partition: 0, leader: 1, leaderEpoch: 4, replicas: [1, 2, 3], isr: [1, 2, 3], offline: [] },
    { errorCode: 0, partition: 1, leader: 3, leaderEpoch: 11, replicas: [3, 1, 2], isr: [3], offline: [2] },
  ]);
});

test('fetchWireMetadata: null topics asks for all (-1), empty list asks for none', async (t) => {
  const broker = await startFakeBroker(answering({ brokers: [], controllerId: -1, topics: [] }));
  t.after(() => broker.close());
  await fetchWireMetadata(LOCAL, broker.port, null, 2000);
  const none = await fetchWireMetadata(LOCAL, broker.port, [], 2000);
  assert.deepEqual(broker.requests.map((r) => r.topics), [null, []]);
  assert.equal(none.controllerId, -1);
  assert.deepEqual(none.topics, []);
});

test('fetchWireMetadata reassembles a response split across TCP writes (even inside the size)', async (t) => {
  const broker = await startFakeBroker((request, socket) => {
    const frame = encodeMetadataV7(request.correlationId, METADATA);
    socket.write(frame.subarray(0, 2));
    setTimeout(() => socket.write(frame.subarray(2, 40)), 20);
    setTimeout(() => socket.write(frame.subarray(40)), 40);
  });
  t.after(() => broker.close());
  const metadata = await fetchWireMetadata(LOCAL, broker.port, ['orders'], 2000);
  assert.equal(metadata.topics[0]?.partitions[1]?.leaderEpoch, 11);
});

test('fetchWireMetadata: a broker that never answers rejects after timeoutMs, naming it', async (t) => {
  const broker = await startFakeBroker(silent);
  t.after(() => broker.close());
  const started = performance.now();
  await assert.rejects(fetchWireMetadata(LOCAL, broker.port, ['orders'], 250), (error: unknown) => {
    assert.ok(error instanceof FaultlineError);
    assert.match(error.message, new RegExp(`broker 127\\.0\\.0\\.1:${broker.port} did not answer .* within 250 ms`));
    return true;
  });
  const took = performance.now() - started;
  assert.ok(took >= 200 && took < 2000, `rejected after ${took} ms`);
  assert.equal(broker.requests.length, 1, 'the request did arrive');
});

test('fetchWireMetadata: a garbage (negative or huge) size rejects at once', async (t) => {
  for (const size of [-5, 0x7fffffff]) {
    const broker = await startFakeBroker((_request, socket) => {
      const b = Buffer.alloc(8);
      b.writeInt32BE(size, 0);
      socket.write(b);
    });
    t.after(() => broker.close());
    const started = performance.now();
    await assert.rejects(fetchWireMetadata(LOCAL, broker.port, ['x'], 5000), (error: unknown) => {
      assert.ok(error instanceof FaultlineError);
      assert.match(error.message, new RegExp(`${broker.port} sent a malformed response \\(size ${size}\\)`));
      return true;
    });
    assert.ok(performance.now() - started < 2000, 'did not wait for the timeout');
  }
});

test('fetchWireMetadata: a truncated body rejects as undecodable, naming the broker', async (t) => {
  const broker = await startFakeBroker((_request, socket) => {
    const b = Buffer.alloc(4 + 6);
    b.writeInt32BE(6, 0); // correlation id + half a throttle
    socket.write(b);
  });
  t.after(() => broker.close());
  await assert.rejects(fetchWireMetadata(LOCAL, broker.port, ['x'], 2000), /cannot decode metadata from 127\.0\.0\.1:\d+/);
});

test('fetchWireMetadata: a refused connection rejects with the address', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, LOCAL, resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await assert.rejects(fetchWireMetadata(LOCAL, port, null, 2000), new RegExp(`cannot reach broker 127\\.0\\.0\\.1:${port}`));
});

// ---- topic-view ----

function topicMetadata(controllerId: number, partitions: FakePartition[], errorCode = 0): FakeMetadata {
  return { brokers: [{ id: 1, host: 'h1', port: 1 }], controllerId, topics: [{ name: 't', errorCode, partitions }] };
}

test('describeTopicView: the newest leader epoch wins over a stale broker; a silent broker is not counted', async (t) => {
  const fresh = await startFakeBroker(answering(topicMetadata(1, [
    { partition: 0, leader: 2, leaderEpoch: 6, replicas: [1, 2, 3], isr: [2, 3] },
    { partition: 1, leader: 3, leaderEpoch: 2, replicas: [3, 1, 2], isr: [3, 1, 2] },
  ])));
  // The isolated old leader: it still believes it leads partition 0 at epoch 5.
  const stale = await startFakeBroker(answering(topicMetadata(1, [
    { partition: 0, leader: 1, leaderEpoch: 5, replicas: [1, 2, 3], isr: [1, 2, 3] },
    { partition: 1, leader: 3, leaderEpoch: 2, replicas: [3, 1, 2], isr: [3, 1, 2] },
  ])));
  const paused = await startFakeBroker(silent);
  t.after(() => Promise.all([fresh.close(), stale.close(), paused.close()]));

  const brokers = [stale, paused, fresh].map((b) => ({ host: LOCAL, port: b.port }));
  const started = performance.now();
  const view = await describeTopicView(brokers, 't', 300);
  assert.ok(performance.now() - started < 2000);
  assert.equal(view.topic, 't');
  assert.equal(view.asked, 3);
  assert.equal(view.answered, 2);
  assert.equal(view.controllerId, 1);
  assert.deepEqual(view.partitions, [
    { partition: 0, leader: 2, leaderEpoch: 6, replicas: [1, 2, 3], isr: [2, 3], agreeing: 1 },
    { partition: 1, leader: 3, leaderEpoch: 2, replicas: [3, 1, 2], isr: [3, 1, 2], agreeing: 2 },
  ]);
  assert.equal(paused.requests.length, 1, 'the silent broker was asked');
});

test('describeTopicView: at the same epoch the view most brokers share wins', async (t) => {
  const a = await startFakeBroker(answering(topicMetadata(2, [{ partition: 0, leader: 1, leaderEpoch: 3, replicas: [1, 2, 3], isr: [1] }])));
  const b = await startFakeBroker(answering(topicMetadata(2, [{ partition: 0, leader: 1, leaderEpoch: 3, replicas: [1, 2, 3], isr: [1, 2] }])));
  const c = await startFakeBroker(answering(topicMetadata(3, [{ partition: 0, leader: 1, leaderEpoch: 3, replicas: [1, 2, 3], isr: [1, 2] }])));
  t.after(() => Promise.all([a.close(), b.close(), c.close()]));
  const view = await describeTopicView([a, b, c].map((x) => ({ host: LOCAL, port: x.port })), 't', 1000);
  assert.deepEqual(view.partitions[0]?.isr, [1, 2]);
  assert.equal(view.partitions[0].agreeing, 2);
  assert.equal(view.controllerId, 2);
  assert.equal(view.answered, 3);
});

test('describeTopicView: unknown topic everywhere is a UsageError; nobody answering is a FaultlineError with the reason', async (t) => {
  const a = await startFakeBroker(answering(topicMetadata(1, [], 3)));
  const dead = await startFakeBroker(silent);
  t.after(() => Promise.all([a.close(), dead.close()]));
  await assert.rejects(describeTopicView([{ host: LOCAL, port: a.port }, { host: LOCAL, port: dead.port }], 't', 200), (e: unknown) => e instanceof UsageError && e.message === 'unknown topic t');
  await assert.rejects(describeTopicView([{ host: LOCAL, port: dead.port }], 't', 200), (e: unknown) => {
    assert.ok(e instanceof FaultlineError && !(e instanceof UsageError));
    assert.match(e.message, /no broker answered a metadata request for t \(broker 127\.0\.0\.1:\d+ did not answer/);
    return true;
  });
});

test('controllerIdView: the controller most brokers name; none named is an error', async (t) => {
  const x = await startFakeBroker(answering({ brokers: [], controllerId: 2, topics: [] }));
  const y = await startFakeBroker(answering({ brokers: [], controllerId: 2, topics: [] }));
  const z = await startFakeBroker(answering({ brokers: [], controllerId: 1, topics: [] }));
  const none = await startFakeBroker(answering({ brokers: [], controllerId: -1, topics: [] }));
  t.after(() => Promise.all([x.close(), y.close(), z.close(), none.close()]));
  assert.equal(await controllerIdView([z, x, y].map((b) => ({ host: LOCAL, port: b.port })), 1000), 2);
  assert.deepEqual(x.requests[0]?.topics, []);
  await assert.rejects(controllerIdView([{ host: LOCAL, port: none.port }], 1000), /no broker named a controller/);
});

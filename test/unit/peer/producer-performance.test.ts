import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FaultlineError, UsageError } from '../../../src/errors.js';
import {
  PRODUCER_PERFORMANCE_CLASS,
  parseProducerPerformanceOutput,
  parseProducerPerformanceSummaryLine,
  producerPerformanceCommand,
} from '../../../src/peer/producer-performance.js';

const dist4 = { libDir: '/cache/kafka/4.3.1/libs', major: 4 };
const dist3 = { libDir: '/cache/kafka/3.9.2/libs', major: 3 };

test('command 4.3.1: --bootstrap-server and --command-property, 100-byte records, unthrottled, acks=-1', () => {
  const cmd = producerPerformanceCommand({ dist: dist4, bootstrapServers: '10.77.0.2:9092', topic: 'bench', numRecords: 200_000, producerProps: { 'linger.ms': 5 }, logConfigFile: '/l' });
  assert.deepEqual(cmd.args, [
    '-Xmx256m', '-Duser.language=en', '-Duser.country=US', '-Dlog4j2.configurationFile=/l',
    '-cp', '/cache/kafka/4.3.1/libs/*', PRODUCER_PERFORMANCE_CLASS,
    '--topic', 'bench', '--num-records', '200000', '--record-size', '100', '--throughput', '-1',
    '--bootstrap-server', '10.77.0.2:9092', '--command-property', 'acks=-1', 'linger.ms=5',
  ]);
});

test('command 3.9.2: --producer-props with bootstrap.servers; warm-up refused', () => {
  const cmd = producerPerformanceCommand({ dist: dist3, bootstrapServers: 'b:9092', topic: 't', numRecords: 10, acks: '1' });
  assert.deepEqual(cmd.args.slice(cmd.args.indexOf(PRODUCER_PERFORMANCE_CLASS) + 1), [
    '--topic', 't', '--num-records', '10', '--record-size', '100', '--throughput', '-1', '--producer-props', 'bootstrap.servers=b:9092', 'acks=1',
  ]);
  assert.throws(() => producerPerformanceCommand({ dist: dist3, bootstrapServers: 'b', topic: 't', numRecords: 10, warmupRecords: 1 }), UsageError);
  const warm = producerPerformanceCommand({ dist: dist4, bootstrapServers: 'b', topic: 't', numRecords: 10, warmupRecords: 2 });
  assert.deepEqual(warm.args.slice(-2), ['--warmup-records', '2']);
});

test('command: bad input', () => {
  const base = { dist: dist4, bootstrapServers: 'b', topic: 't', numRecords: 10 };
  assert.throws(() => producerPerformanceCommand({ ...base, numRecords: 0 }), UsageError);
  assert.throws(() => producerPerformanceCommand({ ...base, producerProps: { acks: '1' } }), UsageError);
  assert.throws(() => producerPerformanceCommand({ ...base, producerProps: { 'client.id': 'a b' } }), UsageError);
  assert.throws(() => producerPerformanceCommand({ ...base, throughputPerSec: 0 }), UsageError);
});

// Format strings from the 4.3.1 / 3.9.2 jars (Stats.printWindow / printTotal).
const OUTPUT_431 = `[2026-11-22 05:50:01,002] WARN some log line that leaked to stdout (org.apache.kafka.clients.NetworkClient)
249617 records sent, 49913.4 records/sec (4.76 MB/sec), 322.8 ms avg latency, 612.0 ms max latency.
262976 records sent, 52574.6 records/sec (5.01 MB/sec), 380.1 ms avg latency, 655.0 ms max latency.
1000000 records sent, 51867.219917 records/sec (4.95 MB/sec), 360.21 ms avg latency, 701.00 ms max latency, 345 ms 50th, 590 ms 95th, 640 ms 99th, 690 ms 99.9th.
`;

test('parser: 4.3.1 final summary line; progress lines ignored', () => {
  const r = parseProducerPerformanceOutput(OUTPUT_431);
  assert.deepEqual(r, {
    records: 1_000_000, steadyState: false, recordsPerSec: 51867.219917, mbPerSec: 4.95, avgLatencyMs: 360.21, maxLatencyMs: 701,
    p50Ms: 345, p95Ms: 590, p99Ms: 640, p999Ms: 690, steadyStateSummary: null,
  });
});

test('parser: 4.3.1 with --warmup-records prints a steady-state line too', () => {
  const text = `${OUTPUT_431}In steady state.\n900000 steady state records sent, 53001.000000 records/sec (5.05 MB/sec), 350.00 ms avg latency, 650.00 ms max latency, 340 ms 50th, 580 ms 95th, 630 ms 99th, 650 ms 99.9th.\n`;
  const r = parseProducerPerformanceOutput(text);
  assert.equal(r.records, 1_000_000);
  assert.equal(r.steadyStateSummary?.records, 900_000);
  assert.equal(r.steadyStateSummary.recordsPerSec, 53001);
  assert.equal(r.steadyStateSummary.steadyState, true);
});

test('parser: 3.9.2 summary (%.1f records/sec) and CRLF', () => {
  const s = parseProducerPerformanceSummaryLine('50000 records sent, 24740.2 records/sec (2.36 MB/sec), 512.37 ms avg latency, 803.00 ms max latency, 501 ms 50th, 760 ms 95th, 790 ms 99th, 801 ms 99.9th.\r');
  assert.equal(s?.recordsPerSec, 24740.2);
  assert.equal(s.p999Ms, 801);
});

test('parser: no summary → FaultlineError naming the last output', () => {
  assert.throws(() => parseProducerPerformanceOutput('249617 records sent, 49913.4 records/sec (4.76 MB/sec), 322.8 ms avg latency, 612.0 ms max latency.\n'), (e: unknown) => e instanceof FaultlineError && e.message.includes('no final summary'));
  assert.throws(() => parseProducerPerformanceOutput(''), FaultlineError);
});

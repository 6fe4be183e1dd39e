import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterUp } from '../../../src/cluster/local-cluster.js';
import {
  DEFAULT_BROKERS, DEFAULT_DISK_MB, DEFAULT_HEAP_MB, DEFAULT_START_TIMEOUT_MS, MAX_DISK_MB, MAX_HEAP_MB, MIN_DISK_MB, MIN_HEAP_MB, resolveUpOptions, type ClusterUpOptions,
} from '../../../src/cluster/cluster-options.js';
import { DEFAULT_BROKER_SETTINGS } from '../../../src/cluster/cluster-settings.js';
import { DEFAULT_KAFKA_VERSION, DEFAULT_ZOOKEEPER_KAFKA_VERSION } from '../../../src/cluster/kafka-distribution.js';
import { MAX_BROKERS } from '../../../src/cluster/topology.js';
import { EXIT_INTERRUPTED, FaultlineError, UsageError } from '../../../src/errors.js';

test('resolveUpOptions: defaults for every option; owner user', () => {
  assert.deepEqual(resolveUpOptions({}), {
    brokers: DEFAULT_BROKERS,
    mode: 'kraft',
    kafkaVersion: DEFAULT_KAFKA_VERSION,
    settings: DEFAULT_BROKER_SETTINGS,
    heapMb: DEFAULT_HEAP_MB,
    diskMb: DEFAULT_DISK_MB,
    startTimeoutMs: DEFAULT_START_TIMEOUT_MS,
    owner: 'user',
  });
  assert.equal(resolveUpOptions({ metadata: 'zookeeper' }).kafkaVersion, DEFAULT_ZOOKEEPER_KAFKA_VERSION);
  const given = resolveUpOptions({ brokers: MAX_BROKERS, heapMb: MIN_HEAP_MB, diskMb: MAX_DISK_MB, settings: { 'num.io.threads': '2' }, owner: 'suite' });
  assert.equal(given.brokers, MAX_BROKERS);
  assert.equal(given.settings['num.io.threads'], '2');
  assert.equal(given.settings['replica.lag.time.max.ms'], DEFAULT_BROKER_SETTINGS['replica.lag.time.max.ms']);
  assert.equal(given.owner, 'suite');
});

const BAD: readonly [ClusterUpOptions, RegExp][] = [
  [{ brokers: 0 }, /^brokers: expected 1\.\.9, got 0$/],
  [{ brokers: MAX_BROKERS + 1 }, /^brokers: expected 1\.\.9, got 10$/],
  [{ brokers: 2.5 }, /^brokers: /],
  [{ heapMb: MIN_HEAP_MB - 1 }, /^heapMb: expected 128\.\.8192 MiB, got 127$/],
  [{ heapMb: MAX_HEAP_MB + 1 }, /^heapMb: /],
  [{ diskMb: MIN_DISK_MB - 1 }, /^diskMb: expected 64\.\.65536 MiB per node, got 63$/],
  [{ diskMb: Number.NaN }, /^diskMb: /],
  [{ startTimeoutMs: 10 }, /^startTimeoutMs: /],
  [{ metadata: 'raft' as never }, /^metadata: expected one of kraft, kraft-dedicated, zookeeper, got 'raft'$/],
  [{ kafkaVersion: 'latest' }, /^kafkaVersion: expected a version like/],
  [{ kafkaVersion: '2.8.0' }, /^kafkaVersion: 2\.8\.0 is not supported/],
  [{ metadata: 'zookeeper', kafkaVersion: '4.3.1' }, /^metadata: zookeeper needs Kafka 3\.x .*set kafkaVersion to 3\.9\.2$/],
  [{ owner: 'robot' as never }, /^owner: expected 'user' or 'suite', got 'robot'$/],
];

test('resolveUpOptions: each bad option is a UsageError naming its field, not a flag', () => {
  for (const [options, message] of BAD) {
    assert.throws(() => resolveUpOptions(options), (e: unknown) => e instanceof UsageError && message.test(e.message), JSON.stringify(options));
  }
});

/**
 * Runs clusterUp where nothing can be made: an invalid FAULTLINE_SUBNET fails the first step that would touch
 * the machine, and an empty FAULTLINE_HOME holds no cluster to clean up.
 */
async function clusterUpGuarded(options: ClusterUpOptions): Promise<unknown> {
  const saved = { subnet: process.env['FAULTLINE_SUBNET'], home: process.env['FAULTLINE_HOME'] };
  process.env['FAULTLINE_SUBNET'] = 'not-a-subnet';
  process.env['FAULTLINE_HOME'] = mkdtempSync(join(tmpdir(), 'faultline-options-'));
  try {
    await clusterUp(options);
    return undefined;
  } catch (error) {
    return error;
  } finally {
    restoreEnv('FAULTLINE_SUBNET', saved.subnet);
    restoreEnv('FAULTLINE_HOME', saved.home);
  }
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) Reflect.deleteProperty(process.env, name);
  else process.env[name] = value;
}

test('clusterUp checks its options before anything else', async () => {
  for (const [options, message] of BAD) {
    const error = await clusterUpGuarded(options);
    assert.ok(error instanceof UsageError && message.test(error.message), `${JSON.stringify(options)}: ${String(error)}`);
  }
});

test('clusterUp with an aborted signal throws an interruption (exit code 130) before anything is made', async () => {
  const controller = new AbortController();
  controller.abort();
  const error = await clusterUpGuarded({ signal: controller.signal });
  assert.ok(error instanceof FaultlineError, String(error));
  assert.equal(error.exitCode, EXIT_INTERRUPTED);
  assert.match(error.message, /cluster start-up was interrupted/);
});

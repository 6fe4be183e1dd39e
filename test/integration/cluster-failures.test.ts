import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterDown, clusterUp } from '../../src/cluster/local-cluster.js';
import { clusterStatePath } from '../../src/cluster/cluster-state.js';
import { EXIT_INTERRUPTED, FaultlineError, UsageError } from '../../src/errors.js';
import { residue, runCli } from './support.js';

describe('cluster start-up failures leave nothing behind', () => {
  // Start from a clean machine even if an earlier run was cut off mid-cluster.
  before(async () => {
    await clusterDown();
  });

  after(async () => {
    await clusterDown();
  });

  test('an unsupported Kafka version is refused before anything starts', async () => {
    await assert.rejects(clusterUp({ kafkaVersion: '2.8.0' }), (error: unknown) => error instanceof UsageError && error.message.includes('not supported'));
    await assert.rejects(clusterUp({ kafkaVersion: 'latest' }), (error: unknown) => error instanceof UsageError && error.message.includes('expected a version'));
    assert.deepEqual(await residue(), []);
  });

  test('a version missing from Maven Central gives one clear error', async () => {
    await assert.rejects(clusterUp({ kafkaVersion: '4.9.7' }), (error: unknown) => error instanceof UsageError && error.message.includes('not on Maven Central'));
    assert.deepEqual(await residue(), []);
  });

  test('Maven Central unreachable gives one clear error and leaves nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-maven-'));
    const settings = join(dir, 'settings.xml');
    // A mirror nobody listens on, an empty local repository and an empty jar cache: every download fails.
    writeFileSync(settings, `<settings><localRepository>${join(dir, 'm2')}</localRepository><mirrors><mirror><id>nowhere</id><mirrorOf>*</mirrorOf><url>http://127.0.0.1:9/</url></mirror></mirrors></settings>`);
    const saved = { settings: process.env['FAULTLINE_MAVEN_SETTINGS'], cache: process.env['FAULTLINE_CACHE'] };
    process.env['FAULTLINE_MAVEN_SETTINGS'] = settings;
    process.env['FAULTLINE_CACHE'] = join(dir, 'cache');
    try {
      await assert.rejects(clusterUp({}), (error: unknown) => error instanceof FaultlineError && !(error instanceof UsageError) && error.message.includes('Maven could not reach Maven Central to fetch Kafka'));
    } finally {
      if (saved.settings === undefined) delete process.env['FAULTLINE_MAVEN_SETTINGS'];
      else process.env['FAULTLINE_MAVEN_SETTINGS'] = saved.settings;
      if (saved.cache === undefined) delete process.env['FAULTLINE_CACHE'];
      else process.env['FAULTLINE_CACHE'] = saved.cache;
    }
    assert.deepEqual(await residue(), []);
  });

  test('ZooKeeper mode with Kafka 4 is refused', async () => {
    await assert.rejects(clusterUp({ metadata: 'zookeeper', kafkaVersion: '4.3.1' }), (error: unknown) => error instanceof UsageError && error.message.includes('needs Kafka 3'));
    assert.deepEqual(await residue(), []);
  });

  test('a node that exits during start-up is named with its log, and everything is torn down', async () => {
    // An unparsable number makes every broker exit at config validation.
    await assert.rejects(clusterUp({ settings: { 'num.io.threads': 'many' } }), (error: unknown) => {
      assert.ok(error instanceof FaultlineError);
      assert.match(error.message, /node n\d .*exited during start-up; its log: \/.*server\.log/);
      return true;
    });
    assert.deepEqual(await residue(), []);
  });

  test('a start-up that does not finish in time is stopped and cleaned up', async () => {
    await assert.rejects(clusterUp({ startTimeoutMs: 1500 }), (error: unknown) => error instanceof FaultlineError && error.message.includes('did not finish within 1500 ms'));
    assert.deepEqual(await residue(), []);
  });

  test('Ctrl-C during cluster up tears down what was made and exits 130', async () => {
    const child = spawn(process.execPath, ['dist/src/cli/main.js', 'cluster', 'up'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stderr.on('data', (chunk: Buffer) => {
      const before = stderr;
      stderr += chunk.toString('utf8');
      // Interrupt once the first node runs: namespaces, mounts and a JVM exist by then.
      if (!/started n\d/.test(before) && /started n\d/.test(stderr)) child.kill('SIGINT');
    });
    const code = await exited;
    clearTimeout(killTimer);
    assert.equal(code, EXIT_INTERRUPTED, stderr);
    assert.match(stderr, /cluster start-up was interrupted; what it had made is torn down/);
    assert.deepEqual(await residue(), []);
    assert.equal(runCli(['cluster', 'status', '--json']).stdout.includes('"running": false'), true);
  });

  test('without root, cluster up says exactly what is unavailable and why', () => {
    const result = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, 'dist/src/cli/main.js', 'cluster', 'up'], { encoding: 'utf8', env: { ...process.env, FAULTLINE_HOME: '/tmp/faultline-nobody' } });
    assert.equal(result.status, 3, result.stderr);
    assert.match(result.stderr, /needs root \(CAP_NET_ADMIN and CAP_SYS_ADMIN\) to create network namespaces, veth pairs and iptables rules/);
  });

  test('a damaged state file: cluster up says to run cluster down, and cluster down cleans up', async () => {
    writeFileSync(clusterStatePath(), '{ not json');
    const up = runCli(['cluster', 'up']);
    assert.equal(up.code, 3, up.stderr);
    assert.match(up.stderr, /is unreadable .*run 'faultline cluster down'/);
    const down = runCli(['cluster', 'down']);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(existsSync(clusterStatePath()), false);
    assert.deepEqual(await residue(), []);
  });

  test('a leftover namespace is reported, not silently reused or deleted', async () => {
    execFileSync('ip', ['netns', 'add', 'fl-n1']);
    try {
      await assert.rejects(clusterUp({}), (error: unknown) => error instanceof FaultlineError && error.message.includes('namespace fl-n1') && error.message.includes('cluster down'));
      assert.deepEqual(await residue(), ['netns fl-n1']);
    } finally {
      execFileSync('ip', ['netns', 'del', 'fl-n1']);
    }
    assert.deepEqual(await residue(), []);
  });
});

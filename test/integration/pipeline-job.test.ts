import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { clusterDown, clusterUp, type ClusterSummary } from '../../src/cluster/local-cluster.js';
import { Job } from '../../src/job/job.js';
import { JOB_EXIT_EVENT, JOB_START_EVENT, JOB_STATE_EVENT } from '../../src/history/job-event.js';
import type { JobSpec } from '../../src/job/job-spec.js';
import { listFaultlineNamespaces } from '../../src/net/namespace.js';
import { healAll } from '../../src/nemesis/index.js';
import { findJobProcesses } from '../../src/util/job-marker.js';
import { processState } from '../../src/util/process.js';
import { canConnect, residue, waitFor } from './support.js';
import { spawnSync } from 'node:child_process';

const SCRIPT = resolve('test/fixtures/jobs/env-job.sh');
const READY = { readyState: 'RUNNING', settleMs: 0, timeoutMs: 20_000 };

describe('pipeline jobs: a black-box job in its own namespace, its faults observed from outside', () => {
  let cluster: ClusterSummary;
  const dir = mkdtempSync(join(tmpdir(), 'faultline-job-'));
  const events: { event: string; detail: Record<string, unknown> }[] = [];
  const spec: JobSpec = { name: 'j1', engine: 'command', command: [SCRIPT], params: { allowFail: true, messagesPerFail: 10 }, guarantee: 'at-least-once', appId: 'app-a', version: 'v1', inputTopic: 'in', outputTopic: 'out', dlqTopic: 'dlq' };
  let job: Job;

  before(async () => {
    cluster = await clusterUp({ brokers: 1, metadata: 'kraft', diskMb: 128 });
    job = await Job.create({ spec, slot: 1, bootstrap: cluster.bootstrap, dir, argv: (s) => s.command ?? [], events: (event, detail) => events.push({ event, detail }) });
  });

  after(async () => {
    await job.close(2000);
    await healAll();
    await clusterDown();
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(await residue(), []);
  });

  test('start: the contract environment, its own network namespace, the brokers reachable from it, states journalled', async () => {
    const proc = await job.startAndWait(READY);
    const env = readFileSync(join(dir, 'state', 'env-app-a.txt'), 'utf8');
    for (const line of [`FAULTLINE_BOOTSTRAP=${cluster.bootstrap}`, 'FAULTLINE_INPUT_TOPIC=in', 'FAULTLINE_OUTPUT_TOPIC=out', 'FAULTLINE_DLQ_TOPIC=dlq', 'FAULTLINE_APP_ID=app-a', 'FAULTLINE_GUARANTEE=at-least-once', 'FAULTLINE_JOB_VERSION=v1', 'FAULTLINE_PARAM_ALLOW_FAIL=1', 'FAULTLINE_PARAM_MESSAGES_PER_FAIL=10', `FAULTLINE_STATE_DIR=${join(dir, 'state', 'app-a')}`]) {
      assert.ok(env.split('\n').includes(line), `${line} in\n${env}`);
    }
    assert.notEqual(readlinkSync(`/proc/${proc.pid}/ns/net`), readlinkSync('/proc/self/ns/net'), 'the job runs in another network namespace');
    assert.ok((await listFaultlineNamespaces()).includes('fl-j1'));
    assert.equal(readFileSync(join(dir, 'state', 'reach.txt'), 'utf8').trim(), 'reachable');
    // From outside the job: its namespace holds its address, and reaches the first broker over TCP.
    assert.match(spawnSync('ip', ['-n', job.namespace, '-o', 'addr', 'show', 'dev', 'eth0'], { encoding: 'utf8' }).stdout, new RegExp(`inet ${job.address.replace(/\./g, '\\.')}/24`));
    const [host, port] = (cluster.bootstrap.split(',')[0] ?? '').split(':');
    assert.ok(canConnect(job.namespace, host ?? '', Number(port)), 'the job namespace reaches a broker');
    assert.ok(events.some((e) => e.event === JOB_START_EVENT && e.detail['pid'] === proc.pid && e.detail['appId'] === 'app-a'));
    assert.ok(events.some((e) => e.event === JOB_STATE_EVENT && e.detail['state'] === 'RUNNING'));
  });

  test('pause stops every process of the job (state T in /proc); resume runs them again', async () => {
    const pid = job.pid ?? -1;
    job.pause();
    await waitFor('stopped', () => (processState(pid) === 'T' ? true : undefined), 5000);
    job.resume();
    await waitFor('running', () => (processState(pid) !== 'T' ? true : undefined), 5000);
  });

  test('kill: SIGKILL journalled as the exit; nothing with the job marker is left', async () => {
    const pid = job.pid ?? -1;
    const exit = await job.kill();
    assert.equal(exit?.signal, 'SIGKILL');
    assert.equal(processState(pid), undefined);
    assert.deepEqual(findJobProcesses(), []);
    await waitFor('job-exit event', () => (events.some((e) => e.event === JOB_EXIT_EVENT && e.detail['pid'] === pid && e.detail['signal'] === 'SIGKILL') ? true : undefined), 5000);
  });

  test('update: new parameters, same app id and state; a graceful stop lets the job say so', async () => {
    await job.startAndWait(READY);
    await job.update({ params: { allowFail: false }, version: 'v2' });
    await waitFor('running again', () => (job.state === 'RUNNING' ? true : undefined), 20_000);
    assert.ok(events.some((e) => e.event === JOB_STATE_EVENT && e.detail['state'] === 'STOPPING'), 'SIGTERM reached the job');
    const env = readFileSync(join(dir, 'state', 'env-app-a.txt'), 'utf8');
    assert.ok(env.includes('FAULTLINE_PARAM_ALLOW_FAIL=0') && env.includes('FAULTLINE_JOB_VERSION=v2'), env);
    assert.equal(readFileSync(join(job.stateDir, 'starts'), 'utf8').trim(), '3', 'the same state directory across restarts');
  });

  test('state-delete is refused while up; while down it removes the state; cancel+recreate starts with a new app id and no state', async () => {
    assert.throws(() => job.deleteState(), /needs the job down/);
    await job.terminate(5000);
    const removed = job.deleteState();
    assert.equal(existsSync(removed), false);
    await job.cancelRecreate();
    await waitFor('recreated', () => (job.state === 'RUNNING' ? true : undefined), 20_000);
    assert.equal(job.spec.appId, 'app-a-recreated-1');
    assert.equal(readFileSync(join(job.stateDir, 'starts'), 'utf8').trim(), '1');
    await job.terminate(5000);
  });

  test('a command that exits at once: one error with its exit code and output tail', async () => {
    const failing = await Job.create({ spec: { ...spec, name: 'j2', command: ['bash', '-c', 'echo "cannot parse FAULTLINE_BOOTSTRAP" >&2; exit 7'] }, slot: 2, bootstrap: cluster.bootstrap, dir: join(dir, 'j2'), argv: (s) => s.command ?? [], events: () => undefined });
    try {
      await assert.rejects(failing.startAndWait(READY), /exited during start-up \(exit code 7\)[\s\S]*cannot parse FAULTLINE_BOOTSTRAP/);
    } finally {
      await failing.close(1000);
    }
    assert.ok(!(await listFaultlineNamespaces()).includes('fl-j2'));
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldError } from '../../../src/errors.js';
import { fireJobFault } from '../../../src/job/job-fault-run.js';
import { isJobFaultKind, isJobFaultRequest, JOB_FAULT_KEYS, JOB_FAULT_KINDS, jobFaultIsDoneWhenFired, jobFaultReplacesProcess, jobFaultRestarts, parseJobFault } from '../../../src/job/job-fault.js';
import { FakeJob } from './fake-job.js';

/** The FieldError parseJobFault throws: `path: reason`, the path as the scenario loader positions it. */
function refusal(value: unknown): string {
  try {
    parseJobFault(value);
  } catch (error) {
    assert.ok(error instanceof FieldError, `expected a FieldError, got ${String(error)}`);
    return `${error.path.join('.')}${error.atKey ? ' (key)' : ''}: ${error.reason}`;
  }
  assert.fail(`expected parseJobFault to refuse ${JSON.stringify(value)}`);
}

test('every kind parses to itself on the job; target job is the default and the only target', () => {
  for (const kind of JOB_FAULT_KINDS.filter((k) => k !== 'job-update')) {
    assert.deepEqual(parseJobFault({ kind }), { kind, target: 'job' });
    assert.deepEqual(parseJobFault({ kind, target: 'job' }), { kind, target: 'job' });
  }
  assert.equal(refusal({ kind: 'job-kill', target: 'n1' }), 'target: a job fault acts on the scenario\'s job: expected \'job\', got "n1"');
  assert.equal(refusal({ kind: 'job-pause', target: 'leader:t' }), 'target: a job fault acts on the scenario\'s job: expected \'job\', got "leader:t"');
});

test('job-partition: from all brokers by default, or from the nodes `from` names (one or a list, the nemesis syntax)', () => {
  assert.deepEqual(parseJobFault({ kind: 'job-partition' }), { kind: 'job-partition', target: 'job' });
  assert.deepEqual(parseJobFault({ kind: 'job-partition', from: 'leader:out/0' }), { kind: 'job-partition', target: 'job', from: [{ kind: 'leader', topic: 'out', partition: 0 }] });
  assert.deepEqual(parseJobFault({ kind: 'job-partition', from: ['n1', 2, 'controller'] }), {
    kind: 'job-partition', target: 'job', from: [{ kind: 'node', ref: 'n1' }, { kind: 'node', ref: '2' }, { kind: 'controller' }],
  });
  assert.equal(refusal({ kind: 'job-partition', from: [] }), 'from: expected at least one node');
  assert.equal(refusal({ kind: 'job-partition', from: 'n1,n2' }), "from: expected a list of nodes (e.g. [n1, n2]), got 'n1,n2'");
  assert.match(refusal({ kind: 'job-partition', from: ['n1', 'leader:'] }), /^from\.1: target 'leader:'/);
  assert.match(refusal({ kind: 'job-partition', from: [{ node: 'n1' }] }), /^from\.0: expected a non-empty string/);
  assert.equal(refusal({ kind: 'job-partition', version: 'v2' }), 'version (key): unknown key for job-partition; keys: kind, target, from');
});

test('job-update: params and/or version; it needs one of them', () => {
  assert.deepEqual(parseJobFault({ kind: 'job-update', params: { allowFail: false } }), { kind: 'job-update', target: 'job', params: { allowFail: false } });
  assert.deepEqual(parseJobFault({ kind: 'job-update', version: 'v2' }), { kind: 'job-update', target: 'job', version: 'v2' });
  assert.deepEqual(parseJobFault({ kind: 'job-update', params: { delayMs: 0, label: 'x' }, version: 'v2' }), { kind: 'job-update', target: 'job', params: { delayMs: 0, label: 'x' }, version: 'v2' });
  assert.equal(refusal({ kind: 'job-update' }), ': job-update needs params or version (what the update changes)');
  assert.equal(refusal({ kind: 'job-update', version: '' }), 'version: expected a non-empty string');
  assert.equal(refusal({ kind: 'job-update', version: 2 }), 'version: expected a non-empty string');
  assert.equal(refusal({ kind: 'job-update', params: [] }), 'params: expected a mapping of parameter names to values');
  assert.equal(refusal({ kind: 'job-update', params: 'allowFail=0' }), 'params: expected a mapping of parameter names to values');
  assert.equal(refusal({ kind: 'job-update', params: {} }), 'params: expected at least one parameter (or leave params out)');
});

test("job-update's parameters follow the job's own rules, positioned at the parameter", () => {
  assert.equal(refusal({ kind: 'job-update', params: { allowFail: { on: true } } }), 'params.allowFail: expected a string, number or boolean');
  assert.equal(refusal({ kind: 'job-update', params: { allowFail: null } }), 'params.allowFail: expected a string, number or boolean');
  assert.equal(refusal({ kind: 'job-update', params: { allow_fail: 0 } }), 'params.allow_fail (key): parameter names are camelCase (they become FAULTLINE_PARAM_<UPPER_SNAKE>)');
  assert.equal(refusal({ kind: 'job-update', params: { maxHttp: 1, maxHTTP: 2 } }), "params.maxHTTP (key): becomes FAULTLINE_PARAM_MAX_HTTP, as 'maxHttp' does: one of them would be lost");
});

test('keys allowed per kind: kind and target, and params/version for job-update only; an unknown key is refused at the key', () => {
  assert.equal(refusal({ kind: 'job-kill', params: { a: 1 } }), 'params (key): unknown key for job-kill; keys: kind, target');
  assert.equal(refusal({ kind: 'state-delete', version: 'v2' }), 'version (key): unknown key for state-delete; keys: kind, target');
  assert.equal(refusal({ kind: 'job-update', version: 'v2', graceMs: 5 }), 'graceMs (key): unknown key for job-update; keys: kind, target, params, version');
  assert.deepEqual(Object.keys(JOB_FAULT_KEYS), [...JOB_FAULT_KINDS], 'every kind has its keys');
  for (const kind of JOB_FAULT_KINDS) {
    for (const key of JOB_FAULT_KEYS[kind]) assert.doesNotMatch(refusal({ kind, [key]: [] }), /unknown key/, `${kind} takes ${key}`);
  }
});

test('not a job fault: refused at kind, listing the kinds; not a mapping: refused at the fault', () => {
  assert.equal(refusal({ kind: 'kill' }), `kind: expected one of ${JOB_FAULT_KINDS.join(', ')}, got 'kill'`);
  assert.equal(refusal({}), `kind: expected one of ${JOB_FAULT_KINDS.join(', ')}, got 'undefined'`);
  assert.equal(refusal('job-kill'), ': expected a mapping with kind');
  assert.equal(refusal(['job-kill']), ': expected a mapping with kind');
  assert.equal(refusal(null), ': expected a mapping with kind');
});

test('kind predicates: job kinds are not broker kinds; restarts vs done-when-fired vs pause', () => {
  assert.ok(isJobFaultKind('job-kill') && !isJobFaultKind('kill') && !isJobFaultKind(undefined) && !isJobFaultKind(1));
  assert.ok(isJobFaultRequest({ kind: 'state-delete' }) && !isJobFaultRequest({ kind: 'partition' }));
  assert.deepEqual(JOB_FAULT_KINDS.filter(jobFaultRestarts), ['job-kill', 'job-terminate', 'state-delete', 'state-corrupt']);
  assert.deepEqual(JOB_FAULT_KINDS.filter((k) => !jobFaultReplacesProcess(k)), ['job-pause']);
  assert.ok(!jobFaultRestarts('state-fill'), 'a filled job is started again only when it died of it');
  assert.deepEqual(JOB_FAULT_KINDS.filter(jobFaultIsDoneWhenFired), ['job-update', 'job-cancel-recreate']);
});

const READY = { readyState: 'RUNNING', settleMs: 10, timeoutMs: 1000 };

test('fireJobFault acts on the job and journals fault-start; its heal restarts or resumes the job and journals fault-heal', async () => {
  for (const [kind, act, heal] of [['job-kill', ['kill'], ['startAndWait']], ['job-terminate', ['terminate'], ['startAndWait']], ['job-pause', ['pause'], ['resume']], ['state-delete', ['kill', 'deleteState'], ['startAndWait']], ['state-corrupt', ['kill', 'corruptState', 'start'], ['kill', 'restore', 'startAndWait']]] as const) {
    const job = new FakeJob();
    const events: Record<string, unknown>[] = [];
    const fired = await fireJobFault(job, parseJobFault({ kind }), (e) => void events.push(e), READY, 1);
    assert.deepEqual(job.calls, act, kind);
    assert.equal(fired.kind, kind);
    assert.match(fired.id, /^job-\d+$/);
    assert.deepEqual(events.map((e) => [e['event'], e['fault'], e['faultId'], e['target'], e['node']]), [['fault-start', kind, fired.id, 'job', 'j1']]);
    assert.equal((events[0]?.['detail'] as Record<string, unknown>)['pid'], 100, `${kind}: the pid the fault hit`);
    assert.ok(fired.heal, `${kind} has a heal`);
    await fired.heal();
    assert.deepEqual(job.calls.slice(act.length), heal, kind);
    assert.deepEqual([events[1]?.['event'], events[1]?.['faultId']], ['fault-heal', fired.id]);
    if (heal[0] === 'startAndWait') assert.deepEqual(job.readiness, [READY], 'the restart waits as the run start did');
  }
});

test('state-fill fills the state storage of the running job; its heal frees it, and starts the job again only if it died', async () => {
  for (const dies of [false, true]) {
    const job = new FakeJob();
    job.dieOfFill = dies;
    const events: Record<string, unknown>[] = [];
    const fired = await fireJobFault(job, parseJobFault({ kind: 'state-fill' }), (e) => void events.push(e), READY, 1);
    assert.deepEqual(job.calls, ['fillState']);
    assert.deepEqual(events[0]?.['detail'], { pid: 100, filled: '/state/.faultline-fill', filledBytes: 4096, freeBytesAfter: 0 });
    await fired.heal?.();
    assert.deepEqual(job.calls, dies ? ['fillState', 'free', 'startAndWait'] : ['fillState', 'free']);
    assert.deepEqual(events[1]?.['detail'], { freed: true, restarted: dies, pid: dies ? 101 : 100 });
  }
});

test('state-delete of a job already down deletes its state without killing it', async () => {
  const job = new FakeJob();
  job.running = false;
  const events: Record<string, unknown>[] = [];
  await fireJobFault(job, { kind: 'state-delete', target: 'job' }, (e) => void events.push(e), READY, 1);
  assert.deepEqual(job.calls, ['deleteState']);
  assert.deepEqual(events[0]?.['detail'], { pid: null, exit: null, removed: '/state/faultline-t' });
});

test('job-update and job-cancel-recreate are done when fired: the new instance journalled, nothing to heal', async () => {
  const job = new FakeJob();
  const events: Record<string, unknown>[] = [];
  const update = await fireJobFault(job, parseJobFault({ kind: 'job-update', params: { allowFail: false, delayMs: 5 }, version: 'v2' }), (e) => void events.push(e), READY, 1);
  assert.equal(update.heal, undefined);
  assert.deepEqual(events[0]?.['detail'], { pid: 100, newPid: 101, params: { allowFail: false, delayMs: 5 }, version: 'v2' });
  const recreate = await fireJobFault(job, parseJobFault({ kind: 'job-cancel-recreate' }), (e) => void events.push(e), READY, 1);
  assert.equal(recreate.heal, undefined);
  assert.deepEqual(events[1]?.['detail'], { pid: 101, newPid: 102, appId: 'faultline-t-recreated-1' });
  assert.deepEqual(job.calls, ['update', 'terminate', 'cancelRecreate', 'terminate']);
  assert.notEqual(update.id, recreate.id, 'each fault its own id');
});

test('the heal of a kill finds the job started again by a later update: nothing to restart, still journalled', async () => {
  const job = new FakeJob();
  const events: Record<string, unknown>[] = [];
  const sink = (e: Record<string, unknown>): void => void events.push(e);
  const kill = await fireJobFault(job, { kind: 'job-kill', target: 'job' }, sink, READY, 1);
  await fireJobFault(job, { kind: 'job-update', target: 'job', version: 'v2' }, sink, READY, 1);
  assert.ok(kill.heal);
  await kill.heal();
  assert.deepEqual(job.calls, ['kill', 'update', 'terminate']);
  assert.deepEqual(events.map((e) => e['event']), ['fault-start', 'fault-start', 'fault-heal']);
  assert.deepEqual(events[2]?.['detail'], { restarted: false, pid: 101 });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobExit } from '../../../src/job/job-process.js';
import { startPipelineSchedule, type PipelineSchedule } from '../../../src/runner/pipeline-schedule.js';
import type { FaultTrigger, ScheduledFault } from '../../../src/scenario/scenario.js';
import { FakeJob } from '../job/fake-job.js';

/** Real time the tests wait for the schedule (it polls every 20 ms) before concluding something did not happen. */
const SETTLE_MS = 80;
/** The longest a test waits for something the schedule should do. */
const BOUND_MS = 3000;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + BOUND_MS;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await pause(5);
  }
}

/** A schedule over a fake job and a hand-driven clock, sends and output count. */
class Harness {
  clockMs = 0;
  sent = 0;
  output = 0;
  readonly job: FakeJob;
  readonly events: Record<string, unknown>[] = [];
  readonly lines: string[] = [];
  readonly schedule: PipelineSchedule;

  constructor(faults: ScheduledFault[], job = new FakeJob(), totalSends = 100) {
    this.job = job;
    this.schedule = startPipelineSchedule({
      faults, totalSends, sent: () => this.sent, outputCount: () => this.output, elapsedMs: () => this.clockMs,
      job, readiness: { readyState: 'RUNNING', settleMs: 10, timeoutMs: 1000 }, events: (e) => void this.events.push(e), seed: 1, log: (line) => void this.lines.push(line),
    });
  }

  /** Fault-heal events so far. */
  get heals(): number {
    return this.events.filter((e) => e['event'] === 'fault-heal').length;
  }
}

const at = (trigger: FaultTrigger, kind: 'job-kill' | 'job-terminate' | 'job-pause' | 'state-delete', healAfterMs?: number): ScheduledFault => ({
  at: trigger, fault: { kind, target: 'job' }, ...(healAfterMs !== undefined ? { healAfterMs } : {}),
});

test('triggers fire in order: a later trigger already reached waits for the one before it', async () => {
  const h = new Harness([at({ sentFraction: 0.5 }, 'job-pause'), at({ outputCount: 10 }, 'job-kill'), at({ afterMs: 1000 }, 'job-terminate')]);
  h.output = 10;
  h.clockMs = 1000;
  h.sent = 49;
  await pause(SETTLE_MS);
  assert.equal(h.schedule.fired.length, 0, 'sentFraction 0.5 of 100 is 50 sends');
  h.sent = 50;
  await waitFor('all three', () => h.schedule.fired.length === 3);
  assert.deepEqual(h.job.calls, ['pause', 'kill', 'terminate']);
  assert.deepEqual(h.schedule.fired.map((f) => [f.kind, f.target, f.nodes, f.atMs, f.healedAtMs]), [
    ['job-pause', 'job', ['j1'], 1000, null], ['job-kill', 'job', ['j1'], 1000, null], ['job-terminate', 'job', ['j1'], 1000, null],
  ]);
  await h.schedule.allFired();
  assert.deepEqual(h.schedule.problems, []);
  assert.match(h.lines[0] ?? '', /^job-pause job -> j1 at 50\/100 sent, 10 output$/);
});

test('each trigger waits for its own measure: sends, output records, time', async () => {
  const h = new Harness([at({ outputCount: 5 }, 'job-pause'), at({ afterMs: 500 }, 'job-kill'), at({ sentFraction: 0.25 }, 'job-terminate')], new FakeJob(), 10);
  h.sent = 10;
  h.clockMs = 499;
  h.output = 4;
  await pause(SETTLE_MS);
  assert.equal(h.schedule.fired.length, 0);
  h.output = 5;
  await waitFor('the pause', () => h.schedule.fired.length === 1);
  await pause(SETTLE_MS);
  assert.equal(h.schedule.fired.length, 1, 'afterMs 500 not reached at 499');
  h.clockMs = 500;
  await waitFor('the rest', () => h.schedule.fired.length === 3);
  assert.deepEqual(h.schedule.fired.map((f) => f.atMs), [499, 500, 500]);
});

test('healAfterMs heals on time, by the run clock', async () => {
  const h = new Harness([at({ afterMs: 100 }, 'job-kill', 500)]);
  h.clockMs = 100;
  await waitFor('the kill', () => h.schedule.fired.length === 1);
  h.clockMs = 599;
  await pause(SETTLE_MS);
  assert.equal(h.heals, 0, 'not before 100 + 500');
  assert.equal(h.job.running, false);
  h.clockMs = 600;
  await waitFor('the heal', () => h.heals === 1);
  await h.schedule.finished();
  const [kill] = h.schedule.fired;
  assert.ok(kill);
  assert.equal(kill.healedAtMs, 600);
  assert.deepEqual(h.job.calls, ['kill', 'startAndWait']);
  assert.equal(h.job.running, true);
  assert.ok(h.lines.includes(`healed ${kill.id}`));
});

test('after workloadEnded, a heal scheduled by healAfterMs still waits for its time; healRemaining waits for it, then heals the rest', async () => {
  const h = new Harness([at({ afterMs: 0 }, 'job-kill', 3000), at({ afterMs: 0 }, 'job-pause')]);
  await waitFor('both faults', () => h.schedule.fired.length === 2);
  h.clockMs = 1000;
  h.schedule.workloadEnded();
  await h.schedule.allFired();
  let remainingDone = false;
  const remaining = h.schedule.healRemaining().then(() => {
    remainingDone = true;
  });
  await pause(SETTLE_MS);
  assert.equal(h.heals, 0, 'the kill heals 3000 ms after it fired, not when the input ends');
  assert.equal(remainingDone, false);
  h.clockMs = 3000;
  await remaining;
  assert.deepEqual(h.schedule.fired.map((f) => f.healedAtMs), [3000, 3000]);
  assert.deepEqual(h.job.calls, ['kill', 'pause', 'startAndWait', 'resume']);
  await h.schedule.healRemaining();
  assert.equal(h.heals, 2, 'each fault heals once');
  assert.deepEqual(h.schedule.problems, []);
});

test('workloadEnded turns faults not fired into problems, naming what they waited for', async () => {
  const h = new Harness([at({ sentFraction: 0.1 }, 'job-pause'), at({ sentFraction: 1 }, 'job-kill'), at({ outputCount: 50 }, 'job-kill'), at({ afterMs: 9000 }, 'job-kill')]);
  h.sent = 10;
  await waitFor('the first', () => h.schedule.fired.length === 1);
  h.schedule.workloadEnded();
  await h.schedule.allFired();
  assert.deepEqual(h.schedule.problems, [
    'fault 2 (job-kill) never fired: the run ended before 100 input sends',
    'fault 3 (job-kill) never fired: the run ended before 50 output records',
    'fault 4 (job-kill) never fired: the run ended before 9000 ms',
  ]);
  assert.deepEqual(h.job.calls, ['pause']);
  await h.schedule.healRemaining();
  assert.deepEqual(h.job.calls, ['pause', 'resume']);
});

test('a trigger reached by the time the workload ends still fires', async () => {
  const h = new Harness([at({ sentFraction: 1 }, 'job-kill')]);
  h.schedule.workloadEnded();
  h.sent = 100;
  await h.schedule.allFired();
  assert.deepEqual([h.schedule.fired.length, h.schedule.problems], [1, []]);
});

test('healRemaining heals what is left, and nothing twice; update and cancel+recreate have nothing to heal', async () => {
  const h = new Harness([
    at({ afterMs: 0 }, 'state-delete', 0),
    { at: { afterMs: 0 }, fault: { kind: 'job-update', target: 'job', params: { allowFail: false } } },
    at({ afterMs: 0 }, 'job-pause'),
    { at: { afterMs: 0 }, fault: { kind: 'job-cancel-recreate', target: 'job' } },
  ]);
  await h.schedule.allFired();
  await waitFor('the state-delete heal', () => h.heals === 1);
  h.schedule.workloadEnded();
  await h.schedule.healRemaining();
  await h.schedule.healRemaining();
  assert.deepEqual(h.job.calls, ['kill', 'deleteState', 'startAndWait', 'update', 'terminate', 'pause', 'cancelRecreate', 'terminate', 'resume']);
  assert.deepEqual(h.schedule.fired.map((f) => [f.kind, f.healedAtMs]), [['state-delete', 0], ['job-update', null], ['job-pause', 0], ['job-cancel-recreate', null]]);
  assert.equal(h.job.spec.params['allowFail'], false);
});

class FailingJob extends FakeJob {
  override async kill(): Promise<JobExit | undefined> {
    await Promise.resolve();
    throw new Error('no such process');
  }
}

test('a fault that fails, or a heal that fails, is a problem; the schedule goes on', async () => {
  const failing = new Harness([at({ afterMs: 0 }, 'job-kill'), at({ afterMs: 0 }, 'job-pause')], new FailingJob());
  await failing.schedule.allFired();
  assert.deepEqual(failing.schedule.problems, ['fault 1 (job-kill) failed: no such process']);
  assert.deepEqual(failing.schedule.fired.map((f) => f.kind), ['job-pause']);
  const job = new FakeJob();
  job.failStart = true;
  const h = new Harness([at({ afterMs: 0 }, 'job-terminate', 0)], job);
  await h.schedule.finished();
  const id = h.schedule.fired[0]?.id ?? '?';
  assert.deepEqual(h.schedule.problems, [`heal of ${id} failed: job j1 exited during start-up (exit code 1)`]);
  assert.equal(h.schedule.fired[0]?.healedAtMs, null);
  await h.schedule.healRemaining();
  assert.equal(h.job.calls.filter((c) => c === 'startAndWait').length, 1, 'a failed heal is not retried');
});

test('abandon: faults not fired give up and scheduled heals stop waiting', async () => {
  const h = new Harness([at({ afterMs: 0 }, 'job-kill', 60_000), at({ afterMs: 5000 }, 'job-pause')]);
  await waitFor('the kill', () => h.schedule.fired.length === 1);
  h.schedule.abandon();
  await h.schedule.finished();
  assert.equal(h.heals, 0);
  assert.deepEqual(h.job.calls, ['kill']);
  assert.equal(h.schedule.problems.length, 1);
});

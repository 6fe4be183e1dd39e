import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { measurePipelineRecovery, type PipelineFaultRecovery } from '../../../src/checker/pipeline-recovery.js';
import { readJournal } from '../../../src/history/journal-reader.js';
import type { EventRecord, JournalRecord, OpRecord } from '../../../src/history/operation.js';
import type { OutRecord } from '../../../src/history/output-record.js';
import { pmeta } from './pipeline-examples.js';

/** A real journal, trimmed (samples, invokes, the read_uncommitted reader and job-exit tails left out): kill -9 under load, at_least_once. */
const KILL9_JOURNAL = 'test/fixtures/pipelines/kill9-at-least-once.jsonl';

/** Input `id` acknowledged at `timeMs` (`!id` when poison). */
const ack = (id: number, timeMs: number, poison = false): OpRecord => ({ kind: 'op', type: 'ok', f: 'send', process: 'in', value: `${poison ? '!' : ''}${id}`, timeMs, partition: 0, offset: id });
/** Input `id` read from the output topic (`<id>:1`), or from the DLQ (`!<id>`), at `timeMs`. */
const got = (id: number, timeMs: number, options: { dlq?: boolean; reader?: string; topic?: string } = {}): OutRecord => ({
  kind: 'out', timeMs, reader: options.reader ?? 'live', topic: options.topic ?? (options.dlq ? 'dlq' : 'out'), partition: 0, offset: timeMs, key: `k${id % 4}`, value: options.dlq ? `!${id}` : `${id}:1`,
});
const faultStart = (faultId: string, fault: string, timeMs: number, detail: Record<string, unknown> = {}, target = 'job'): EventRecord => ({ kind: 'event', timeMs, event: 'fault-start', faultId, fault, target, node: 'j1', detail });
const faultHeal = (faultId: string, fault: string, timeMs: number, target = 'job'): EventRecord => ({ kind: 'event', timeMs, event: 'fault-heal', faultId, fault, target, node: 'j1' });
const jobStart = (timeMs: number, pid: number, instance: number): EventRecord => ({ kind: 'event', timeMs, event: 'job-start', detail: { job: 'j1', instance, engine: 'kafka-streams', version: 'v1', appId: 'a', pid, params: {} } });
const jobState = (timeMs: number, state: string, instance: number): EventRecord => ({ kind: 'event', timeMs, event: 'job-state', detail: { job: 'j1', instance, state } });
const jobExit = (timeMs: number, pid: number, instance: number): EventRecord => ({ kind: 'event', timeMs, event: 'job-exit', detail: { job: 'j1', instance, pid, code: null, signal: 'SIGKILL', tail: '' } });

const only = (records: readonly JournalRecord[]): PipelineFaultRecovery => {
  const { faults } = measurePipelineRecovery(records);
  assert.equal(faults.length, 1);
  return faults[0] as PipelineFaultRecovery;
};
const times = (f: PipelineFaultRecovery): unknown => ({ jobUpMs: f.jobUpMs, jobRunningMs: f.jobRunningMs, firstOutputMs: f.firstOutputMs, caughtUpMs: f.caughtUpMs });
const backlog = (f: PipelineFaultRecovery): unknown => ({ pendingAtFault: f.pendingAtFault, backlogAtRestart: f.backlogAtRestart, catchUpRatePerSec: f.catchUpRatePerSec });

/**
 * kill -9 at 1000 ms: inputs 0..9 acknowledged every 100 ms up to then (7 poison), 0..3 output before the kill; 10 and
 * 11 acknowledged while the job is down; a new process at 1500, RUNNING at 2000, heal at 2050; it replays 3 and
 * outputs 4..11 (7 to the DLQ) from 2100 to 2900. Noise that must not count: the old instance's RUNNING after the
 * restart, a read_uncommitted record and a record of another topic right after the heal.
 */
function killHistory(): JournalRecord[] {
  const records: JournalRecord[] = [pmeta('at-least-once'), jobStart(0, 1, 1), jobState(50, 'RUNNING', 1)];
  for (let id = 0; id < 10; id++) records.push(ack(id, 100 * (id + 1), id === 7));
  records.push(got(0, 150), got(1, 250), got(2, 350), got(3, 450));
  records.push(jobExit(980, 1, 1), faultStart('job-1', 'job-kill', 1000, { pid: 1 }), ack(10, 1100), ack(11, 1200));
  records.push(jobStart(1500, 2, 2), jobState(1600, 'RUNNING', 1), jobState(1700, 'REBALANCING', 2), jobState(2000, 'RUNNING', 2), faultHeal('job-1', 'job-kill', 2050));
  records.push(got(4, 2060, { reader: 'ru' }), got(4, 2070, { topic: 'elsewhere' }));
  records.push(got(3, 2100), got(4, 2200), got(5, 2300), got(6, 2400), got(7, 2500, { dlq: true }), got(8, 2600), got(9, 2700), got(10, 2800), got(11, 2900));
  return records;
}

test('job-kill: process up, RUNNING, first output after the heal, backlog drained; the DLQ counts as output', () => {
  const f = only(killHistory());
  assert.deepEqual({ faultId: f.faultId, fault: f.fault, target: f.target, atMs: f.atMs, healedAtMs: f.healedAtMs }, { faultId: 'job-1', fault: 'job-kill', target: 'job', atMs: 1000, healedAtMs: 2050 });
  // Up at 1500; RUNNING at 2000 (not the old instance's at 1600); first live output after the heal at 2100 (not the ru
  // or foreign record at 2060/2070); every input acknowledged by the kill (0..9, 9 output last at 2700) covered.
  assert.deepEqual(times(f), { jobUpMs: 500, jobRunningMs: 1000, firstOutputMs: 1100, caughtUpMs: 1700 });
  // 4..9 pending at the kill; 4..11 at the restart; 6 inputs first output (4..9; 3 again is a replay) in 1.2 s.
  assert.deepEqual(backlog(f), { pendingAtFault: 6, backlogAtRestart: 8, catchUpRatePerSec: 5 });
});

test('an input acknowledged before the fault and never output: never caught up, no catch-up rate', () => {
  const f = only(killHistory().filter((r) => !(r.kind === 'out' && r.value === '!7')));
  assert.equal(f.caughtUpMs, null);
  assert.equal(f.catchUpRatePerSec, null);
  assert.equal(f.firstOutputMs, 1100);
  // An input acknowledged after the fault-start does not hold the catch-up back.
  const late = only(killHistory().filter((r) => !(r.kind === 'out' && r.value === '11:1')));
  assert.equal(late.caughtUpMs, 1700);
});

test('job-update: the new process (detail.newPid) started just before the fault-start; late output of the old one is not new', () => {
  const records: JournalRecord[] = [pmeta(), jobStart(0, 10, 1), ack(0, 100), ack(1, 200), ack(2, 300), ack(3, 400)];
  records.push(jobStart(999, 20, 2), faultStart('job-2', 'job-update', 1000, { pid: 10, newPid: 20 }), got(0, 1100), jobState(1400, 'RUNNING', 2));
  records.push(got(1, 1500), got(2, 1600), got(3, 1600));
  const f = only(records);
  assert.equal(f.healedAtMs, null);
  // Up 1 ms before the fault-start: 0. Output 0 at 1100 came before the new process was RUNNING (1400).
  assert.deepEqual(times(f), { jobUpMs: 0, jobRunningMs: 400, firstOutputMs: 500, caughtUpMs: 600 });
  // 4 first outputs between the restart (999) and caught up (1600): 4 / 0.601 s.
  assert.deepEqual(backlog(f), { pendingAtFault: 4, backlogAtRestart: 4, catchUpRatePerSec: 6.7 });
});

test('job-cancel-recreate without a newPid: the next job-start after the fault; a job that reports no states: no jobRunningMs', () => {
  const records: JournalRecord[] = [pmeta(), jobStart(0, 10, 1), ack(0, 100), got(0, 150), ack(1, 900)];
  records.push(faultStart('job-3', 'job-cancel-recreate', 1000), jobStart(1200, 30, 2), got(0, 1300), got(1, 1400));
  const f = only(records);
  assert.deepEqual(times(f), { jobUpMs: 200, jobRunningMs: null, firstOutputMs: 300, caughtUpMs: 400 });
  assert.deepEqual(backlog(f), { pendingAtFault: 1, backlogAtRestart: 1, catchUpRatePerSec: 5 });
});

test('faults that leave the process running (job-pause, broker faults, job-partition): no job up; first output after the heal', () => {
  const records: JournalRecord[] = [pmeta(), jobStart(0, 10, 1), jobState(10, 'RUNNING', 1)];
  for (let id = 0; id < 4; id++) records.push(ack(id, 100 * (id + 1)), got(id, 100 * (id + 1) + 50));
  // Everything output before the pause: caught up at once, nothing to catch up.
  records.push(faultStart('job-4', 'job-pause', 1000), ack(4, 1100), got(4, 1150), faultHeal('job-4', 'job-pause', 2000), ack(5, 2100), got(5, 2500));
  // A leader kill healed twice (a timed heal and the final heal-all): it ends at the last heal.
  records.push(faultStart('f1', 'kill', 3000, { tookMs: 5 }, 'leader:out/0'), ack(6, 3100), faultHeal('f1', 'kill', 4000, 'leader:out/0'));
  records.push(faultStart('job-5', 'job-kill', 4100), jobStart(4500, 11, 2), faultHeal('f1', 'kill', 4600, 'leader:out/0'), faultHeal('job-5', 'job-kill', 4700), got(6, 4800));
  const [pause, kill, jobKill] = measurePipelineRecovery(records).faults;
  assert.ok(pause && kill && jobKill);
  // Output 4 at 1150 came while paused (before the resume at 2000): the first after it is 5 at 2500.
  assert.deepEqual(times(pause), { jobUpMs: null, jobRunningMs: null, firstOutputMs: 1500, caughtUpMs: 0 });
  assert.deepEqual(backlog(pause), { pendingAtFault: 0, backlogAtRestart: 0, catchUpRatePerSec: null });
  // The job-start at 4500 is the job-kill's, not the broker fault's.
  assert.equal(kill.healedAtMs, 4600);
  assert.deepEqual(times(kill), { jobUpMs: null, jobRunningMs: null, firstOutputMs: 1800, caughtUpMs: 0 });
  assert.deepEqual(times(jobKill), { jobUpMs: 400, jobRunningMs: null, firstOutputMs: 700, caughtUpMs: 700 });
  assert.equal(only([pmeta(), faultStart('f2', 'job-partition', 100), faultHeal('f2', 'job-partition', 200)]).jobUpMs, null);
});

test('a run without faults, or without input and output, measures nothing or nothing pending', () => {
  assert.deepEqual(measurePipelineRecovery([pmeta(), ack(0, 1), got(0, 2)]).faults, []);
  const f = only([pmeta(), faultStart('job-1', 'job-kill', 10)]);
  assert.deepEqual(times(f), { jobUpMs: null, jobRunningMs: null, firstOutputMs: null, caughtUpMs: 0 });
  assert.deepEqual(backlog(f), { pendingAtFault: 0, backlogAtRestart: 0, catchUpRatePerSec: null });
});

test('property: the measures do not depend on the order of the records after the meta (events folded in late)', () => {
  const records = killHistory();
  const expected = measurePipelineRecovery(records);
  fc.assert(
    fc.property(fc.shuffledSubarray(records.slice(1), { minLength: records.length - 1, maxLength: records.length - 1 }), (shuffled) => {
      assert.deepEqual(measurePipelineRecovery([records[0] as JournalRecord, ...shuffled]), expected);
    }),
    { numRuns: 200 },
  );
});

test('a real journal (kill -9 under load, at_least_once), read with the journal reader', async () => {
  const records: JournalRecord[] = [];
  for await (const record of readJournal(KILL9_JOURNAL)) records.push(record);
  const f = only(records);
  assert.deepEqual({ faultId: f.faultId, fault: f.fault, atMs: f.atMs, healedAtMs: f.healedAtMs }, { faultId: 'job-4', fault: 'job-kill', atMs: 20722, healedAtMs: 38623 });
  assert.deepEqual(times(f), { jobUpMs: 2813, jobRunningMs: 17881, firstOutputMs: 20025, caughtUpMs: 20085 });
  assert.deepEqual(backlog(f), { pendingAtFault: 316, backlogAtRestart: 384, catchUpRatePerSec: 12.3 });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { experimentProgress, type ProgressSource } from '../../../src/experiment/runner/experiment-progress.js';
import { LiveTally } from '../../../src/history/live-tally.js';
import { RateWindow } from '../../../src/util/rate-window.js';
import { parseExperimentText, VALID_EXPERIMENT } from './fixtures.js';
import type { ExperimentVariant } from '../../../src/experiment/experiment.js';

function variant(): ExperimentVariant {
  const file = parseExperimentText(VALID_EXPERIMENT);
  const first = file.variants[0];
  if (first === undefined) throw new Error('no variant');
  return first;
}

const stepEvent = (event: string, step: string) => ({ kind: 'event' as const, timeMs: 0, event, detail: { step } });

test('experimentProgress: phase, the step as i/n of its list with the innermost name, counts, faults, probes', () => {
  const live = new LiveTally();
  const source: { -readonly [K in keyof ProgressSource]: ProgressSource[K] } = { variant: variant(), phase: 'cluster', run: null };
  const rate = new RateWindow(5000);
  const early = experimentProgress(source, 1000, rate);
  assert.deepEqual({ ...early, variant: '' }, { variant: '', phase: 'cluster', elapsedMs: 1000, step: null, sends: { invoked: 0, acked: 0, failed: 0, unknown: 0 }, ackedPerSec: null, consumed: 0, activeFaults: [], probes: [] });
  source.run = { live };
  source.phase = 'method';
  live.add(stepEvent('step-start', 'kill-leader'));
  live.add({ kind: 'event', timeMs: 5, event: 'fault-start', faultId: 'f1', fault: 'kill', target: 'leader(t1,0)' });
  for (let i = 0; i < 20; i++) live.add({ kind: 'op', type: 'ok', f: 'send', process: 'p0', value: `p0-${i}`, timeMs: 6 });
  const mid = experimentProgress(source, 3000, rate);
  assert.deepEqual(mid.step, { index: 3, total: 8, name: 'kill-leader' }, 'the third method step (start, start, kill-leader)');
  assert.equal(mid.ackedPerSec, 10, '20 acks in the 2 s since the first report');
  assert.deepEqual(mid.activeFaults.map((f) => f.id), ['f1']);
  live.add(stepEvent('step-end', 'kill-leader'));
  live.add(stepEvent('step-start', '8-repeat'));
  live.add(stepEvent('step-start', '8-repeat.1.1-wait'));
  assert.deepEqual(experimentProgress(source, 3500, rate).step, { index: 8, total: 8, name: '8-repeat.1.1-wait' });
  live.add(stepEvent('step-end', '8-repeat'));
  source.phase = 'rollbacks';
  live.add(stepEvent('step-start', 'rollback-2-stop'));
  assert.deepEqual(experimentProgress(source, 4000, rate).step, { index: 2, total: 2, name: 'rollback-2-stop' });
  source.phase = 'checking';
  assert.equal(experimentProgress(source, 4100, rate).step, null, 'no step outside the method and rollbacks');
});

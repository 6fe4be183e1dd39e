import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { onFaultDecision, runOnFaultLoop } from '../../../src/experiment/runner/on-fault-schedule.js';

test('onFaultDecision: idle without faults, runs when a fault is in effect and the interval has passed', () => {
  assert.deepEqual(onFaultDecision(0, 5000, null, 1000), { run: false, waitMs: 1000 });
  assert.deepEqual(onFaultDecision(0, 5000, 4999, 1000), { run: false, waitMs: 1000 });
  assert.deepEqual(onFaultDecision(1, 5000, null, 1000), { run: true });
  assert.deepEqual(onFaultDecision(2, 5000, 4000, 1000), { run: true });
  assert.deepEqual(onFaultDecision(1, 5000, 4700, 1000), { run: false, waitMs: 700 });
});

/** A fault in effect over [startMs, endMs) of the fake clock. */
interface Period {
  readonly startMs: number;
  readonly endMs: number;
}

interface Simulation {
  readonly intervalMs: number;
  readonly periods: readonly Period[];
  readonly untilMs: number;
  /** How long one run of the probe takes. */
  readonly probeMs?: number;
  /** Whether a fault start or heal wakes a waiting loop (as the ActiveFaults listener does). */
  readonly wakeOnChange?: boolean;
}

/** Runs the loop on a fake clock against a fault feed; returns the start times of the probe's runs. */
async function simulate(s: Simulation): Promise<number[]> {
  let now = 0;
  const runs: number[] = [];
  const changes = s.periods.flatMap((p) => [p.startMs, p.endMs]).sort((a, b) => a - b);
  await runOnFaultLoop(s.intervalMs, {
    activeFaults: () => s.periods.filter((p) => p.startMs <= now && now < p.endMs).length,
    nowMs: () => now,
    wait: (ms) => {
      const wake = s.wakeOnChange === false ? undefined : changes.find((t) => t > now);
      now = Math.min(now + ms, wake ?? Number.POSITIVE_INFINITY, s.untilMs);
      return Promise.resolve();
    },
    runProbe: () => {
      runs.push(now);
      now += s.probeMs ?? 0;
      return Promise.resolve();
    },
    stopped: () => now >= s.untilMs,
  }, 100_000);
  return runs;
}

test('an on-fault probe runs at the fault start, on its interval while it lasts, and never once healed', async () => {
  const runs = await simulate({ intervalMs: 1000, periods: [{ startMs: 1500, endMs: 4200 }], untilMs: 10_000 });
  assert.deepEqual(runs, [1500, 2500, 3500]);
});

test('overlapping faults are one stretch; a fault after a quiet gap starts the probe again', async () => {
  const periods = [{ startMs: 1000, endMs: 3000 }, { startMs: 2500, endMs: 4100 }, { startMs: 7300, endMs: 8000 }];
  assert.deepEqual(await simulate({ intervalMs: 1000, periods, untilMs: 10_000 }), [1000, 2000, 3000, 4000, 7300]);
});

test('a fault starting soon after the last run waits out the interval; one shorter than that is not probed', async () => {
  const periods = [{ startMs: 1000, endMs: 1100 }, { startMs: 1400, endMs: 1500 }, { startMs: 1600, endMs: 3000 }];
  assert.deepEqual(await simulate({ intervalMs: 1000, periods, untilMs: 5000 }), [1000, 2000]);
});

test('without a wake-up on fault start, polling alone still starts the probe within one interval', async () => {
  const runs = await simulate({ intervalMs: 1000, periods: [{ startMs: 1500, endMs: 4200 }], untilMs: 10_000, wakeOnChange: false });
  assert.deepEqual(runs, [2000, 3000, 4000]);
});

test('the interval counts from the end of a slow run', async () => {
  const runs = await simulate({ intervalMs: 1000, periods: [{ startMs: 0, endMs: 6000 }], untilMs: 10_000, probeMs: 700 });
  assert.deepEqual(runs, [0, 1700, 3400, 5100]);
});

test('no fault, no run; a stopped loop returns at once', async () => {
  assert.deepEqual(await simulate({ intervalMs: 500, periods: [], untilMs: 60_000 }), []);
  let calls = 0;
  await runOnFaultLoop(100, { activeFaults: () => 1, nowMs: () => 0, wait: () => Promise.resolve(), runProbe: () => {
    calls++;
    return Promise.resolve();
  }, stopped: () => true });
  assert.equal(calls, 0);
});

const periodArb = fc.record({ startMs: fc.integer({ min: 0, max: 20_000 }), lengthMs: fc.integer({ min: 1, max: 5000 }) }).map((p) => ({ startMs: p.startMs, endMs: p.startMs + p.lengthMs }));

test('property: runs only while a fault is in effect, at most once per interval, and within one interval of a long fault', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(periodArb, { maxLength: 6 }), fc.integer({ min: 100, max: 2000 }), fc.integer({ min: 0, max: 500 }), async (periods, intervalMs, probeMs) => {
      const runs = await simulate({ intervalMs, periods, untilMs: 30_000, probeMs });
      const active = (t: number): boolean => periods.some((p) => p.startMs <= t && t < p.endMs);
      for (const t of runs) assert.ok(active(t), `run at ${t} with no fault in effect`);
      for (let i = 1; i < runs.length; i++) assert.ok((runs[i] ?? 0) - (runs[i - 1] ?? 0) >= intervalMs + probeMs, `runs ${runs[i - 1]} and ${runs[i]} closer than the interval`);
      for (const p of periods) {
        const latest = p.startMs + intervalMs + probeMs;
        if (p.endMs > latest) assert.ok(runs.some((t) => t >= p.startMs && t <= latest), `no run within one interval of the fault at ${p.startMs}: ${runs.join(',')}`);
      }
    }),
    { numRuns: 300 },
  );
});

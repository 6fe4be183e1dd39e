import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FieldError } from '../../../src/errors.js';
import { MAX_LISTED_IDS, MAX_LISTED_IDS_PER_WINDOW } from '../../../src/checker/window-cases.js';
import { checkWindows } from '../../../src/checker/window-check.js';
import { formatWindowText } from '../../../src/checker/window-report-text.js';
import type { WindowEvent, WindowResult, WindowVerdict } from '../../../src/checker/window-types.js';
import { parseWindowValue } from '../../../src/checker/window-value.js';

const SIZE_MS = 10;

function ev(id: number, key: string, eventTimeMs: number, acked: WindowEvent['acked'] = 'ok'): WindowEvent {
  return { id, key, eventTimeMs, acked };
}

let nextOffset = 0;
function res(key: string, startMs: number, count: number, sizeMs = SIZE_MS): WindowResult {
  return { key, value: `${startMs}:${startMs + sizeMs}:${count}`, partition: 0, offset: nextOffset++ };
}

function check(events: WindowEvent[], results: WindowResult[], watermarkMs: number | null, opts: { sinkExactlyOnce?: boolean; sizeMs?: number; latenessMs?: number } = {}): WindowVerdict {
  return checkWindows({ events, results, rules: { sizeMs: opts.sizeMs ?? SIZE_MS, latenessMs: opts.latenessMs ?? 0 }, watermarkMs, sinkExactlyOnce: opts.sinkExactlyOnce ?? true });
}

function findingNames(v: WindowVerdict): string[] {
  return Object.keys(v.findings).sort();
}

test('exact results for every final window: valid, with totals and no late drops', () => {
  const events = [ev(1, 'a', 0), ev(2, 'a', 5), ev(3, 'b', 9), ev(4, 'a', 12), ev(5, 'b', 25)];
  const v = check(events, [res('a', 0, 2), res('b', 0, 1), res('a', 10, 1)], 20);
  assert.equal(v.valid, true, v.reasons.join('; '));
  assert.deepEqual(findingNames(v), []);
  assert.deepEqual(
    { ...v.totals },
    { events: 5, acked: 5, unknown: 0, windows: 4, finalWindows: 3, openWindows: 1, ackedInFinal: 4, results: 3, rereads: 0, emitted: 3, maxEventTimeMs: 25 },
  );
  assert.deepEqual(v.late.droppedLate, { min: 0, max: 0 });
  assert.equal(v.late.share, 0);
});

test('window boundaries: an event at a window end belongs to the next window; negative times floor', () => {
  const v = check([ev(1, 'a', 10), ev(2, 'a', 9), ev(3, 'a', -1), ev(4, 'a', -10)], [res('a', 10, 1), res('a', 0, 1), res('a', -10, 2)], 20);
  assert.equal(v.valid, true, v.reasons.join('; '));
  assert.equal(v.totals.windows, 3);
  const wrong = check([ev(1, 'a', 10)], [res('a', 0, 1)], 20);
  assert.deepEqual(findingNames(wrong), ['missingWindow', 'overcount']);
  assert.deepEqual(wrong.findings.overcount?.cases[0]?.window, { key: 'a', startMs: 0, endMs: 10 });
});

test('end == watermark is final; end == watermark + 1 is open', () => {
  const events = [ev(1, 'a', 10)];
  const final = check(events, [], 20);
  assert.equal(final.totals.finalWindows, 1);
  assert.equal(final.findings.missingWindow?.count, 1);
  const open = check(events, [], 19);
  assert.equal(open.totals.finalWindows, 0);
  assert.equal(open.totals.openWindows, 1);
  assert.equal(open.valid, 'unknown');
  assert.match(open.reasons[0] ?? '', /no window is final: the watermark 19 is below every window end \(the earliest is 20\)/);
  const early = check(events, [res('a', 10, 1)], 19);
  assert.equal(early.valid, false);
  assert.equal(early.findings.early?.count, 1);
  assert.equal(check(events, [res('a', 10, 1)], 20).valid, true);
});

test('malformed: unparsable values, windows not of sizeMs or not aligned, keys of no event, a location read twice with other contents', () => {
  const events = [ev(1, 'a', 0)];
  const bad: WindowResult[] = [
    { key: 'a', value: 'x:10:1', partition: 0, offset: 0 },
    { key: 'a', value: '0:20:1', partition: 0, offset: 1 },
    { key: 'a', value: '5:15:1', partition: 0, offset: 2 },
    { key: 'zz', value: '0:10:1', partition: 0, offset: 3 },
    { key: 'a', value: '0:10:0', partition: 0, offset: 4 },
    { key: 'a', value: '0:10:1', partition: 1, offset: 0 },
    { key: 'a', value: '0:10:2', partition: 1, offset: 0 },
  ];
  const v = check(events, bad, 10);
  assert.equal(v.valid, false);
  assert.equal(v.findings.malformed?.count, 6);
  assert.equal(v.findings.malformed.severity, 'failure');
  const details = v.findings.malformed.cases.map((c) => c.detail);
  assert.match(details[0] ?? '', /is not <startMs>:<endMs>:<count>/);
  assert.match(details[1] ?? '', /20 ms long, not sizeMs 10/);
  assert.match(details[2] ?? '', /start 5 is not a multiple of sizeMs 10/);
  assert.match(details[3] ?? '', /key 'zz': not the key of any event/);
  assert.match(details[4] ?? '', /count 0/);
  assert.match(details[5] ?? '', /read twice at partition 1 offset 0 with different contents/);
  assert.deepEqual(v.findings.malformed.cases[3]?.records, [{ partition: 0, offset: 3 }]);
  assert.equal(v.totals.emitted, 1, 'the first record at partition 1 offset 0 is well formed');
});

test('a record read again at its location with the same contents is a re-read, not a duplicate', () => {
  const r = res('a', 0, 1);
  const v = check([ev(1, 'a', 0)], [r, { ...r }], 10);
  assert.equal(v.valid, true, v.reasons.join('; '));
  assert.equal(v.totals.rereads, 1);
  assert.equal(v.totals.results, 1);
  assert.match(v.warnings.join('\n'), /1 result record read again/);
});

test('duplicate: a failure with an exactly-once sink, an expected finding with an at-least-once sink', () => {
  const events = [ev(1, 'a', 0), ev(2, 'a', 1)];
  const results = [res('a', 0, 2), res('a', 0, 2)];
  const once = check(events, results, 10, { sinkExactlyOnce: true });
  assert.equal(once.valid, false);
  assert.deepEqual(once.findings.duplicate, { count: 1, severity: 'failure', cases: [{ window: { key: 'a', startMs: 0, endMs: 10 }, records: results.map(({ partition, offset }) => ({ partition, offset })), detail: 'emitted 2 times, each with count 2' }] });
  const atLeast = check(events, results, 10, { sinkExactlyOnce: false });
  assert.equal(atLeast.valid, true, atLeast.reasons.join('; '));
  assert.equal(atLeast.findings.duplicate?.severity, 'expected');
});

test('conflicting: a window emitted with different counts fails under either sink; the highest count is judged', () => {
  const events = [ev(1, 'a', 0), ev(2, 'a', 1), ev(3, 'a', 2)];
  for (const sinkExactlyOnce of [true, false]) {
    const v = check(events, [res('a', 0, 2), res('a', 0, 3)], 10, { sinkExactlyOnce });
    assert.equal(v.valid, false);
    assert.deepEqual(findingNames(v), ['conflicting']);
    assert.match(v.findings.conflicting?.cases[0]?.detail ?? '', /first 2, highest 3/);
    assert.deepEqual(v.late.droppedLate, { min: 0, max: 0 });
  }
});

test('overcount: a count above acknowledged + unknown events; unknown events make room', () => {
  const v = check([ev(1, 'a', 0), ev(2, 'a', 1)], [res('a', 0, 3)], 10);
  assert.equal(v.valid, false);
  assert.equal(v.findings.overcount?.count, 1);
  assert.match(v.findings.overcount.cases[0]?.detail ?? '', /count 3 above its 2 acknowledged \+ 0 unknown events/);
  const withUnknown = check([ev(1, 'a', 0), ev(2, 'a', 1), ev(3, 'a', 2, 'unknown')], [res('a', 0, 3)], 10);
  assert.equal(withUnknown.valid, true, withUnknown.reasons.join('; '));
  const noEvents = check([ev(1, 'a', 0)], [res('a', 0, 1), res('a', 30, 1)], 40);
  assert.equal(noEvents.findings.overcount?.count, 1, 'a result for a window without events');
});

test('droppedLate: a partial deficit is counted exactly per window, as a range with unknown events; not a failure', () => {
  const events = [0, 1, 2, 3, 4].map((t, i) => ev(i, 'a', t));
  events.push(ev(10, 'b', 0), ev(11, 'b', 1), ev(12, 'b', 2), ev(13, 'b', 3), ev(14, 'b', 4, 'unknown'), ev(15, 'b', 5, 'unknown'));
  const v = check(events, [res('a', 0, 3), res('b', 0, 3)], 10);
  assert.equal(v.valid, true, v.reasons.join('; '));
  assert.deepEqual(findingNames(v), []);
  assert.equal(v.late.windows, 2);
  assert.deepEqual(v.late.listed.map((w) => [w.key, w.acked, w.unknown, w.count, w.droppedLate]), [
    ['a', 5, 0, 3, { min: 2, max: 2 }],
    ['b', 4, 2, 3, { min: 1, max: 3 }],
  ]);
  assert.deepEqual(v.late.droppedLate, { min: 3, max: 5 });
  assert.equal(v.late.share, 3 / 9);
  assert.match(v.evidence, /3 to 5 dropped as late \(33\.33 % of 9 acknowledged in final windows\)/);
});

test('missingWindow: a final window never emitted lists its acknowledged event ids, capped per window with the rest counted', () => {
  const events: WindowEvent[] = [];
  for (let i = 0; i < MAX_LISTED_IDS_PER_WINDOW + 5; i++) events.push(ev(1000 - i, 'a', i % SIZE_MS));
  events.push(ev(5, 'a', 3, 'unknown'), ev(7, 'b', 11), ev(6, 'b', 12));
  const v = check(events, [], 20);
  assert.equal(v.valid, true, v.reasons.join('; '));
  const f = v.findings.missingWindow;
  assert.equal(f?.count, 2);
  assert.equal(f.severity, 'expected');
  const [a, b] = f.cases;
  assert.equal(a?.eventIds?.length, MAX_LISTED_IDS_PER_WINDOW);
  assert.deepEqual(a.eventIds, [...a.eventIds].sort((x, y) => x - y));
  assert.ok(a.eventIds.every((id) => id > 1000 - MAX_LISTED_IDS_PER_WINDOW - 5), 'only the window\'s acknowledged events');
  assert.equal(a.eventIdsLeftOut, 5);
  assert.deepEqual(b?.eventIds, [6, 7]);
  assert.equal(b.eventIdsLeftOut, 0);
  assert.deepEqual(v.late.droppedLate, { min: MAX_LISTED_IDS_PER_WINDOW + 7, max: MAX_LISTED_IDS_PER_WINDOW + 8 });
  assert.equal(v.late.eventIdsListed, MAX_LISTED_IDS_PER_WINDOW + 2);
  assert.equal(v.late.eventIdsLeftOut, 5);
  const text = formatWindowText(v, 10);
  assert.match(text, /missingWindow: 2 \(expected\)/);
  assert.match(text, /events 6, 7$/m);
  assert.match(text, / and 5 more$/m);
});

test('missingWindow ids are capped in total', () => {
  const events: WindowEvent[] = [];
  const windows = Math.ceil(MAX_LISTED_IDS / MAX_LISTED_IDS_PER_WINDOW) + 10;
  for (let w = 0; w < windows; w++) for (let i = 0; i < MAX_LISTED_IDS_PER_WINDOW; i++) events.push(ev(w * 100 + i, 'a', w * SIZE_MS + (i % SIZE_MS)));
  const v = check(events, [], windows * SIZE_MS);
  assert.equal(v.findings.missingWindow?.count, windows);
  assert.equal(v.late.eventIdsListed, MAX_LISTED_IDS);
  assert.equal(v.late.eventIdsLeftOut, windows * MAX_LISTED_IDS_PER_WINDOW - MAX_LISTED_IDS);
  const listed = v.findings.missingWindow.cases.reduce((n, c) => n + (c.eventIds?.length ?? 0), 0);
  assert.equal(listed, MAX_LISTED_IDS);
});

test('unknown verdicts: no watermark, no final window, no events; a failure still fails without a watermark', () => {
  const events = [ev(1, 'a', 0)];
  const noWatermark = check(events, [res('a', 0, 1)], null);
  assert.equal(noWatermark.valid, 'unknown');
  assert.match(noWatermark.reasons[0] ?? '', /no watermark \(watermarkMs is null\)/);
  assert.equal(noWatermark.findings.early, undefined, 'no early emission without a known watermark');
  assert.equal(noWatermark.totals.openWindows, 1);
  assert.equal(check(events, [], 5).valid, 'unknown');
  assert.match(check([], [], 100).reasons[0] ?? '', /no events and no results/);
  const conflicting = check(events, [res('a', 0, 1), res('a', 0, 2)], null);
  assert.equal(conflicting.valid, false);
});

test('a watermark above the highest event time minus the lateness is warned about', () => {
  const v = check([ev(1, 'a', 25)], [], 20, { latenessMs: 10 });
  assert.match(v.warnings.join('\n'), /watermarkMs 20 is above the highest event time 25 minus latenessMs 10/);
  assert.deepEqual(check([ev(1, 'a', 30)], [], 20, { latenessMs: 10 }).warnings, []);
});

test('bad rules, watermark or event times are FieldErrors naming the field', () => {
  assert.throws(() => check([], [], 0, { sizeMs: 0 }), (e: unknown) => e instanceof FieldError && e.message.startsWith('rules.sizeMs: '));
  assert.throws(() => check([], [], 0, { latenessMs: -1 }), (e: unknown) => e instanceof FieldError && e.message.startsWith('rules.latenessMs: '));
  assert.throws(() => check([], [], 1.5), (e: unknown) => e instanceof FieldError && e.message.startsWith('watermarkMs: '));
  assert.throws(() => check([ev(1, 'a', 0), ev(2, 'a', Number.NaN)], [], 0), (e: unknown) => e instanceof FieldError && e.message.startsWith('events[1].eventTimeMs: '));
});

test('wide time ranges and many keys go through the hash index with the same result', () => {
  const far = 2 ** 40;
  const wide = check([ev(1, 'a', 0), ev(2, 'a', far), ev(3, 'a', far)], [res('a', 0, 1, 1), res('a', far, 2, 1)], far + 1, { sizeMs: 1 });
  assert.equal(wide.valid, true, wide.reasons.join('; '));
  assert.equal(wide.totals.windows, 2);
  const span = 2 ** 20; // 2^20 windows: only 16 keys fit the dense index
  const events: WindowEvent[] = [];
  const results: WindowResult[] = [];
  for (let k = 0; k < 40; k++) {
    events.push(ev(3 * k, `k${k}`, 0), ev(3 * k + 1, `k${k}`, 0), ev(3 * k + 2, `k${k}`, span - 1));
    results.push(res(`k${k}`, 0, 2, 1), res(`k${k}`, span - 1, 1, 1));
  }
  const many = check(events, results, span, { sizeMs: 1 });
  assert.equal(many.valid, true, many.reasons.join('; '));
  assert.equal(many.totals.windows, 80);
  assert.equal(check(events, results.slice(1), span, { sizeMs: 1 }).findings.missingWindow?.cases[0]?.eventIds?.join(), '0,1');
});

test('thousands of windows (the table grows and rehashes) are all judged', () => {
  const events: WindowEvent[] = [];
  const results: WindowResult[] = [];
  for (let w = 0; w < 3000; w++) {
    events.push(ev(2 * w, `k${w % 7}`, w * SIZE_MS), ev(2 * w + 1, `k${w % 7}`, w * SIZE_MS + 9));
    if (w % 100 !== 0) results.push(res(`k${w % 7}`, w * SIZE_MS, 2));
  }
  const v = check(events, results, 3000 * SIZE_MS);
  assert.equal(v.totals.windows, 3000);
  assert.equal(v.findings.missingWindow?.count, 30);
  assert.deepEqual(v.late.droppedLate, { min: 60, max: 60 });
});

test('parseWindowValue: windows and reasons', () => {
  assert.deepEqual(parseWindowValue('1767225600000:1767225610000:28'), { startMs: 1767225600000, endMs: 1767225610000, count: 28 });
  assert.deepEqual(parseWindowValue('-10:0:3'), { startMs: -10, endMs: 0, count: 3 });
  for (const bad of ['', 'a:1:2', '1:2:', '1:2:3:', '1::2', '--1:2:3', '1:2:-3', ' 1:2:3', '12345678901234567:1:1']) {
    assert.match(parseWindowValue(bad) as string, /is not <startMs>:<endMs>:<count>/, bad);
  }
  assert.match(parseWindowValue('5:3:1') as string, /end 3 is not after start 5/);
  assert.match(parseWindowValue('0:10:0') as string, /count 0/);
  assert.match(parseWindowValue('9007199254740993:9007199254740994:1') as string, /beyond 2\^53/);
});

test('the text report: verdict, late drops, findings with their cases', () => {
  const v = check([ev(1, 'a', 0), ev(2, 'a', 1), ev(3, 'b', 0)], [res('a', 0, 1), res('b', 0, 2), res('b', 0, 2)], 10);
  const text = formatWindowText(v, 1);
  assert.match(text, /^window: INVALID: 3 events/);
  assert.match(text, /^ {2}- overcount: 1 windows whose count is above/m);
  assert.match(text, /dropped as late: 1 events \(33\.33 %\) in 1 windows/);
  assert.match(text, /- a \[0, 10\): 1 of 2 acknowledged \(\+0 unknown\), emitted count 1/);
  assert.match(text, /duplicate: 1 \(failure\)\n {4}- b \[0, 10\) emitted 2 times, each with count 2 \(records 0@\d+, 0@\d+\)/);
});

type Injection = 'none' | 'drop' | 'duplicate' | 'alter' | 'early';

interface Plan {
  events: { key: number; t: number; unknown: boolean }[];
  sizeMs: number;
  watermarkMs: number;
  injection: Injection;
  /** Per final emitted window (in order), a number deciding the events dropped (drop) or which window to change. */
  picks: number[];
  sinkExactlyOnce: boolean;
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  events: fc.array(fc.record({ key: fc.nat(3), t: fc.integer({ min: -20, max: 59 }), unknown: fc.constantFrom(false, false, false, true) }), { maxLength: 120, size: 'large' }),
  sizeMs: fc.constantFrom(1, 5, 7, 10),
  watermarkMs: fc.integer({ min: -30, max: 80 }),
  injection: fc.constantFrom<Injection>('none', 'drop', 'duplicate', 'alter', 'early'),
  picks: fc.array(fc.nat(1000), { minLength: 1, maxLength: 40 }),
  sinkExactlyOnce: fc.boolean(),
});

interface Truth {
  key: string;
  startMs: number;
  acked: number;
  unknown: number;
}

/** The windows of a plan: per (key, start) its acknowledged and unknown events, by start then key. */
function truthOf(plan: Plan): Truth[] {
  const by = new Map<string, Truth>();
  for (const e of plan.events) {
    const startMs = Math.floor(e.t / plan.sizeMs) * plan.sizeMs;
    const id = `k${e.key}@${startMs}`;
    const w = by.get(id) ?? { key: `k${e.key}`, startMs, acked: 0, unknown: 0 };
    if (e.unknown) w.unknown++;
    else w.acked++;
    by.set(id, w);
  }
  return [...by.values()].sort((a, b) => a.startMs - b.startMs || a.key.localeCompare(b.key));
}

test('property: exact results are valid; each injection is reported exactly, and late drops are exact', () => {
  fc.assert(
    fc.property(planArb, (plan) => {
      const windows = truthOf(plan);
      const isFinal = (w: Truth): boolean => w.startMs + plan.sizeMs <= plan.watermarkMs;
      const final = windows.filter(isFinal);
      const emitted = final.filter((w) => w.acked > 0);
      const pick = (i: number): number => plan.picks[i % plan.picks.length] as number;
      const counts = emitted.map((w, i) => (plan.injection === 'drop' ? w.acked - (pick(i) % (w.acked + 1)) : w.acked));
      const results: WindowResult[] = [];
      emitted.forEach((w, i) => {
        if ((counts[i] as number) > 0) results.push(res(w.key, w.startMs, counts[i] as number, plan.sizeMs));
      });
      const expected: Record<string, number> = {};
      const target = results.length === 0 ? -1 : pick(0) % results.length;
      const targetWindow = target < 0 ? null : (emitted.filter((_, i) => (counts[i] as number) > 0)[target] as Truth);
      if (plan.injection === 'duplicate' && targetWindow !== null) {
        results.push({ ...(results[target] as WindowResult), offset: nextOffset++ });
        expected['duplicate'] = 1;
      }
      if (plan.injection === 'alter' && targetWindow !== null) {
        const over = targetWindow.acked + targetWindow.unknown + 1;
        results[target] = res(targetWindow.key, targetWindow.startMs, over, plan.sizeMs);
        counts[emitted.indexOf(targetWindow)] = over;
        expected['overcount'] = 1;
      }
      const open = windows.find((w) => !isFinal(w));
      if (plan.injection === 'early' && open !== undefined) {
        results.push(res(open.key, open.startMs, open.acked + open.unknown, plan.sizeMs));
        expected['early'] = 1;
      }
      const missing = emitted.filter((_, i) => counts[i] === 0).length;
      if (missing > 0) expected['missingWindow'] = missing;
      let min = 0;
      let max = 0;
      for (const w of final) {
        const i = emitted.indexOf(w);
        const count = i < 0 ? 0 : (counts[i] as number);
        min += Math.max(0, w.acked - count);
        max += Math.max(0, w.acked + w.unknown - count);
      }

      const events = plan.events.map((e, i) => ev(i, `k${e.key}`, e.t, e.unknown ? 'unknown' : 'ok'));
      const v = check(events, results, plan.watermarkMs, { sizeMs: plan.sizeMs, sinkExactlyOnce: plan.sinkExactlyOnce });
      assert.deepEqual(Object.fromEntries(Object.entries(v.findings).map(([name, f]) => [name, f.count])), expected);
      assert.deepEqual(v.late.droppedLate, { min, max });
      assert.equal(v.totals.finalWindows, final.length);
      const fails = expected['overcount'] !== undefined || expected['early'] !== undefined || (expected['duplicate'] !== undefined && plan.sinkExactlyOnce);
      assert.equal(v.valid, fails ? false : final.length === 0 ? 'unknown' : true);
    }),
    { numRuns: 500 },
  );
});

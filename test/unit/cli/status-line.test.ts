import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExperimentProgress } from '../../../src/index.js';
import { fitToWidth, formatElapsed, renderStatusLine } from '../../../src/cli/status-line.js';
import { TerminalStatus } from '../../../src/cli/terminal-status.js';

const base: ExperimentProgress = {
  variant: 'e1',
  phase: 'method',
  elapsedMs: 42_100,
  step: { index: 3, total: 7, name: 'kill-leader' },
  sends: { invoked: 1300, acked: 1234, failed: 0, unknown: 0 },
  ackedPerSec: 199.6,
  consumed: 1200,
  activeFaults: [{ id: 'f3', fault: 'kill', target: 'leader(orders,0)', sinceMs: 40_000 }],
  probes: [{ name: 'healthy', ok: true, timeMs: 41_000 }, { name: 'rt', ok: false, timeMs: 40_500 }],
};

const FULL = 'method 3/7 kill-leader | 42.1s | acked 1234 (200/s) | recv 1200 | fault: kill leader(orders,0) | probes: healthy ok, rt FAIL';

test('renderStatusLine: every part, in order, when the width allows', () => {
  assert.equal(renderStatusLine(base, 200), FULL);
});

test('renderStatusLine: cut to the width with an ellipsis; 20 columns keep the phase and step', () => {
  const narrow = renderStatusLine(base, 20);
  assert.equal(narrow, 'method 3/7 kill-lea…');
  assert.equal(Array.from(narrow).length, 20);
  for (const width of [0, 1, 2, 37, FULL.length - 1, FULL.length, FULL.length + 1]) {
    const line = renderStatusLine(base, width);
    assert.ok(Array.from(line).length <= width, `width ${width}: ${line}`);
    assert.equal(line.endsWith('…'), width > 0 && width < FULL.length, `width ${width}: ${line}`);
  }
  assert.equal(renderStatusLine(base, 0), '');
  assert.equal(renderStatusLine(base, 1), '…');
});

test('renderStatusLine: other phases, no sends yet, no consumer, faults and failures', () => {
  const starting: ExperimentProgress = { ...base, phase: 'cluster', elapsedMs: 3000, step: null, sends: { invoked: 0, acked: 0, failed: 0, unknown: 0 }, ackedPerSec: null, consumed: null, activeFaults: [], probes: [] };
  assert.equal(renderStatusLine(starting, 200), 'starting cluster | 3.0s | faults: none');
  const after: ExperimentProgress = { ...base, phase: 'steady-state-after', step: null, elapsedMs: 125_000, sends: { invoked: 10, acked: 5, failed: 2, unknown: 3 }, ackedPerSec: null };
  assert.equal(renderStatusLine(after, 200), 'steady state after | 2m05s | acked 5, failed 2, unknown 3 | recv 1200 | fault: kill leader(orders,0) | probes: healthy ok, rt FAIL');
  const two: ExperimentProgress = { ...base, phase: 'rollbacks', step: { index: null, total: 2, name: 'x' }, activeFaults: [...base.activeFaults, { id: 'all', fault: 'full-restart', target: 'cluster', sinceMs: 1 }] };
  assert.match(renderStatusLine(two, 300), /^rollbacks \?\/2 x \|.* faults 2: kill leader\(orders,0\), full-restart cluster \|/);
});

test('renderStatusLine: control characters in names never reach the terminal', () => {
  const evil: ExperimentProgress = { ...base, step: { index: 1, total: 1, name: 'a\x1b[2Jb\nc' } };
  const line = renderStatusLine(evil, 200);
  assert.ok(Array.from(line).every((c) => (c.codePointAt(0) ?? 0) >= 0x20 && c !== '\x7f'), JSON.stringify(line));
  assert.ok(line.startsWith('method 1/1 a [2Jb c |'));
});

test('formatElapsed and fitToWidth', () => {
  assert.deepEqual([0, 59_949, 60_000, 3_599_000, 3_720_000, -5].map(formatElapsed), ['0.0s', '59.9s', '1m00s', '59m59s', '1h02m', '0.0s']);
  assert.equal(fitToWidth('héllo wörld', 6), 'héllo…');
  assert.equal(fitToWidth('abc', 3), 'abc');
  assert.equal(fitToWidth('abc', 2.9), 'a…');
});

/** A fake terminal: what was written, and a clock the test moves. */
function fakeTerminal(columns = 40): { status: TerminalStatus; out: string[]; advance: (ms: number) => void } {
  let now = 0;
  const out: string[] = [];
  const status = new TerminalStatus({ isTTY: true, columns, write: (text) => (out.push(text), true) }, () => now);
  return { status, out, advance: (ms) => void (now += ms) };
}

test('TerminalStatus: redraws in place at most every 240 ms, within the terminal width less one column', () => {
  const { status, out, advance } = fakeTerminal(40);
  status.update(base);
  advance(100);
  status.update({ ...base, elapsedMs: 42_200 });
  assert.equal(out.length, 1, 'the second update came too soon');
  advance(150);
  status.update({ ...base, elapsedMs: 42_400 });
  assert.equal(out.length, 2);
  for (const text of out) {
    assert.ok(text.startsWith('\r\x1b[2K'), JSON.stringify(text));
    assert.ok(Array.from(text.slice(5)).length <= 39, text);
    assert.ok(!text.includes('\n'));
  }
});

test('TerminalStatus: a log line clears the status, prints, and draws it again; reset and close leave the line clean', () => {
  const { status, out } = fakeTerminal(200);
  status.log('before any status');
  assert.deepEqual(out, ['before any status\n'], 'nothing to clear or redraw yet');
  out.length = 0;
  status.update(base);
  status.log('stopping: signal');
  assert.deepEqual(out, [`\r\x1b[2K${FULL}`, '\r\x1b[2K', 'stopping: signal\n', FULL]);
  out.length = 0;
  status.reset();
  status.log('next variant');
  assert.deepEqual(out, ['\r\x1b[2K', 'next variant\n'], 'after reset the old line is not drawn again');
  out.length = 0;
  status.close();
  assert.deepEqual(out, [], 'nothing drawn, nothing to clear');
});

test('TerminalStatus.forStderr: none when stderr is not a terminal or JSON is asked for', () => {
  assert.equal(TerminalStatus.forStderr(true), null);
  if (!process.stderr.isTTY) assert.equal(TerminalStatus.forStderr(false), null);
});

test('TerminalStatus.attach: the line is cleared on process exit until close', () => {
  const { status, out } = fakeTerminal(80);
  const before = process.listenerCount('exit');
  status.attach();
  assert.equal(process.listenerCount('exit'), before + 1);
  status.update(base);
  process.listeners('exit').at(-1)?.call(process, 0);
  assert.equal(out.at(-1), '\r\x1b[2K', 'the exit handler cleared the line');
  status.close();
  assert.equal(process.listenerCount('exit'), before);
});

/** The persistent shell's framing without ssh: FrameReader on split streams, commandScript through a local sh. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { FaultlineError } from '../../../src/errors.js';
import { FrameReader } from '../../../src/ssh/shell-frame.js';
import { commandScript, killArgv, newMarker, parseIdentity } from '../../../src/ssh/shell-script.js';

const MAX_OUTPUT_BYTES = 1 << 16;

/** Feeds `bytes` to `push` cut at `cuts` (positions, any order, duplicates allowed). */
function feedInPieces(bytes: Buffer, cuts: readonly number[], push: (chunk: Buffer) => void): void {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
}

function frameOf(marker: string, out: Buffer, err: Buffer, status: number): { stdout: Buffer; stderr: Buffer } {
  return {
    stdout: Buffer.concat([out, Buffer.from(`${marker}:${status}\n`)]),
    stderr: Buffer.concat([err, Buffer.from(marker)]),
  };
}

test('property: any bytes, cut anywhere, come out exactly; the frame completes only at both ends', () => {
  const bytes = fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a));
  const cuts = fc.array(fc.nat(), { maxLength: 12 });
  fc.assert(fc.property(bytes, bytes, cuts, cuts, fc.integer({ min: 0, max: 254 }), (out, err, outCuts, errCuts, status) => {
    const marker = newMarker();
    const frame = frameOf(marker, out, err, status);
    const reader = new FrameReader(marker, MAX_OUTPUT_BYTES);
    feedInPieces(frame.stdout, outCuts, (chunk) => reader.pushStdout(chunk));
    assert.equal(reader.complete(), false, 'stderr has not ended yet');
    feedInPieces(frame.stderr, errCuts, (chunk) => reader.pushStderr(chunk));
    assert.equal(reader.complete(), true);
    assert.deepEqual(reader.result(), { code: status, stdout: out.toString('utf8'), stderr: err.toString('utf8'), truncated: false });
  }), { numRuns: 300 });
});

test('the marker split at every position, after text that starts like it', () => {
  const marker = newMarker();
  const out = Buffer.from(`${marker.slice(0, 20)}${marker.slice(0, -1)}`);
  const frame = frameOf(marker, out, Buffer.from(marker.slice(0, 12)), 7);
  for (let cut = 0; cut <= frame.stdout.length; cut += 1) {
    const reader = new FrameReader(marker, MAX_OUTPUT_BYTES);
    feedInPieces(frame.stdout, [cut], (chunk) => reader.pushStdout(chunk));
    feedInPieces(frame.stderr, [cut], (chunk) => reader.pushStderr(chunk));
    assert.deepEqual(reader.result(), { code: 7, stdout: out.toString('utf8'), stderr: marker.slice(0, 12), truncated: false });
  }
});

test('output beyond the cap is dropped but scanned: the frame still ends', () => {
  const marker = newMarker();
  const frame = frameOf(marker, Buffer.alloc(100_000, 0x61), Buffer.alloc(10), 0);
  const reader = new FrameReader(marker, 1000);
  feedInPieces(frame.stdout, [1, 999, 1000, 1001, 65_536], (chunk) => reader.pushStdout(chunk));
  reader.pushStderr(frame.stderr);
  const result = reader.result();
  assert.deepEqual([result.stdout.length, result.truncated, result.code], [1000, true, 0]);
});

test('a malformed trailer ends the frame with an error', () => {
  const marker = newMarker();
  for (const trailer of [':x\n', ':1234\n', 'garbage-without-newline']) {
    const reader = new FrameReader(marker, MAX_OUTPUT_BYTES);
    reader.pushStdout(Buffer.from(`out${marker}${trailer}`));
    assert.equal(reader.complete(), true, trailer);
    assert.throws(() => reader.result(), FaultlineError);
  }
});

/** Runs one command script through a local sh (as the remote shell would read it) and reads its frame. */
function throughLocalSh(argv: readonly string[], stdin?: string): { code: number; stdout: string; stderr: string } {
  const marker = newMarker();
  const sh = spawnSync('sh', [], { input: commandScript(argv, marker, stdin) + 'echo shell-still-reading\n', timeout: 10_000 });
  const reader = new FrameReader(marker, MAX_OUTPUT_BYTES);
  reader.pushStdout(sh.stdout);
  reader.pushStderr(sh.stderr);
  assert.ok(sh.stdout.toString('latin1').endsWith(`:${reader.result().code}\nshell-still-reading\n`), 'the shell read on after the command');
  return reader.result();
}

test('property: stdin reaches the command exactly (base64 here-doc), argv untouched', () => {
  const text = fc.string({ unit: 'binary', maxLength: 300 });
  fc.assert(fc.property(text, (stdin) => {
    assert.equal(throughLocalSh(['cat'], stdin).stdout, stdin);
  }), { numRuns: 60 });
  assert.equal(throughLocalSh(['cat']).stdout, '', 'no stdin: /dev/null, not the shell\'s own input');
});

test('the identity frame and the kill command', () => {
  assert.deepEqual(parseIdentity('banner\n123:123:1'), { pid: 123, pgid: 123, hasBase64: true });
  assert.deepEqual(parseIdentity('55::0'), { pid: 55, pgid: undefined, hasBase64: false });
  assert.equal(parseIdentity('no identity'), undefined);
  assert.deepEqual(killArgv({ pid: 9, pgid: 9, hasBase64: true }), ['kill', '-s', 'KILL', '--', '-9']);
  assert.deepEqual(killArgv({ pid: 9, pgid: 4, hasBase64: true }), ['kill', '-s', 'KILL', '9']);
});

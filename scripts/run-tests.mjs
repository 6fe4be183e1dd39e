#!/usr/bin/env node
// Runs the compiled test files one at a time (integration files each start a real Kafka cluster and there are only
// 2 cores), each in its own process group, and prints a table of files, verdicts and durations at the end.
// Usage: node scripts/run-tests.mjs [unit|integration|model] [name-filter]
//
// Why not `node --test` over all files: a librdkafka client whose close blocks (rd_kafka_destroy of a
// transactional producer, seen once after the transaction coordinator was killed) holds a libuv pool thread, and
// node's exit joins that pool: the file's tests have all reported, but its process never ends and the whole run
// waits until CI's limit. Here each file reports TAP in its own process; once its summary is out the process gets
// EXIT_GRACE_MS to end, then it is killed and judged by its summary, with the hang reported as a warning.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { spawn } from 'node:child_process';
import { setTimeout, clearTimeout } from 'node:timers';

const root = 'dist/test';
/** After a file's TAP summary, how long its process may take to exit before it is killed. */
const EXIT_GRACE_MS = 30_000;
/** Bound on one file (the largest integration file takes about 6 minutes). */
const FILE_LIMIT_MS = 30 * 60_000;

function walk(dir) {
  const found = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...walk(path));
    else if (entry.endsWith('.test.js')) found.push(path);
  }
  return found;
}

/** Reads a file's top-level TAP summary (the `# pass N` lines after the top-level plan `1..N`). */
function summaryReader() {
  const summary = {};
  let afterPlan = false;
  let partial = '';
  return {
    summary,
    feed(chunk) {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (/^1\.\.\d+$/.test(line)) afterPlan = true;
        const match = afterPlan ? /^# (tests|pass|fail|cancelled) (\d+)$/.exec(line) : null;
        if (match) summary[match[1]] = Number(match[2]);
      }
    },
    complete: () => summary.fail !== undefined && summary.cancelled !== undefined,
  };
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

// UV_THREADPOOL_SIZE: librdkafka calls that block (a transactional producer's close while its coordinator is
// down) run on libuv's pool; with the default 4 a few of them starved every other client call (a queue scenario hung).
const env = { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '32' };

/** Removes a file's TMPDIR; a process it started may still write there for a moment (retried, then only warned). */
function removeFileTmp(dir) {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  } catch (error) {
    console.error(`# warning: could not remove ${dir}: ${error.message}`);
  }
}

/** Runs one file; resolves to {file, ok, note, ms}. */
function runFile(file) {
  const started = Date.now();
  const reader = summaryReader();
  // Each file gets its own TMPDIR (os.tmpdir() in the tests), removed when the file is done: temporary homes, run
  // directories and fixtures a test does not clean up itself are not left in /tmp.
  const fileTmp = mkdtempSync(join(tmpdir(), `faultline-test-${basename(file, '.test.js')}-`));
  // --test-force-exit: once its tests ended the process exits even if a native client is still open.
  const child = spawn(process.execPath, ['--test-reporter=tap', '--test-force-exit', file], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...env, TMPDIR: fileTmp }, detached: true });
  let graceTimer;
  let hungAtExit = false;
  let overLimit = false;
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    reader.feed(chunk.toString());
    if (reader.complete() && graceTimer === undefined) {
      graceTimer = setTimeout(() => {
        hungAtExit = true;
        killGroup(child);
      }, EXIT_GRACE_MS);
    }
  });
  const limitTimer = setTimeout(() => {
    overLimit = true;
    killGroup(child);
  }, FILE_LIMIT_MS);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(graceTimer);
      clearTimeout(limitTimer);
      removeFileTmp(fileTmp);
      const { summary } = reader;
      const ms = Date.now() - started;
      if (overLimit) return resolve({ file, ok: false, note: `killed after ${FILE_LIMIT_MS / 60_000} min`, ms });
      if (hungAtExit) {
        const ok = summary.fail === 0 && summary.cancelled === 0;
        return resolve({ file, ok, note: `WARNING: tests ended (${summary.pass} pass, ${summary.fail} fail) but the process did not exit within ${EXIT_GRACE_MS / 1000} s (a native client's close); killed`, ms });
      }
      const ok = code === 0 && signal === null && reader.complete();
      const note = ok ? '' : signal !== null ? `ended by ${signal}` : !reader.complete() ? `exit ${code} without a TAP summary` : `exit ${code}`;
      resolve({ file, ok, note, ms });
    });
  });
}

const group = process.argv[2];
const filter = process.argv[3];
let files = walk(root);
if (group) files = files.filter((f) => f.startsWith(join(root, group) + '/'));
if (filter) files = files.filter((f) => f.includes(filter));
if (files.length === 0) {
  console.error(`no test files under ${root}${group ? '/' + group : ''}`);
  process.exit(2);
}

const results = [];
for (const file of files) results.push(await runFile(file));

const width = Math.max(...results.map((r) => r.file.length));
console.log(`\n${'# file'.padEnd(width + 3)}verdict  seconds  note`);
for (const r of results) {
  console.log(`# ${r.file.padEnd(width)} ${(r.ok ? 'ok' : 'FAILED').padEnd(8)} ${(r.ms / 1000).toFixed(1).padStart(7)}  ${r.note}`);
}
const failed = results.filter((r) => !r.ok).length;
const totalS = results.reduce((sum, r) => sum + r.ms, 0) / 1000;
console.log(`# ${results.length} files, ${failed} failed, ${totalS.toFixed(0)} s`);
process.exit(failed === 0 ? 0 : 1);

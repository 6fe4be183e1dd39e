#!/usr/bin/env node
// Runs the compiled test files with node's built-in runner, one file at a time:
// integration files each start a real Kafka cluster and there are only 2 cores.
// Usage: node scripts/run-tests.mjs [unit|integration|model] [name-filter]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = 'dist/test';
const group = process.argv[2];
const filter = process.argv[3];

function walk(dir) {
  const found = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...walk(path));
    else if (entry.endsWith('.test.js')) found.push(path);
  }
  return found;
}

let files = walk(root);
if (group) files = files.filter((f) => f.startsWith(join(root, group) + '/'));
if (filter) files = files.filter((f) => f.includes(filter));
if (files.length === 0) {
  console.error(`no test files under ${root}${group ? '/' + group : ''}`);
  process.exit(2);
}
// --test-force-exit: a test file whose tests all ended exits even if a native client (librdkafka) was left open;
// such a leak is a bug to fix, not a reason to hang the suite until CI's limit.
// UV_THREADPOOL_SIZE: librdkafka calls that block (a transactional producer's close while its coordinator is
// down) run on libuv's pool; with the default 4 a few of them starved every other client call (a queue scenario hung).
const env = { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '32' };
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-force-exit', ...files], { stdio: 'inherit', env });
process.exit(result.status ?? 1);

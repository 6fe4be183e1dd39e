import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function cli(args: readonly string[]): { code: number; stderr: string } {
  const result = spawnSync(process.execPath, ['dist/src/cli/main.js', ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: result.status ?? -1, stderr: result.stderr };
}

test('suite: a malformed scenario file is refused before any cluster starts, naming file, line, column and key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-suite-cli-'));
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'apiVersion: faultline/v1\nname: bad\ntitle: x\ncluster: { brokers: 3 }\ntopic: { name: t }\nworkload: { kind: produce, acks: "1", count: 10, rateMsgsPerSec: 5 }\nfaults:\n  - at: { sentFraction: 0.5 }\n    fault: { kind: explode, target: "leader:t" }\n');
  const result = cli(['suite', file]);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /bad\.yaml:9:\d+: faults\[0\]\.fault\.kind: unknown fault 'explode'/);
});

test('suite: a missing path and an --only that matches nothing are usage errors', () => {
  const missing = cli(['suite', '/nonexistent/scenarios']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /\/nonexistent\/scenarios: no such file or folder/);
  const none = cli(['suite', 'scenarios/kafka', '--only', 'zzz']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--only zzz: no scenario matches/);
  const client = cli(['suite', 'scenarios/kafka', '--client', 'kafkajs']);
  assert.equal(client.code, 2);
  assert.match(client.stderr, /--client: expected faultline or verifiable-producer, got 'kafkajs'/);
});

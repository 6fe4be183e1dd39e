import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A valid minimal scenario; tests derive bad ones from it by replacing one line. Line numbers matter. */
export const VALID_SCENARIO = [
  'apiVersion: faultline/v1', //                         1
  'name: t1', //                                         2
  'title: Test', //                                      3
  'cluster:', //                                         4
  '  metadata: kraft', //                                5
  '  brokers: 3', //                                     6
  'topic:', //                                           7
  '  name: test1', //                                    8
  'workload:', //                                        9
  '  kind: produce', //                                  10
  '  acks: "1"', //                                      11
  '  count: 100', //                                     12
  '  rateMsgsPerSec: 50', //                             13
  'faults:', //                                          14
  '  - at: { sentFraction: 0.3 }', //                    15
  '    fault: { kind: kill, target: "leader:test1" }', // 16
  '',
].join('\n');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'faultline-scenario-'));
}

/** Writes `text` as `dir/name` and returns its path. */
export function writeFixture(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** VALID_SCENARIO with one line (exact text) replaced; throws if the line is not there, to keep tests honest. */
export function withLine(from: string, to: string): string {
  const lines = VALID_SCENARIO.split('\n');
  const index = lines.indexOf(from);
  if (index < 0) throw new Error(`fixture has no line '${from}'`);
  lines[index] = to;
  return lines.join('\n');
}

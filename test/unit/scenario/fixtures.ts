import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A valid minimal scenario; tests derive bad ones from it by replacing one line. Line numbers matter. */
export const VALID_SCENARIO = [
  'name: t1', //                                         1
  'title: Test', //                                      2
  'cluster:', //                                         3
  '  metadata: kraft', //                                4
  '  brokers: 3', //                                     5
  'topic:', //                                           6
  '  name: test1', //                                    7
  'workload:', //                                        8
  '  kind: produce', //                                  9
  '  acks: "1"', //                                      10
  '  count: 100', //                                     11
  '  rateMsgsPerSec: 50', //                             12
  'faults:', //                                          13
  '  - at: { sentFraction: 0.3 }', //                    14
  '    fault: { kind: kill, target: "leader:test1" }', // 15
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

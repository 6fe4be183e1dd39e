import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { UsageError } from '../../../src/errors.js';
import { parseScenario } from '../../../src/scenario/load-scenario.js';

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

/** `fixture` with one line (exact text) replaced; throws if the line is not there, to keep tests honest. */
function replaceLine(fixture: string, what: string, from: string, to: string): string {
  const lines = fixture.split('\n');
  const index = lines.indexOf(from);
  if (index < 0) throw new Error(`${what} has no line '${from}'`);
  lines[index] = to;
  return lines.join('\n');
}

/** VALID_SCENARIO with one line (exact text) replaced; throws if the line is not there. */
export function withLine(from: string, to: string): string {
  return replaceLine(VALID_SCENARIO, 'fixture', from, to);
}

/** A valid queue scenario; tests derive bad ones by replacing one line. Line numbers matter. */
export const VALID_QUEUE_SCENARIO = [
  'apiVersion: faultline/v1', //                              1
  'name: q1', //                                              2
  'title: Queue test', //                                     3
  'cluster:', //                                              4
  '  brokers: 3', //                                          5
  'topic:', //                                                6
  '  name: queue1', //                                        7
  '  partitions: 3', //                                       8
  'workload:', //                                             9
  '  kind: queue', //                                         10
  '  opsPerProcess: 60', //                                   11
  '  rateOpsPerSec: 20', //                                   12
  '  mix: { send: 1, poll: 1, txn: 2 }', //                   13
  '  transactional: true', //                                 14
  '  crashProbability: 0.05', //                              15
  'faults:', //                                               16
  '  - at: { sentFraction: 0.3 }', //                         17
  '    fault: { kind: kill, target: "leader:queue1/0" }', //  18
  'expect:', //                                               19
  '  anomalies: { G1a: none, lost-write: none, G0: any }', // 20
  '',
].join('\n');

/** VALID_QUEUE_SCENARIO with one line (exact text) replaced; throws if the line is not there. */
export function withQueueLine(from: string, to: string): string {
  return replaceLine(VALID_QUEUE_SCENARIO, 'queue fixture', from, to);
}

/** A valid pipeline scenario; tests derive bad ones by replacing one line. Line numbers matter. */
export const VALID_PIPELINE_SCENARIO = [
  'apiVersion: faultline/v1', //                                                1
  'name: p1', //                                                                2
  'title: Pipeline test', //                                                    3
  'cluster:', //                                                                4
  '  brokers: 3', //                                                            5
  'topic:', //                                                                  6
  '  name: in1', //                                                             7
  '  partitions: 3', //                                                         8
  'workload:', //                                                               9
  '  kind: pipeline', //                                                        10
  '  count: 300', //                                                            11
  '  rateMsgsPerSec: 100', //                                                   12
  '  job:', //                                                                  13
  '    engine: kafka-streams', //                                               14
  '    params: { allowFail: true, messagesPerFail: 10 }', //                    15
  'faults:', //                                                                 16
  '  - at: { outputCount: 100 }', //                                            17
  '    fault: { kind: job-kill }', //                                           18
  '    healAfterMs: 3000', //                                                   19
  '  - at: { sentFraction: 0.8 }', //                                           20
  '    fault: { kind: kill, target: "leader:in1-out/0" }', //                   21
  'expect:', //                                                                 22
  '  lost: none', //                                                            23
  '  duplicates: some', //                                                      24
  '',
].join('\n');

/** VALID_PIPELINE_SCENARIO with one line (exact text) replaced; throws if the line is not there. */
export function withPipelineLine(from: string, to: string): string {
  return replaceLine(VALID_PIPELINE_SCENARIO, 'pipeline fixture', from, to);
}

/** The message of the UsageError the loader refuses `text` with (as file `fileName`); fails the test when it loads. */
export function scenarioErrorOf(text: string, fileName: string): string {
  try {
    parseScenario(text, fileName);
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`expected the loader to refuse:\n${text}`);
}

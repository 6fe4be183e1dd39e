import { UsageError } from '../../../src/errors.js';
import { parseFile } from '../../../src/experiment/load-file.js';
import type { ExperimentFile } from '../../../src/experiment/experiment.js';

/** A valid experiment touching every section; tests derive bad ones by replacing one line. Line numbers matter. */
export const VALID_EXPERIMENT = [
  'apiVersion: faultline/v1', //                                        1
  'name: e1', //                                                        2
  'title: Test experiment', //                                          3
  'cluster: { metadata: kraft, brokers: 3 }', //                        4
  'topics:', //                                                         5
  '  - { name: t1, partitions: 3 }', //                                 6
  '  - { name: t2 }', //                                                7
  'workloads:', //                                                      8
  '  load: { kind: producer, topic: t1, acks: all, rateMsgsPerSec: 100 }', // 9
  '  readers: { kind: consumer-group, topic: t1, members: 3 }', //      10
  'steadyState:', //                                                    11
  '  - { name: healthy, kind: cluster-health }', //                     12
  'safeguards:', //                                                     13
  '  - { name: not-all-down, kind: cluster-health }', //                14
  'method:', //                                                         15
  '  - start: load', //                                                 16
  '  - start: readers', //                                              17
  '  - name: kill-leader', //                                           18
  '    fault: { kind: kill, target: "leader:t1" }', //                  19
  '  - wait: { ms: 5000 }', //                                          20
  '  - heal: kill-leader', //                                           21
  '  - cluster: { action: rolling-restart, restartMode: kill, downMs: 1000 }', // 22
  '  - probe: { name: round-trip, kind: round-trip }', //               23
  '  - repeat: { times: 2, steps: [{ wait: { ms: 100 } }] }', //        24
  'rollbacks:', //                                                      25
  '  - heal: all', //                                                   26
  '  - stop: load', //                                                  27
  'budgets: { roundTripRecoveredMs: 15000, detectionMs: 10000 }', //     28
  '',
].join('\n');

/** VALID_EXPERIMENT with one line (exact text) replaced; throws if the line is not there. */
export function experimentWithLine(from: string, to: string): string {
  const lines = VALID_EXPERIMENT.split('\n');
  const index = lines.indexOf(from);
  if (index < 0) throw new Error(`fixture has no line '${from}'`);
  lines[index] = to;
  return lines.join('\n');
}

/** Parses `text` as x.yaml and returns the experiment file; a scenario fails the test. */
export function parseExperimentText(text: string): ExperimentFile {
  const file = parseFile(text, 'x.yaml');
  if (file.kind !== 'experiment') throw new Error('expected an experiment');
  return file;
}

/** The message of the UsageError parsing `text` throws (without the file name). */
export function errorOf(text: string): string {
  try {
    parseFile(text, 'x.yaml');
  } catch (error) {
    if (!(error instanceof UsageError) || error.exitCode !== 2) throw error;
    return error.message.replace(/^x\.yaml:/, '');
  }
  throw new Error(`expected the text to be rejected:\n${text}`);
}

import { UsageError } from '../errors.js';
import { checkApiVersion, fileKindOf } from '../scenario/file-format.js';
import { readScenarioRoot } from '../scenario/load-scenario.js';
import type { Scenario } from '../scenario/scenario.js';
import { parseYamlRoot, readYamlText } from '../scenario/yaml-document.js';
import type { ExperimentFile } from './experiment.js';
import { checkPlaceholders, expandMatrix, readMatrix } from './matrix.js';

/** A loaded file: a scenario (no method:) or an experiment (with its matrix variants). */
export type FaultlineFile = { readonly kind: 'scenario'; readonly scenario: Scenario } | ExperimentFile;

/**
 * Parses and validates a scenario or experiment; `fileName` is what errors print. An experiment's matrix is
 * expanded and every variant validated. Every problem is a UsageError `<file>:<line>:<col>: <key>: <what>`.
 */
export function parseFile(text: string, fileName: string): FaultlineFile {
  const root = parseYamlRoot(text, fileName);
  const map = root.field.map();
  checkApiVersion(map);
  if (fileKindOf(map) === 'scenario') {
    checkPlaceholders(root, []);
    return { kind: 'scenario', scenario: readScenarioRoot(root.field, fileName) };
  }
  const matrix = readMatrix(map.optional('matrix'));
  checkPlaceholders(root, matrix);
  const variants = expandMatrix({ root, matrix });
  const first = variants[0];
  const name = first?.experiment.name ?? '';
  return { kind: 'experiment', name, matrix, variants, sourceFile: fileName };
}

/** Loads one scenario or experiment file. */
export function loadFile(path: string): FaultlineFile {
  return parseFile(readYamlText(path, 'file'), path);
}

/** Loads one experiment file; a scenario file is refused (run it with faultline suite). */
export function loadExperiment(path: string): ExperimentFile {
  const file = loadFile(path);
  if (file.kind === 'scenario') throw new UsageError(`${path}: a scenario (no method:), not an experiment; run it with faultline suite`);
  return file;
}

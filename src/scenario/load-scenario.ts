import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { UsageError } from '../errors.js';
import { checkApiVersion, EXPERIMENT_ONLY_KEYS, fileKindOf } from './file-format.js';
import { readScenario } from './read-scenario.js';
import type { Scenario } from './scenario.js';
import { positionedError, type YamlField } from './yaml-field.js';
import { parseYamlRoot, readYamlText } from './yaml-document.js';

export { applyFullSize } from './scenario.js';

const SCENARIO_FILE = /\.ya?ml$/;

/** Reads a parsed file as a scenario: apiVersion checked, an experiment (a file with method:) refused. */
export function readScenarioRoot(root: YamlField, fileName: string): Scenario {
  const map = root.map();
  checkApiVersion(map);
  if (fileKindOf(map) === 'experiment') map.field('method').fail('this file is an experiment, not a scenario; run it with faultline run');
  for (const key of EXPERIMENT_ONLY_KEYS) {
    if (map.keys().includes(key)) map.field(key).fail(`an experiment section; a file without method: is a scenario (add method: to make it an experiment)`);
  }
  return readScenario(root, fileName);
}

/** Parses and validates scenario text; `fileName` is what errors print. */
export function parseScenario(text: string, fileName: string): Scenario {
  return readScenarioRoot(parseYamlRoot(text, fileName).field, fileName);
}

/** Loads one scenario file. Every problem is a UsageError `<file>:<line>:<col>: <key>: <what>`. */
export function loadScenario(path: string): Scenario {
  return parseScenario(readYamlText(path, 'scenario file'), path);
}

/** Every *.yaml / *.yml in `dir` (not recursive), sorted by file name; names must be unique across the directory. */
export function loadScenarioDir(dir: string): Scenario[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${dir}: cannot read scenario directory${code === 'ENOENT' ? ' (no such directory)' : code ? ` (${code})` : ''}`);
  }
  const files = entries
    .filter((entry) => SCENARIO_FILE.test(entry))
    .sort()
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path).isFile());
  if (files.length === 0) throw new UsageError(`${dir}: no scenario files (*.yaml, *.yml)`);
  const scenarios: Scenario[] = [];
  const byName = new Map<string, string>();
  for (const file of files) {
    const scenario = loadScenario(file);
    const earlier = byName.get(scenario.name);
    if (earlier !== undefined) throw duplicateNameError(file, scenario.name, earlier);
    byName.set(scenario.name, file);
    scenarios.push(scenario);
  }
  return scenarios;
}

/** Points at the `name:` value of the second file that uses the name. */
function duplicateNameError(file: string, name: string, earlierFile: string): UsageError {
  const lineCounter = new LineCounter();
  const document = parseDocument(readFileSync(file, 'utf8'), { lineCounter });
  const contents = document.contents;
  const pair = isMap(contents) ? contents.items.find((item) => isScalar(item.key) && item.key.value === 'name') : undefined;
  const valueNode = pair?.value as Node | null | undefined;
  const offset = valueNode?.range?.[0] ?? 0;
  return positionedError({ fileName: file, lineCounter }, offset, `name: duplicate scenario name '${name}'; ${basename(earlierFile)} already uses it`);
}

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { UsageError } from '../errors.js';
import { readScenario } from './read-scenario.js';
import type { Scenario } from './scenario.js';
import { positionedError, YamlField, type YamlSource } from './yaml-field.js';

export { applyFullSize } from './scenario.js';

const SCENARIO_FILE = /\.ya?ml$/;

/** Parses and validates scenario text; `fileName` is what errors print. */
export function parseScenario(text: string, fileName: string): Scenario {
  const lineCounter = new LineCounter();
  const source: YamlSource = { fileName, lineCounter };
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntaxError = document.errors[0];
  if (syntaxError) {
    const what = syntaxError.code === 'MULTIPLE_DOCS' ? 'one scenario per file; this file holds more than one YAML document' : syntaxError.message;
    throw positionedError(source, syntaxError.pos[0], `YAML syntax error: ${what}`);
  }
  const contents = (document.contents ?? null) as Node | null;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    throw positionedError(source, 0, '(top level): the file is empty; expected a scenario (name, title, cluster, topic, workload, ...)');
  }
  if (!isMap(contents)) new YamlField(source, '', contents, 0).map();
  return readScenario(new YamlField(source, '', contents, 0), fileName);
}

/** Loads one scenario file. Every problem is a UsageError `<file>:<line>:<col>: <key>: <what>`. */
export function loadScenario(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: cannot read scenario file${code === 'ENOENT' ? ' (no such file)' : code ? ` (${code})` : ''}`);
  }
  return parseScenario(text, path);
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

import type { YamlMapReader } from './yaml-field.js';

/** The one version of the file format (scenarios and experiments); every file starts with `apiVersion: faultline/v1`. */
export const API_VERSION = 'faultline/v1';

/** The line editors (yaml-language-server) read to find the JSON Schema, relative to a file in scenarios/kafka/. */
export const SCHEMA_COMMENT = '# yaml-language-server: $schema=../../schema/faultline-v1.schema.json';

/** Top-level keys only an experiment (a file with `method:`) may have. */
export const EXPERIMENT_ONLY_KEYS = ['topics', 'workloads', 'steadyState', 'method', 'rollbacks', 'safeguards', 'budgets', 'matrix'] as const;

/** Top-level keys only a scenario (a file without `method:`) may have. */
export const SCENARIO_ONLY_KEYS = ['workload', 'faults', 'expect'] as const;

/** Refuses a file without `apiVersion: faultline/v1` (positioned, saying what to add) or with another version. */
export function checkApiVersion(map: YamlMapReader): void {
  if (!map.has('apiVersion')) {
    map.field('apiVersion').fail(`missing (required); add the line 'apiVersion: ${API_VERSION}' at the top of the file`);
  }
  const field = map.field('apiVersion');
  const version = field.string();
  if (version !== API_VERSION) field.fail(`unknown version '${version}'; this faultline reads ${API_VERSION}`);
}

/** 'experiment' when the file has `method:`, else 'scenario'. */
export function fileKindOf(map: YamlMapReader): 'scenario' | 'experiment' {
  return map.keys().includes('method') ? 'experiment' : 'scenario';
}

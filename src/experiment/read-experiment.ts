import { readCluster, readHeader, readTopic } from '../scenario/read-scenario.js';
import type { ScenarioTopic } from '../scenario/scenario.js';
import type { YamlField, YamlMapReader } from '../scenario/yaml-field.js';
import { suggestion } from '../util/suggest.js';
import { RECOVERY_MEASURES, type Budgets, type Experiment, type RecoveryMeasure } from './experiment.js';
import { MAX_BUDGET_MS } from './experiment-limits.js';
import { readProbes, readSteps, type StepContext } from './read-steps.js';
import { readWorkloads } from './read-workloads.js';
import { ExperimentRefs } from './step-refs.js';

export const EXPERIMENT_KEYS = [
  'apiVersion', 'name', 'title', 'seed', 'description', 'cluster', 'topic', 'topics', 'workloads',
  'steadyState', 'method', 'rollbacks', 'safeguards', 'budgets', 'matrix',
] as const;
const SCENARIO_KEY_ADVICE: Partial<Record<string, string>> = {
  workload: 'an experiment declares background workloads under workloads: and starts them with start: steps',
  faults: 'an experiment injects faults with fault: steps in its method',
  expect: 'an experiment states what must hold as steadyState probes',
};

/** `topic:` (one) or `topics:` (a list), not both; names unique. */
function readTopics(map: YamlMapReader, brokers: number): ScenarioTopic[] {
  const one = map.optional('topic');
  const many = map.optional('topics');
  if (one && many) many.fail('give either topic (one) or topics (a list), not both');
  if (one) return [readTopic(one, brokers)];
  if (!many) return map.field('topic').fail('missing (required); give topic: (one) or topics: (a list)');
  const fields = many.list();
  if (fields.length === 0) many.fail('expected at least one topic');
  const topics: ScenarioTopic[] = [];
  for (const field of fields) {
    const topic = readTopic(field, brokers);
    if (topics.some((t) => t.name === topic.name)) field.descend(['name']).fail(`duplicate topic '${topic.name}'`);
    topics.push(topic);
  }
  return topics;
}

/** `budgets:` recovery measure -> whole ms; a key that names no measure is refused. */
function readBudgets(field: YamlField | undefined): Budgets {
  if (field === undefined) return {};
  const map = field.map();
  const budgets: Partial<Record<RecoveryMeasure, number>> = {};
  for (const key of map.keys()) {
    if (!(RECOVERY_MEASURES as readonly string[]).includes(key)) {
      field.descend([key], true).fail(`no recovery measure named '${key}'${suggestion(key, RECOVERY_MEASURES)}; measures: ${RECOVERY_MEASURES.join(', ')}`);
    }
    budgets[key as RecoveryMeasure] = map.field(key).integer({ min: 1, max: MAX_BUDGET_MS });
  }
  return budgets;
}

function refuseScenarioKeys(map: YamlMapReader): void {
  for (const key of map.keys()) {
    const advice = SCENARIO_KEY_ADVICE[key];
    if (advice !== undefined) map.owner.descend([key], true).fail(`a scenario key, not allowed in an experiment (a file with method:); ${advice}`);
  }
  map.only(EXPERIMENT_KEYS);
}

/**
 * Validates one experiment (a matrix variant with its values substituted, or a file without a matrix); the
 * first problem fails with its position. The `matrix:` key itself is read by matrix.ts.
 */
export function readExperiment(root: YamlField, sourceFile?: string): Experiment {
  const map = root.map();
  refuseScenarioKeys(map);
  const header = readHeader(map);
  const cluster = readCluster(map.required('cluster'));
  const topics = readTopics(map, cluster.brokers);
  const workloads = readWorkloads(map.optional('workloads'), topics.map((t) => t.name));
  const refs = new ExperimentRefs(workloads.map((w) => w.name));
  const context: StepContext = { faults: { metadata: cluster.metadata, topics: topics.map((t) => t.name) }, refs };
  const steadyState = readProbes(map.optional('steadyState'), refs);
  const safeguards = readProbes(map.optional('safeguards'), refs);
  const method = readSteps(map.required('method'), context);
  if (method.length === 0) map.field('method').fail('expected at least one step');
  const rollbacks = map.has('rollbacks') ? readSteps(map.field('rollbacks'), context) : [];
  refs.checkHeals();
  const budgets = readBudgets(map.optional('budgets'));
  return { ...header, cluster, topics, workloads, steadyState, method, rollbacks, safeguards, budgets, ...(sourceFile !== undefined ? { sourceFile } : {}) };
}

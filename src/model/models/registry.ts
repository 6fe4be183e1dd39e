/** Built-in models, by name, for `faultline model list|check|replay`. */
import { UsageError } from '../../errors.js';
import type { ModelDef } from '../model.js';
import { workload1Model } from './workload1.js';

export interface ModelParam {
  readonly name: string;
  readonly description: string;
  readonly values?: readonly string[];
  readonly default: string;
}

export interface ModelEntry {
  readonly name: string;
  readonly description: string;
  /** What a check is expected to find: the broken variants exist to be caught. */
  readonly expect: 'pass' | 'violation';
  readonly params: readonly ModelParam[];
  build(params: Readonly<Record<string, string>>): ModelDef;
}

const NO_PARAMS: readonly ModelParam[] = [];

export const MODEL_REGISTRY: readonly ModelEntry[] = [
  {
    name: 'workload1',
    description: 'Seed 003 Workload1 (F3): 3x50 records, outbound Kafka in region 1 fails during batch 2, recovers before batch 3',
    expect: 'pass',
    params: NO_PARAMS,
    build: () => workload1Model('workload1', 'Workload1, outbound Kafka of region 1 failed during batch 2', { scenario: 'fail-outbound-kafka' }),
  },
  {
    name: 'workload1-base',
    description: 'Seed 003 Workload1 base case: 3x50 records, no failures',
    expect: 'pass',
    params: NO_PARAMS,
    build: () => workload1Model('workload1-base', 'Workload1 without failures', { scenario: 'base' }),
  },
  {
    name: 'workload1-random-failures',
    description: 'Workload1 with a scheduler-chosen subset of Kafka, MongoDB and processor components failed during batch 2',
    expect: 'pass',
    params: NO_PARAMS,
    build: () => workload1Model('workload1-random-failures', 'Workload1, random subset of components failed during batch 2', { scenario: 'random-failures' }),
  },
  {
    name: 'workload1-broken',
    description: 'Planted bug: the processor commits to inbound Kafka before the outbound write succeeded (must be caught)',
    expect: 'violation',
    params: NO_PARAMS,
    build: () => workload1Model('workload1-broken', 'Workload1 with the processor committing too early', { scenario: 'fail-outbound-kafka', broken: true }),
  },
];

export function listModels(): readonly ModelEntry[] {
  return MODEL_REGISTRY;
}

export function findModel(name: string): ModelEntry {
  const entry = MODEL_REGISTRY.find((m) => m.name === name);
  if (entry === undefined) throw new UsageError(`unknown model '${name}' (known: ${MODEL_REGISTRY.map((m) => m.name).join(', ')})`);
  return entry;
}

/** Fills defaults and rejects unknown parameters or values. */
export function resolveParams(entry: ModelEntry, given: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(given)) {
    if (!entry.params.some((p) => p.name === key)) {
      throw new UsageError(`model ${entry.name} has no parameter '${key}'${entry.params.length > 0 ? ` (known: ${entry.params.map((p) => p.name).join(', ')})` : ''}`);
    }
  }
  for (const p of entry.params) {
    const v = given[p.name] ?? p.default;
    if (p.values !== undefined && !p.values.includes(v)) throw new UsageError(`model ${entry.name}: ${p.name} must be one of ${p.values.join(', ')}, got '${v}'`);
    out[p.name] = v;
  }
  return out;
}

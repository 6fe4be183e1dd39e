/** Built-in models, by name, for `faultline model list|check|replay`. */
import { UsageError } from '../../errors.js';
import type { ModelDef } from '../model.js';
import { KAFKA_ACKS, KAFKA_DEFAULTS, KAFKA_FAULTS, KAFKA_SIZE_LIMITS, KAFKA_SIZE_PARAMS, kafkaMinCheckAtMs, kafkaReplicationModel, type Acks, type KafkaFault } from './kafka-replication.js';
import { WORKLOAD1_SCENARIOS } from './workload1-scenarios.js';

export interface ModelParam {
  readonly name: string;
  readonly description: string;
  readonly values?: readonly string[];
  /** A whole number in this range (inclusive), when the parameter is a size. */
  readonly integer?: { readonly min: number; readonly max: number };
  readonly default: string;
}

export interface ModelEntry {
  readonly name: string;
  readonly description: string;
  /** What a check is expected to find: the broken variants exist to be caught. */
  readonly expect: 'pass' | 'violation';
  /** For `expect: 'violation'`: text the violation message contains. */
  readonly expectedViolation?: string;
  /** A committed schedule (path from the repository root) that replays to the expected violation. */
  readonly replayFile?: string;
  readonly params: readonly ModelParam[];
  build(params: Readonly<Record<string, string>>): ModelDef;
}

export const MODEL_REGISTRY: readonly ModelEntry[] = [
  ...WORKLOAD1_SCENARIOS,
  {
    name: 'kafka-replication',
    description: 'One partition, 3 replicas, controller quorum: does any acknowledged write go missing under a leader fault? (seed 001)',
    expect: 'violation',
    params: [
      { name: 'acks', description: 'producer acks', values: KAFKA_ACKS, default: '1' },
      { name: 'min-insync-replicas', description: 'min.insync.replicas', values: ['1', '2', '3'], default: '1' },
      { name: 'fault', description: 'what happens to the leader', values: KAFKA_FAULTS, default: 'leader-isolated' },
      ...kafkaSizeParams(),
    ],
    build: (p) => kafkaModelFromParams(p),
  },
  ...kafkaVariants(),
];

/** The Kafka models' sizes: the shrinker's reductions set them, so a replay rebuilds the smaller model. */
function kafkaSizeParams(): readonly ModelParam[] {
  return [
    { name: KAFKA_SIZE_PARAMS.writes, description: 'values the producer sends, one per ms', integer: KAFKA_SIZE_LIMITS.writes, default: String(KAFKA_DEFAULTS.writes) },
    {
      name: KAFKA_SIZE_PARAMS.checkAtMs,
      description: `virtual time of the final read of the log (at least ${KAFKA_DEFAULTS.requestTimeoutMs} ms after the last write and the failover)`,
      integer: KAFKA_SIZE_LIMITS.checkAtMs,
      default: String(KAFKA_DEFAULTS.checkAtMs),
    },
  ];
}

function kafkaModelFromParams(p: Readonly<Record<string, string>>, name = 'kafka-replication'): ModelDef {
  const writes = Number(p[KAFKA_SIZE_PARAMS.writes] ?? KAFKA_DEFAULTS.writes);
  const checkAtMs = Number(p[KAFKA_SIZE_PARAMS.checkAtMs] ?? KAFKA_DEFAULTS.checkAtMs);
  const fault = (p['fault'] ?? 'leader-isolated') as KafkaFault;
  const earliest = kafkaMinCheckAtMs({ ...KAFKA_DEFAULTS, writes, fault });
  if (checkAtMs < earliest) {
    throw new UsageError(`model ${name}: ${KAFKA_SIZE_PARAMS.checkAtMs} must be at least ${earliest} with ${KAFKA_SIZE_PARAMS.writes}=${writes} (the final read comes after the writes and the failover settle), got '${checkAtMs}'`);
  }
  return kafkaReplicationModel(
    { acks: (p['acks'] ?? '1') as Acks, minInsyncReplicas: Number(p['min-insync-replicas'] ?? '1'), fault, writes, checkAtMs },
    name,
  );
}

/** Named shortcuts for seed 001's scenarios. */
function kafkaVariants(): ModelEntry[] {
  const variants: [string, Acks, number, KafkaFault, 'pass' | 'violation', string][] = [
    ['kafka-acks0-leader-crash', '0', 1, 'leader-crash', 'violation', 'seed 001 scenario 1: fire-and-forget, leader killed'],
    ['kafka-acks1-leader-crash', '1', 1, 'leader-crash', 'violation', 'seed 001 scenario 2: acks=1, leader killed'],
    ['kafka-acks1-leader-isolated', '1', 1, 'leader-isolated', 'violation', 'seed 001 scenario 4: acks=1, leader isolated from brokers and quorum'],
    ['kafka-acks1-quorum-isolated', '1', 1, 'leader-quorum-isolated', 'violation', 'acks=1, leader cut off from the metadata quorum only'],
    ['kafka-acksall-leader-crash', 'all', 2, 'leader-crash', 'pass', 'seed 001 scenario 3: acks=all, min.insync.replicas=2, leader killed'],
    ['kafka-acksall-leader-isolated', 'all', 2, 'leader-isolated', 'pass', 'acks=all, min.insync.replicas=2, leader isolated'],
  ];
  return variants.map(([name, acks, minIsr, fault, expect, description]) => ({
    name,
    description,
    expect,
    params: kafkaSizeParams(),
    build: (p) => kafkaModelFromParams({ ...p, acks, 'min-insync-replicas': String(minIsr), fault }, name),
  }));
}

export function listModels(): readonly ModelEntry[] {
  return MODEL_REGISTRY;
}

export function findModel(name: string): ModelEntry {
  const entry = MODEL_REGISTRY.find((m) => m.name === name);
  if (entry === undefined) {
    const close = MODEL_REGISTRY.map((m) => m.name).filter((n) => n.includes(name) || name.includes(n) || editDistance(n, name) <= MAX_SUGGESTION_DISTANCE);
    const hint = close.length > 0 ? `; did you mean ${close.slice(0, MAX_SUGGESTIONS).join(', ')}?` : '';
    throw new UsageError(`unknown model '${name}'${hint} (known: ${MODEL_REGISTRY.map((m) => m.name).join(', ')})`);
  }
  return entry;
}

const MAX_SUGGESTION_DISTANCE = 2;
const MAX_SUGGESTIONS = 5;

/** Levenshtein distance (names are short: the quadratic table is fine). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] as number;
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
    if (p.integer !== undefined && !isIntegerIn(v, p.integer)) {
      throw new UsageError(`model ${entry.name}: ${p.name} must be a whole number from ${p.integer.min} to ${p.integer.max}, got '${v}'`);
    }
    out[p.name] = v;
  }
  return out;
}

function isIntegerIn(text: string, range: { readonly min: number; readonly max: number }): boolean {
  if (!/^\d+$/.test(text)) return false;
  const n = Number(text);
  return n >= range.min && n <= range.max;
}

import { topicNameProblem } from '../../kafka/topic-name.js';
import type { FieldPath } from '../../errors.js';
import { PlainField, type PlainMap } from '../../util/plain-fields.js';
import { parseTolerance, type Tolerance } from './tolerance.js';
import { ANY, BOOLEAN, NUMBER, STRING, nullable, type ValueType } from './value-type.js';

export const PROBE_KINDS = ['cluster-health', 'round-trip', 'consumer-group', 'topic-view', 'command', 'checker'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/**
 * When a probe runs (LitmusChaos's modes): once before the method, once after it, both (edge), continuously
 * every intervalMs for the whole method (during), or continuously while a fault is in effect (on-fault).
 */
export const PROBE_MODES = ['before', 'after', 'edge', 'during', 'on-fault'] as const;
export type ProbeMode = (typeof PROBE_MODES)[number];

export const DEFAULT_PROBE_INTERVAL_MS = 1000;
export const MIN_PROBE_INTERVAL_MS = 100;
export const MAX_PROBE_INTERVAL_MS = 3_600_000;
export const MAX_PROBE_TIMEOUT_MS = 600_000;
/** Arguments of a command probe, and characters of a probe name. */
export const MAX_COMMAND_ARGS = 256;
export const MAX_PROBE_NAME_CHARS = 100;
export const CHECKER_NAMES = ['exact', 'availability'] as const;
export type CheckerName = (typeof CHECKER_NAMES)[number];

interface ProbeCommon {
  readonly name: string;
  readonly tolerance: Tolerance;
  readonly mode?: ProbeMode;
  /** Between two runs of a `during` or `on-fault` probe. */
  readonly intervalMs?: number;
  /** Bound on one run; default per kind (see runProbe). */
  readonly timeoutMs?: number;
}

export type ClusterHealthProbe = ProbeCommon & { readonly kind: 'cluster-health'; readonly topics?: readonly string[] };
/** `consumer: own` (default) reads with a fresh consumer; `group` asks the experiment's consumer group (ProbeContext.groupReceived). */
export type RoundTripProbe = ProbeCommon & { readonly kind: 'round-trip'; readonly topic: string; readonly partition?: number; readonly consumer?: 'own' | 'group' };
export type ConsumerGroupProbe = ProbeCommon & { readonly kind: 'consumer-group'; readonly group: string; readonly topic?: string };
export type TopicViewProbe = ProbeCommon & { readonly kind: 'topic-view'; readonly topic: string; readonly partition?: number };
export type CommandProbe = ProbeCommon & { readonly kind: 'command'; readonly command: readonly string[]; readonly json?: boolean };
export type CheckerProbe = ProbeCommon & { readonly kind: 'checker'; readonly checkers?: readonly CheckerName[]; readonly topic?: string };

export type ProbeSpec = ClusterHealthProbe | RoundTripProbe | ConsumerGroupProbe | TopicViewProbe | CommandProbe | CheckerProbe;

const COMMON_KEYS = ['name', 'kind', 'tolerance', 'mode', 'intervalMs', 'timeoutMs'] as const;
const KIND_KEYS: Readonly<Record<ProbeKind, readonly string[]>> = {
  'cluster-health': ['topics'],
  'round-trip': ['topic', 'partition', 'consumer'],
  'consumer-group': ['group', 'topic'],
  'topic-view': ['topic', 'partition'],
  command: ['command', 'json'],
  checker: ['checkers', 'topic'],
};

const COUNT = NUMBER;
/** The value each kind of probe returns: tolerances are checked against it before anything runs. */
export function probeValueType(spec: Pick<ProbeSpec, 'kind'> & { readonly json?: boolean }): ValueType {
  switch (spec.kind) {
    case 'cluster-health':
      return { type: 'object', fields: { healthy: BOOLEAN, brokersUp: COUNT, brokersExpected: COUNT, offlinePartitions: COUNT, underReplicated: COUNT, controller: nullable(NUMBER), problems: { type: 'array', items: STRING } } };
    case 'round-trip':
      return nullable(NUMBER);
    case 'consumer-group':
      return { type: 'object', fields: { state: STRING, members: COUNT, lag: { type: 'object', fields: {}, rest: COUNT }, maxLag: COUNT } };
    case 'topic-view':
      return { type: 'object', fields: { leader: nullable(NUMBER), isr: { type: 'array', items: NUMBER }, highWatermark: nullable(NUMBER) } };
    case 'command':
      return spec.json === true ? ANY : NUMBER;
    case 'checker':
      return { type: 'object', fields: { valid: ANY, evidence: STRING } };
  }
}

/** The tolerance a probe gets when its file gives none; a `command` with `json: true` must give one. */
const DEFAULT_TOLERANCES: Readonly<Record<ProbeKind, unknown>> = {
  'cluster-health': { path: '$.healthy', equals: true },
  'round-trip': { range: [0, null] },
  'consumer-group': { path: '$.state', equals: 'Stable' },
  'topic-view': { path: '$.leader', range: [0, null] },
  command: { equals: 0 },
  checker: { path: '$.valid', oneOf: [true, 'unknown'] },
};

export function defaultTolerance(kind: ProbeKind): Tolerance {
  return parseTolerance(DEFAULT_TOLERANCES[kind], ['tolerance'], probeValueType({ kind }));
}

/**
 * Parses one probe written as plain data (a `steadyState` entry or a probe step). Every problem (an unknown
 * kind, a missing field, a tolerance that cannot apply to the kind's value) is a FieldError naming the field.
 * Names must be unique within an experiment: the loader checks that.
 */
export function parseProbe(value: unknown, path: FieldPath): ProbeSpec {
  const map = new PlainField(value, path).map();
  const kindField = map.required('kind', `one of ${PROBE_KINDS.join(', ')}`);
  const kind = kindField.string();
  if (!(PROBE_KINDS as readonly string[]).includes(kind)) kindField.fail(`unknown probe '${kind}'; known probes: ${PROBE_KINDS.join(', ')}`);
  const probeKind = kind as ProbeKind;
  map.only([...COMMON_KEYS, ...KIND_KEYS[probeKind]]);
  const fields = readKindFields(probeKind, map);
  const common = readCommon(map, probeKind, fields.kind === 'command' && fields.json === true);
  return { ...common, ...fields };
}

function readCommon(map: PlainMap, kind: ProbeKind, json: boolean): ProbeCommon {
  const nameField = map.required('name', 'a probe name');
  const name = nameField.string();
  if (name.length > MAX_PROBE_NAME_CHARS) nameField.fail(`at most ${MAX_PROBE_NAME_CHARS} characters`);
  const toleranceField = map.optional('tolerance');
  if (!toleranceField && kind === 'command' && json) map.required('tolerance', 'a tolerance on the JSON output (e.g. { path: "$.ok", equals: true })');
  const tolerance = toleranceField ? parseTolerance(toleranceField.value, toleranceField.path, probeValueType({ kind, json })) : defaultTolerance(kind);
  const mode = map.optional('mode')?.oneOf(PROBE_MODES);
  const intervalField = map.optional('intervalMs');
  if (intervalField && mode !== 'during' && mode !== 'on-fault') intervalField.fail(`intervalMs goes with mode during or on-fault${mode ? `, not ${mode}` : ''}`);
  const intervalMs = intervalField?.integer({ min: MIN_PROBE_INTERVAL_MS, max: MAX_PROBE_INTERVAL_MS });
  const timeoutMs = map.optional('timeoutMs')?.integer({ min: 1, max: MAX_PROBE_TIMEOUT_MS });
  return {
    name,
    tolerance,
    ...(mode !== undefined ? { mode } : {}),
    ...(intervalMs !== undefined ? { intervalMs } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

function readTopic(field: PlainField): string {
  const topic = field.string();
  const problem = topicNameProblem(topic);
  if (problem !== undefined) field.fail(problem);
  return topic;
}

function optionalTopic(map: PlainMap): { topic?: string } {
  const field = map.optional('topic');
  return field ? { topic: readTopic(field) } : {};
}

function optionalPartition(map: PlainMap): { partition?: number } {
  const partition = map.optional('partition')?.integer({ min: 0, max: 2 ** 31 - 1 });
  return partition === undefined ? {} : { partition };
}

/** The kind-specific part of each probe (Omit spread over the union). */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type KindFields = OmitEach<ProbeSpec, keyof ProbeCommon>;

function readKindFields(kind: ProbeKind, map: PlainMap): KindFields {
  switch (kind) {
    case 'cluster-health': {
      const topics = map.optional('topics')?.list().map(readTopic);
      return { kind, ...(topics !== undefined ? { topics } : {}) };
    }
    case 'round-trip': {
      const consumer = map.optional('consumer')?.oneOf(['own', 'group'] as const);
      return { kind, topic: readTopic(map.required('topic', 'a topic name')), ...optionalPartition(map), ...(consumer !== undefined ? { consumer } : {}) };
    }
    case 'consumer-group':
      return { kind, group: map.required('group', 'a consumer group id').string(), ...optionalTopic(map) };
    case 'topic-view':
      return { kind, topic: readTopic(map.required('topic', 'a topic name')), ...optionalPartition(map) };
    case 'command':
      return readCommand(map);
    case 'checker': {
      const checkers = map.optional('checkers')?.list().map((item) => item.oneOf(CHECKER_NAMES));
      if (checkers?.length === 0) map.field('checkers').fail(`expected at least one of ${CHECKER_NAMES.join(', ')}`);
      return { kind, ...(checkers !== undefined ? { checkers } : {}), ...optionalTopic(map) };
    }
  }
}

function readCommand(map: PlainMap): KindFields {
  const field = map.required('command', 'a command line as a list, e.g. [curl, -sf, http://host/health]');
  if (typeof field.value === 'string') field.fail('expected a list of arguments (no shell): e.g. [sh, -c, "..."] if a shell is really meant');
  const argv = field.list().map((arg) => (typeof arg.value === 'string' ? arg.value : typeof arg.value === 'number' ? String(arg.value) : arg.fail(`expected a string argument, got ${JSON.stringify(arg.value)}`)));
  if (argv.length === 0 || argv.length > MAX_COMMAND_ARGS) field.fail(`expected 1..${MAX_COMMAND_ARGS} arguments, got ${argv.length}`);
  const json = map.optional('json')?.boolean();
  return { kind: 'command', command: argv, ...(json !== undefined ? { json } : {}) };
}

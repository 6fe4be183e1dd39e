import {
  parseFaultKind,
  type DegradeFaultRequest,
  type FaultKind,
  type FaultRequest,
  type PartitionFaultRequest,
  type ProcessFaultRequest,
} from '../nemesis/fault-request.js';
import type { ScenarioMetadataMode } from './scenario.js';
import type { YamlField, YamlMapReader } from './yaml-field.js';

/** Keys each fault kind takes besides `kind`; anything else is an unknown key. */
export const FAULT_KEYS: Readonly<Record<FaultKind, readonly string[]>> = {
  kill: ['target'],
  terminate: ['target', 'graceMs'],
  restart: ['target', 'graceMs', 'restartMode', 'downMs'],
  pause: ['target'],
  resume: ['target'],
  start: ['target'],
  partition: ['target', 'from', 'groups', 'oneWay', 'clients'],
  degrade: ['target', 'peers', 'latencyMs', 'jitterMs', 'bandwidthBytesPerSec', 'lossPercent', 'flaky'],
  'fill-disk': ['target'],
};

/** Heads of the target syntax of src/nemesis/target.ts (resolved at run time; only the shape is checked here). */
const TARGET_HEADS_WITH_ARGUMENT = ['broker', 'node', 'leader', 'follower', 'coordinator'];
const TARGET_WORDS = ['controller', 'random', 'all', 'zookeeper'];
const TARGET_SYNTAX = 'broker:ID, node:NAME, leader:TOPIC[/PARTITION], follower:TOPIC[/PARTITION], controller, coordinator:GROUP, random, all, zookeeper, or a node name/id';

/** What the loader knows about the scenario around the fault, to catch targets that cannot match. */
export interface FaultContext {
  readonly metadata: ScenarioMetadataMode;
  readonly topic: string;
}

function readTarget(field: YamlField, context: FaultContext): string {
  const text = field.nonEmptyString().trim();
  const colon = text.indexOf(':');
  const head = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  if (TARGET_HEADS_WITH_ARGUMENT.includes(head)) {
    if (rest === '') field.fail(`target '${text}': ${head} needs an argument (${head}:...)`);
    if (head === 'leader' || head === 'follower') {
      const slash = rest.lastIndexOf('/');
      const topic = slash < 0 ? rest : rest.slice(0, slash);
      const partition = slash < 0 ? '0' : rest.slice(slash + 1);
      if (!/^\d+$/.test(partition)) field.fail(`target '${text}': partition must be a whole number, got '${partition}'`);
      if (topic !== context.topic) field.fail(`target '${text}' names topic '${topic}', but the scenario's topic is '${context.topic}'`);
    }
    return text;
  }
  if (TARGET_WORDS.includes(head)) {
    if (rest !== '') field.fail(`target '${text}': ${head} takes no argument`);
    if (head === 'zookeeper' && context.metadata !== 'zookeeper') field.fail(`target zookeeper needs cluster.metadata: zookeeper (this scenario runs ${context.metadata})`);
    return text;
  }
  if (colon < 0 && /^[a-z]*\d+$|^zk$/.test(text)) return text;
  field.fail(`unknown target '${text}'; expected ${TARGET_SYNTAX}`);
}

function readProcessFault(kind: ProcessFaultRequest['kind'], map: YamlMapReader, context: FaultContext): ProcessFaultRequest {
  const graceMs = map.optional('graceMs')?.integer({ min: 0 });
  const restartMode = map.optional('restartMode')?.oneOf(['terminate', 'kill'] as const, 'restart mode');
  const downMs = map.optional('downMs')?.integer({ min: 0 });
  return {
    kind,
    target: readTarget(map.required('target'), context),
    ...(graceMs !== undefined ? { graceMs } : {}),
    ...(restartMode !== undefined ? { restartMode } : {}),
    ...(downMs !== undefined ? { downMs } : {}),
  };
}

function readPartitionFault(map: YamlMapReader, context: FaultContext): PartitionFaultRequest {
  const hasTarget = map.has('target');
  const hasGroups = map.has('groups');
  if (hasTarget && hasGroups) map.field('groups').fail('give either target or groups, not both');
  if (!hasTarget && !hasGroups) map.owner.fail("partition needs a target (with 'from') or groups");
  const oneWay = map.optional('oneWay')?.boolean();
  const clients = map.optional('clients')?.boolean();
  const flags = { ...(oneWay !== undefined ? { oneWay } : {}), ...(clients !== undefined ? { clients } : {}) };
  if (hasGroups) {
    if (map.has('from')) map.field('from').fail("'from' goes with a target, not with groups");
    const groupFields = map.required('groups').list();
    if (groupFields.length < 2) map.field('groups').fail(`expected at least two groups, got ${groupFields.length}`);
    const groups = groupFields.map((groupField) => {
      const members = groupField.list();
      if (members.length === 0) groupField.fail('a group needs at least one node');
      return members.map((member) => readTarget(member, context));
    });
    return { kind: 'partition', groups, ...flags };
  }
  const target = readTarget(map.required('target'), context);
  const fromField = map.optional('from');
  let from: string | undefined;
  if (fromField) {
    from = fromField.nonEmptyString().trim();
    if (from === 'zookeeper' && context.metadata !== 'zookeeper') fromField.fail(`from: zookeeper needs cluster.metadata: zookeeper (use 'controllers' in ${context.metadata})`);
    if (from === 'controllers' && context.metadata === 'zookeeper') fromField.fail("from: controllers needs a KRaft cluster (use 'zookeeper' in zookeeper mode)");
    if (from !== 'all' && from !== 'controllers' && from !== 'zookeeper') {
      for (const ref of from.split(',')) {
        if (ref.trim() === '') fromField.fail(`empty node in '${from}'`);
      }
    }
  }
  return { kind: 'partition', target, ...(from !== undefined ? { from } : {}), ...flags };
}

function readDegradeFault(map: YamlMapReader, context: FaultContext): DegradeFaultRequest {
  const target = readTarget(map.required('target'), context);
  const peers = map.optional('peers')?.nonEmptyString();
  const latencyMs = map.optional('latencyMs')?.integer({ min: 0 });
  const jitterMs = map.optional('jitterMs')?.integer({ min: 0 });
  const bandwidthBytesPerSec = map.optional('bandwidthBytesPerSec')?.positiveNumber();
  const lossField = map.optional('lossPercent');
  const lossPercent = lossField?.number();
  if (lossField && lossPercent !== undefined && (!(lossPercent > 0) || lossPercent > 100)) lossField.fail(`expected a percentage in (0, 100], got ${lossPercent}`);
  const flakyField = map.optional('flaky');
  let flaky: DegradeFaultRequest['flaky'];
  if (flakyField) {
    const flakyMap = flakyField.map().only(['upMs', 'downMs']);
    flaky = { upMs: flakyMap.required('upMs').integer({ min: 1 }), downMs: flakyMap.required('downMs').integer({ min: 1 }) };
  }
  if (latencyMs === undefined && jitterMs === undefined && bandwidthBytesPerSec === undefined && lossPercent === undefined && flaky === undefined) {
    map.owner.fail('degrade needs at least one of latencyMs, jitterMs, bandwidthBytesPerSec, lossPercent, flaky');
  }
  return {
    kind: 'degrade',
    target,
    ...(peers !== undefined ? { peers } : {}),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(jitterMs !== undefined ? { jitterMs } : {}),
    ...(bandwidthBytesPerSec !== undefined ? { bandwidthBytesPerSec } : {}),
    ...(lossPercent !== undefined ? { lossPercent } : {}),
    ...(flaky !== undefined ? { flaky } : {}),
  };
}

/** Reads one `fault:` mapping into the nemesis's own request type. */
export function readFault(field: YamlField, context: FaultContext): FaultRequest {
  const map = field.map();
  const kindField = map.required('kind');
  const kind = kindField.parseWith(kindField.string(), parseFaultKind);
  map.only(['kind', ...FAULT_KEYS[kind]]);
  switch (kind) {
    case 'partition':
      return readPartitionFault(map, context);
    case 'degrade':
      return readDegradeFault(map, context);
    case 'fill-disk':
      return { kind, target: readTarget(map.required('target'), context) };
    default:
      return readProcessFault(kind, map, context);
  }
}

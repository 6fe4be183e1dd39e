import { PlainField, type PlainMap } from '../util/plain-fields.js';
import {
  FAULT_KEYS,
  FAULT_KINDS,
  RESTART_MODES,
  SIMPLE_SHAPES,
  type DegradeFaultRequest,
  type DegradePeers,
  type FaultKind,
  type FaultRequest,
  type PartitionFaultRequest,
  type PartitionFrom,
  type PartitionGroup,
  type PartitionShape,
  type ProcessFaultKind,
  type ProcessFaultRequest,
} from './fault-request.js';
import { parseTarget, type Target } from './target.js';
import { validateFault } from './fault-validate.js';

/**
 * The one parser of faults written as plain data: a scenario's `fault:` mapping (parsed YAML), the values the
 * CLI collected from its flags (same names), or JSON. Targets, peers, groups and shapes become typed values;
 * then validateFault checks every number. Every problem is a FieldError naming the field.
 */
export function parseFault(input: unknown, path: readonly (string | number)[] = []): FaultRequest {
  const map = new PlainField(input, path).map();
  const kindField = map.required('kind', `one of ${FAULT_KINDS.join(', ')}`);
  const kindText = kindField.string();
  if (!(FAULT_KINDS as readonly string[]).includes(kindText)) kindField.fail(`unknown fault '${kindText}'; known faults: ${FAULT_KINDS.join(', ')}`);
  const kind = kindText as FaultKind;
  map.only(['kind', ...FAULT_KEYS[kind]]);
  const request =
    kind === 'partition' ? readPartition(map)
    : kind === 'degrade' ? readDegrade(map)
    : kind === 'fill-disk' ? { kind, target: readTarget(map.required('target', 'a target')) }
    : readProcess(kind, map);
  validateFault(request, path);
  return request;
}

function readTarget(field: PlainField): Target {
  return parseTarget(field.ref(), field.path);
}

/** A node list: a list of refs, or one ref (a string without commas: lists are lists). Shared with job-partition's `from`. */
export function readNodes(field: PlainField): Target[] {
  if (!Array.isArray(field.value)) {
    const text = field.ref();
    if (text.includes(',')) field.fail(`expected a list of nodes (e.g. [n1, n2]), got '${text}'`);
    return [parseTarget(text, field.path)];
  }
  const items = field.list();
  if (items.length === 0) field.fail('expected at least one node');
  return items.map(readTarget);
}

function readProcess(kind: ProcessFaultKind, map: PlainMap): ProcessFaultRequest {
  const graceMs = map.optional('graceMs')?.integer();
  const restartMode = map.optional('restartMode')?.oneOf(RESTART_MODES);
  const downMs = map.optional('downMs')?.integer();
  return {
    kind,
    target: readTarget(map.required('target', 'a target')),
    ...(graceMs !== undefined ? { graceMs } : {}),
    ...(restartMode !== undefined ? { restartMode } : {}),
    ...(downMs !== undefined ? { downMs } : {}),
  };
}

function readFrom(field: PlainField): PartitionFrom {
  if (field.value === 'all' || field.value === 'controllers' || field.value === 'zookeeper') return field.value;
  return { nodes: readNodes(field) };
}

function readGroups(field: PlainField): PartitionGroup[] {
  return field.list().map((group): PartitionGroup => (group.value === 'rest' ? 'rest' : readNodes(group)));
}

function readShape(field: PlainField): PartitionShape {
  const text = field.string();
  const minority = /^minority-with:(.+)$/.exec(text);
  if (minority) return { kind: 'minority-with', target: parseTarget(minority[1] ?? '', field.path) };
  if (!(SIMPLE_SHAPES as readonly string[]).includes(text)) field.fail(`unknown shape '${text}'; expected ${SIMPLE_SHAPES.join(', ')} or minority-with:TARGET`);
  return { kind: text as (typeof SIMPLE_SHAPES)[number] };
}

function readPartition(map: PlainMap): PartitionFaultRequest {
  const target = map.optional('target');
  const from = map.optional('from');
  const groups = map.optional('groups');
  const shape = map.optional('shape');
  const oneWay = map.optional('oneWay')?.boolean();
  const clients = map.optional('clients')?.boolean();
  return {
    kind: 'partition',
    ...(target ? { target: readTarget(target) } : {}),
    ...(from ? { from: readFrom(from) } : {}),
    ...(groups ? { groups: readGroups(groups) } : {}),
    ...(shape ? { shape: readShape(shape) } : {}),
    ...(oneWay !== undefined ? { oneWay } : {}),
    ...(clients !== undefined ? { clients } : {}),
  };
}

function readPeers(field: PlainField): DegradePeers {
  if (field.value === 'clients' || field.value === 'all') return field.value;
  return { nodes: readNodes(field) };
}

function readDegrade(map: PlainMap): DegradeFaultRequest {
  const peers = map.optional('peers');
  const numbers = {} as Record<'latencyMs' | 'jitterMs' | 'bandwidthBytesPerSec' | 'lossPercent', number>;
  for (const key of ['latencyMs', 'jitterMs', 'bandwidthBytesPerSec', 'lossPercent'] as const) {
    const field = map.optional(key);
    if (field) numbers[key] = field.number();
  }
  const flakyField = map.optional('flaky');
  let flaky: DegradeFaultRequest['flaky'];
  if (flakyField) {
    const flakyMap = flakyField.map().only(['upMs', 'downMs']);
    flaky = { upMs: flakyMap.required('upMs', 'milliseconds').number(), downMs: flakyMap.required('downMs', 'milliseconds').number() };
  }
  return {
    kind: 'degrade',
    target: readTarget(map.required('target', 'a target')),
    ...(peers ? { peers: readPeers(peers) } : {}),
    ...numbers,
    ...(flaky !== undefined ? { flaky } : {}),
  };
}

import { FieldError, type FieldPath } from '../errors.js';
import { PlainField, type NumberBounds } from '../util/plain-fields.js';
import { FAULT_LIMITS, isProcessFault, type DegradeFaultRequest, type FaultRequest, type PartitionFaultRequest, type ProcessFaultRequest } from './fault-request.js';
import type { Target } from './target.js';

/**
 * The one validator of a typed fault: the CLI, the scenario loader (through parseFault) and injectFault all
 * call it, so a value refused in one place is refused in all. Throws a FieldError naming the field.
 */
export function validateFault(request: FaultRequest, path: FieldPath = []): void {
  const at = (key: string, value: unknown): PlainField => new PlainField(value, [...path, key]);
  const whole = (key: string, value: number | undefined, bounds: NumberBounds): void => {
    if (value !== undefined) at(key, value).integer(bounds);
  };
  if (isProcessFault(request)) validateProcess(request, whole);
  else if (request.kind === 'partition') validatePartition(request, path);
  else if (request.kind === 'degrade') validateDegrade(request, path, whole);
}

type WholeCheck = (key: string, value: number | undefined, bounds: NumberBounds) => void;

function validateProcess(request: ProcessFaultRequest, whole: WholeCheck): void {
  whole('graceMs', request.graceMs, { min: 0, max: FAULT_LIMITS.maxGraceMs });
  whole('downMs', request.downMs, { min: 0, max: FAULT_LIMITS.maxDownMs });
}

function validatePartition(request: PartitionFaultRequest, path: FieldPath): void {
  const given = (['target', 'groups', 'shape'] as const).filter((key) => request[key] !== undefined);
  if (given.length === 0) throw new FieldError(path, 'partition needs a target (with from), groups, or a shape');
  if (given.length > 1) throw new FieldError([...path, given[1] as string], `give one of target, groups and shape, not ${given.join(' and ')}`);
  if (request.from !== undefined && request.target === undefined) throw new FieldError([...path, 'from'], "'from' goes with a target, not with groups or a shape");
  if (request.groups === undefined) return;
  if (request.groups.length < 2) throw new FieldError([...path, 'groups'], `expected at least two groups, got ${request.groups.length}`);
  if (request.groups.filter((g) => g === 'rest').length > 1) throw new FieldError([...path, 'groups'], "'rest' can be one group only");
  request.groups.forEach((group, index) => {
    if (group !== 'rest' && group.length === 0) throw new FieldError([...path, 'groups', index], 'a group needs at least one node');
  });
}

function validateDegrade(request: DegradeFaultRequest, path: FieldPath, whole: WholeCheck): void {
  whole('latencyMs', request.latencyMs, { min: 0, max: FAULT_LIMITS.maxDelayMs });
  whole('jitterMs', request.jitterMs, { min: 0, max: FAULT_LIMITS.maxDelayMs });
  whole('bandwidthBytesPerSec', request.bandwidthBytesPerSec, { min: 1, max: FAULT_LIMITS.maxBandwidthBytesPerSec });
  if (request.lossPercent !== undefined) {
    new PlainField(request.lossPercent, [...path, 'lossPercent']).number({ min: FAULT_LIMITS.minLossPercent, max: 100 });
  }
  if (request.flaky !== undefined) {
    new PlainField(request.flaky.upMs, [...path, 'flaky', 'upMs']).integer({ min: 1, max: FAULT_LIMITS.maxFlakyPhaseMs });
    new PlainField(request.flaky.downMs, [...path, 'flaky', 'downMs']).integer({ min: 1, max: FAULT_LIMITS.maxFlakyPhaseMs });
  }
  const effects = [request.latencyMs, request.jitterMs, request.bandwidthBytesPerSec, request.lossPercent, request.flaky];
  if (effects.every((e) => e === undefined)) throw new FieldError(path, 'degrade needs at least one of latencyMs, jitterMs, bandwidthBytesPerSec, lossPercent, flaky');
}

/** What is known of the cluster a fault will hit, before it runs (a scenario's cluster section) or when it fires. */
export interface FaultContext {
  readonly metadata: 'kraft' | 'kraft-dedicated' | 'zookeeper';
  /** The only topic there is (a scenario's): leader/follower targets must name it. */
  readonly topic?: string;
  /** An experiment's topics (a pipeline's: input, output, dead-letter): leader/follower targets must name one of them. */
  readonly topics?: readonly string[];
  /** What declares `topics`, for messages; default 'experiment'. */
  readonly topicsOf?: 'experiment' | 'pipeline';
}

/** Every target of a fault with its field path: target, from, groups, shape, peers. */
function targetsOf(request: FaultRequest, path: FieldPath): [Target, FieldPath][] {
  const out: [Target, FieldPath][] = [];
  if ('target' in request && request.target !== undefined) out.push([request.target, [...path, 'target']]);
  if (request.kind === 'partition') {
    if (typeof request.from === 'object') request.from.nodes.forEach((t, i) => out.push([t, [...path, 'from', i]]));
    request.groups?.forEach((g, i) => (g === 'rest' ? undefined : g.forEach((t, j) => out.push([t, [...path, 'groups', i, j]]))));
    if (request.shape?.kind === 'minority-with') out.push([request.shape.target, [...path, 'shape']]);
  }
  if (request.kind === 'degrade' && typeof request.peers === 'object') request.peers.nodes.forEach((t, i) => out.push([t, [...path, 'peers', i]]));
  return out;
}

/**
 * Kafka's internal topics, in every cluster once used: leader/follower targets may name them (the leader of
 * `__transaction_state/P` is the transaction coordinator of the transactional ids that hash to P).
 */
const INTERNAL_TOPICS: readonly string[] = ['__transaction_state', '__consumer_offsets'];

/** Refuses a target that cannot work on this cluster (a FieldError at `at`): ZooKeeper without ZooKeeper, another topic's leader. */
export function checkTargetAgainst(target: Target, context: FaultContext, at: FieldPath): void {
  if (target.kind === 'zookeeper' && context.metadata !== 'zookeeper') throw new FieldError(at, `target zookeeper needs a ZooKeeper-mode cluster (this one runs ${context.metadata})`);
  if ((target.kind !== 'leader' && target.kind !== 'follower') || INTERNAL_TOPICS.includes(target.topic)) return;
  if (context.topic !== undefined && target.topic !== context.topic) {
    throw new FieldError(at, `target '${target.kind}:${target.topic}' names topic '${target.topic}', but the scenario's topic is '${context.topic}'`);
  }
  if (context.topics !== undefined && !context.topics.includes(target.topic)) {
    throw new FieldError(at, `target '${target.kind}:${target.topic}' names topic '${target.topic}', which the ${context.topicsOf ?? 'experiment'} does not declare (topics: ${context.topics.join(', ')})`);
  }
}

/** Refuses what cannot work on this cluster: ZooKeeper targets without ZooKeeper, another topic's leader, ... */
export function checkFaultAgainst(request: FaultRequest, context: FaultContext, path: FieldPath = []): void {
  for (const [target, at] of targetsOf(request, path)) checkTargetAgainst(target, context, at);
  if (request.kind !== 'partition') return;
  if (request.from === 'zookeeper' && context.metadata !== 'zookeeper') throw new FieldError([...path, 'from'], `zookeeper needs a ZooKeeper-mode cluster (use 'controllers' in ${context.metadata}); this cluster runs without ZooKeeper`);
  if (request.from === 'controllers' && context.metadata === 'zookeeper') throw new FieldError([...path, 'from'], "controllers needs a KRaft cluster (use 'zookeeper' in ZooKeeper mode)");
}

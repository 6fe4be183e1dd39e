import { RESTART_MODES } from '../nemesis/fault-request.js';
import type { FaultContext } from '../nemesis/fault-validate.js';
import { readFault } from '../scenario/read-fault.js';
import type { YamlField, YamlMapReader } from '../scenario/yaml-field.js';
import { CLUSTER_ACTIONS, STEP_KINDS, type Step, type StepKind } from './experiment.js';
import { MAX_REPEAT_FOR_MS, MAX_REPEAT_TIMES, MAX_STEP_DEPTH, MAX_WAIT_MS } from './experiment-limits.js';
import { parseProbe, type ProbeSpec } from './probes/index.js';
import { readRandomSchedule } from './read-random.js';
import type { ExperimentRefs } from './step-refs.js';

/** What a step reader needs: the fault context (cluster mode, topics) and the experiment's names. */
export interface StepContext {
  readonly faults: FaultContext;
  readonly refs: ExperimentRefs;
}

type StepBody = Step extends infer S ? (S extends Step ? Omit<S, 'name'> : never) : never;

/** A probe (steady state, safeguard or probe step), parsed by the probes' own parser; names are unique. */
export function readProbe(field: YamlField, refs: ExperimentRefs): ProbeSpec {
  const probe = field.readPlain((value) => parseProbe(value, []));
  refs.addProbe(field.descend(['name']), probe.name);
  return probe;
}

export function readProbes(field: YamlField | undefined, refs: ExperimentRefs): ProbeSpec[] {
  return field === undefined ? [] : field.list().map((item) => readProbe(item, refs));
}

function readCluster(field: YamlField): StepBody {
  const map = field.map().only(['action', 'restartMode', 'downMs']);
  const action = map.required('action').oneOf(CLUSTER_ACTIONS, 'cluster action');
  const restartMode = map.optional('restartMode')?.oneOf(RESTART_MODES, 'restart mode') ?? 'terminate';
  const downMs = map.optional('downMs')?.integer({ min: 0, max: MAX_WAIT_MS }) ?? 0;
  return { kind: 'cluster', action, restartMode, downMs };
}

function readRepeat(field: YamlField, context: StepContext, depth: number): StepBody {
  if (depth >= MAX_STEP_DEPTH) field.fail(`repeat steps nest at most ${MAX_STEP_DEPTH} deep`);
  const map = field.map().only(['times', 'forMs', 'steps']);
  const times = map.optional('times');
  const forMs = map.optional('forMs');
  if (times && forMs) forMs.fail('give either times or forMs, not both');
  if (!times && !forMs) field.fail('expected times (how many rounds) or forMs (how long)');
  const bound = times ? { times: times.integer({ min: 1, max: MAX_REPEAT_TIMES }) } : { forMs: (forMs as YamlField).integer({ min: 1, max: MAX_REPEAT_FOR_MS }) };
  const steps = readSteps(map.required('steps'), context, depth + 1);
  if (steps.length === 0) map.field('steps').fail('expected at least one step');
  return { kind: 'repeat', ...bound, steps };
}

function readHeal(field: YamlField, refs: ExperimentRefs): StepBody {
  const value = field.string();
  if (value !== 'all') refs.addHeal(field, value);
  return { kind: 'heal', heal: value === 'all' ? 'all' : { step: value } };
}

function readWorkloadRef(kind: 'start' | 'stop', field: YamlField, refs: ExperimentRefs): StepBody {
  const workload = field.string();
  refs.checkWorkload(field, workload);
  return { kind, workload };
}

function readBody(kind: StepKind, map: YamlMapReader, context: StepContext, depth: number): StepBody {
  const field = map.required(kind);
  switch (kind) {
    case 'fault': {
      const healAfterMs = map.optional('healAfterMs')?.integer({ min: 0, max: MAX_WAIT_MS });
      return { kind, fault: readFault(field, context.faults), ...(healAfterMs !== undefined ? { healAfterMs } : {}) };
    }
    case 'heal': return readHeal(field, context.refs);
    case 'wait': return { kind, ms: field.map().only(['ms']).required('ms').integer({ min: 0, max: MAX_WAIT_MS }) };
    case 'start':
    case 'stop': return readWorkloadRef(kind, field, context.refs);
    case 'cluster': return readCluster(field);
    case 'probe': return { kind, probe: readProbe(field, context.refs) };
    case 'repeat': return readRepeat(field, context, depth);
    case 'random': return { kind, schedule: readRandomSchedule(field, context.faults) };
  }
}

/** One step: a mapping with exactly one action key (fault, heal, wait, ...), an optional name, healAfterMs for a fault. */
function readStep(field: YamlField, context: StepContext, depth: number): Step {
  const map = field.map().only([...STEP_KINDS, 'name', 'healAfterMs']);
  const actions = STEP_KINDS.filter((key) => map.keys().includes(key));
  const kind = actions[0];
  if (kind === undefined) return field.fail(`expected a step: one of ${STEP_KINDS.join(', ')}`);
  if (actions.length > 1) map.field(actions[1] as string).fail(`one action per step; this step has ${actions.join(' and ')}`);
  if (kind !== 'fault' && map.keys().includes('healAfterMs')) map.field('healAfterMs').fail('only a fault step has healAfterMs');
  const nameField = map.optional('name');
  const name = nameField?.nonEmptyString();
  if (nameField && name !== undefined) context.refs.addStep(nameField, name, kind);
  const body = readBody(kind, map, context, depth);
  return name !== undefined ? { name, ...body } : body;
}

/** A list of steps (method, rollbacks, a repeat's steps), in order. */
export function readSteps(field: YamlField, context: StepContext, depth = 0): Step[] {
  return field.list().map((item) => readStep(item, context, depth));
}

/**
 * A model's version as saved with schedules: the model's own `version` string (when it has one) and
 * a hash of its structure (name, bounds, parameters, and every machine and monitor type a default run
 * instantiates: state names, start state, the events each state handles, defers and ignores). A
 * schedule is a list of choice indices; it means the same run only on the same structure.
 */
import { createHash } from 'node:crypto';
import type { ModelDef } from './model.js';
import { executeRun } from './runtime.js';
import { ReplayStrategy } from './strategies.js';

/** Hex digits of the structure hash kept in the version string. */
const FINGERPRINT_HEX_CHARS = 12;
/** Step bound of the default run that collects the definitions (a model's setup usually creates all machines early). */
const FINGERPRINT_RUN_MAX_STEPS = 100_000;

interface RawState {
  readonly on?: Readonly<Record<string, unknown>>;
  readonly defer?: readonly string[];
  readonly ignore?: readonly string[];
  readonly hot?: boolean;
  readonly entry?: unknown;
  readonly exit?: unknown;
}

interface RawDef {
  readonly name?: unknown;
  readonly start?: unknown;
  readonly states?: Readonly<Record<string, RawState | undefined>>;
  readonly onRecover?: unknown;
  readonly restart?: unknown;
}

/** `version+hash` (or `hash` when the model has no version string), e.g. `2+9f2c0a1b7e44`. */
export function modelVersion(model: ModelDef, params: Readonly<Record<string, string>>): string {
  const defs = new Map<string, string>();
  const strategy = new ReplayStrategy([]);
  strategy.beginRun();
  executeRun(model, strategy, {
    maxSteps: Math.min(model.maxSteps, FINGERPRINT_RUN_MAX_STEPS),
    onDefine: (kind, def) => {
      const text = describeDefinition(kind, def);
      defs.set(text, text);
    },
  });
  const structure = {
    name: model.name,
    maxSteps: model.maxSteps,
    timeAdvance: model.timeAdvance ?? 'idle',
    hotStepLimit: model.hotStepLimit ?? null,
    maxTimeMs: model.maxTimeMs ?? null,
    params: Object.entries(params).sort(([a], [b]) => a.localeCompare(b)),
    definitions: [...defs.keys()].sort(),
  };
  const hash = createHash('sha256').update(JSON.stringify(structure)).digest('hex').slice(0, FINGERPRINT_HEX_CHARS);
  return model.version !== undefined ? `${model.version}+${hash}` : hash;
}

function describeDefinition(kind: 'machine' | 'monitor', def: RawDef): string {
  const states = Object.entries(def.states ?? {}).map(([name, st]) => {
    const flags = [st?.hot === true ? 'hot' : '', st?.entry !== undefined ? 'entry' : '', st?.exit !== undefined ? 'exit' : ''].filter((f) => f !== '');
    return [name, flags, Object.keys(st?.on ?? {}).sort(), [...(st?.defer ?? [])].sort(), [...(st?.ignore ?? [])].sort()];
  });
  const hooks = [def.onRecover !== undefined ? 'onRecover' : '', def.restart !== undefined ? 'restart' : ''].filter((h) => h !== '');
  return JSON.stringify([kind, String(def.name), String(def.start), hooks, states]);
}

/**
 * Spec monitors observe events (sent or announced) and hold the specification. Safety: `assert`
 * in a handler, checked at every step. Liveness: a monitor in a hot state at the end of a run (or
 * for longer than the hot-step limit) is a violation; cold states mark "nothing pending".
 */
import type { EventMap } from './machine.js';

export interface MonitorContext<V, S extends string> {
  readonly vars: V;
  readonly state: S;
  goto(state: S): void;
  assert(condition: boolean, message: string | (() => string)): void;
  now(): number;
}

export interface MonitorStateDef<E extends EventMap, V, S extends string> {
  /** A hot state means "something is still owed": ending here is a liveness violation. */
  readonly hot?: boolean;
  readonly entry?: (ctx: MonitorContext<V, S>) => void;
  readonly on?: { [K in keyof E & string]?: (ctx: MonitorContext<V, S>, payload: E[K]) => void };
}

export interface MonitorDef<E extends EventMap, V, S extends string> {
  readonly name: string;
  readonly start: NoInfer<S>;
  readonly vars: () => V;
  readonly states: Readonly<Record<S, MonitorStateDef<E, V, S>>>;
  /** Describes what is still pending when a liveness violation is reported. */
  readonly describePending?: (vars: V) => string;
}

/** Defines a monitor with its observed events given explicitly: `defineMonitor<Events>()({...})`. */
export function defineMonitor<E extends EventMap>() {
  return <V, S extends string>(def: MonitorDef<E, V, S>): MonitorDef<E, V, S> => def;
}

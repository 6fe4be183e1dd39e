/**
 * Machine definitions, P-language style: named states with entry/exit actions, typed event handlers,
 * and per-state `defer` / `ignore` lists. Definitions are plain data; the runtime compiles them once.
 *
 * Declare event maps with `type` (not `interface`) so they satisfy the `EventMap` index signature.
 */

import type { EventId } from './event-ids.js';

/** Event name -> payload type. Use `undefined` for events without payload. */
export type EventMap = Record<string, unknown>;

/** Untyped identity of a machine: enough for fault injection and tracing. */
export interface MachineHandle {
  readonly id: number;
  readonly name: string;
}

/**
 * Typed handle to a machine that accepts the events in `E`. Sending an event the machine does not
 * declare is a compile error. The phantom member is covariant: a handle to a machine accepting more events can be passed where
 * fewer are required (e.g. a reply-to handle), never the other way round.
 */
export interface MachineRef<E extends EventMap> extends MachineHandle {
  readonly __events?: E;
}

/** Identifies a timer started with `startTimer`, for `cancelTimer`. */
export type TimerId = number;

/** Per-link message faults the scheduler may choose from when a message crosses the link. */
export interface LinkFaultOptions {
  readonly drop?: boolean;
  readonly duplicate?: boolean;
  /** Delay a message by this many virtual milliseconds (0 = no delay fault). */
  readonly delayMs?: number;
  /** At most this many faults on the link per run (bounds the search). */
  readonly maxFaults?: number;
}

/** Failure injection, available to every machine (normally a test driver) and to model setup. */
export interface FaultControl {
  /** Stops a machine: its inbox and timers are lost, messages sent to it are dropped; state is kept. */
  fail(machine: MachineHandle): void;
  /** Resumes a failed machine with its state; runs its `onRecover` hook as its next step. */
  recover(machine: MachineHandle): void;
  /** Crash and restart: inbox and timers are lost, variables rebuilt by `restart` (or `vars`), start state entered. */
  crashRestart(machine: MachineHandle): void;
  /** Blocks messages both ways between `machine` and each of `others` (all other machines when omitted). */
  isolate(machine: MachineHandle, others?: readonly MachineHandle[]): void;
  /** Blocks messages both ways between every machine of `a` and every machine of `b`. */
  partition(a: readonly MachineHandle[], b: readonly MachineHandle[]): void;
  /** Removes every blocked link. */
  heal(): void;
  /** Lets the scheduler drop, duplicate or delay messages on the link `from` -> `to`. */
  setLinkFaults(from: MachineHandle, to: MachineHandle, options: LinkFaultOptions): void;
  /** Whether a machine is currently failed. */
  isFailed(machine: MachineHandle): boolean;
}

/** What a handler, entry or exit action can do. */
export interface MachineContext<E extends EventMap, V, S extends string> {
  readonly self: MachineRef<E>;
  /** The machine's variables (mutable). */
  readonly vars: V;
  /** The current state's name. */
  readonly state: S;
  /** Virtual time in milliseconds. */
  now(): number;
  /**
   * Asynchronous send: appended to the target's FIFO inbox. The event is a name or, faster (no
   * interning per send), its id from `eventIds`.
   */
  send<F extends EventMap, K extends keyof F & string>(to: MachineRef<F>, event: K | EventId<K>, payload: F[K]): void;
  /** Transition to `state` once the current handler returns (exit, then entry run). */
  goto(state: S): void;
  /** Creates a machine; the scheduler runs it like any other. */
  create<F extends EventMap, V2, S2 extends string, I2>(def: MachineDef<F, V2, S2, I2>, init: I2, name?: string): MachineRef<F>;
  /** A value in [0, bound) chosen by the scheduler (recorded in the schedule). */
  choose(bound: number): number;
  /** A boolean chosen by the scheduler; random strategies pick `true` with `probabilityTrue`. */
  chooseBool(probabilityTrue?: number): boolean;
  /** An index of `weights` chosen by the scheduler; random strategies honour the weights. */
  chooseWeighted(weights: readonly number[]): number;
  /** Delivers `event` to this machine after `delayMs` of virtual time. */
  startTimer<K extends keyof E & string>(delayMs: number, event: K | EventId<K>, payload: E[K]): TimerId;
  cancelTimer(timer: TimerId): void;
  /** Stops this machine for good; later messages to it are dropped. */
  halt(): void;
  /**
   * Publishes an event to the spec monitors only. The monitors and the trace read the payload during
   * this call, so a machine may reuse one payload object for its announcements when no monitor keeps them.
   */
  announce(event: string | EventId, payload: unknown): void;
  /** Fails the run with a safety violation when `condition` is false. */
  assert(condition: boolean, message: string | (() => string)): void;
  /** Adds a line to the trace (the function is only called when tracing). */
  log(message: () => string): void;
  /** Ends the run now; end-of-run liveness checks still apply. */
  stopRun(): void;
  readonly faults: FaultControl;
}

export type Handler<E extends EventMap, V, S extends string, P> = (ctx: MachineContext<E, V, S>, payload: P) => void;

export interface StateDef<E extends EventMap, V, S extends string> {
  entry?: (ctx: MachineContext<E, V, S>) => void;
  exit?: (ctx: MachineContext<E, V, S>) => void;
  on?: { [K in keyof E & string]?: Handler<E, V, S, E[K]> };
  /** Events kept in the inbox (in order) until a state that handles them. */
  defer?: readonly (keyof E & string)[];
  /** Events dropped silently in this state. */
  ignore?: readonly (keyof E & string)[];
}

export interface MachineDef<E extends EventMap, V, S extends string, I = void> {
  /** Type name, used for coverage (instances have their own names). */
  readonly name: string;
  readonly start: NoInfer<S>;
  readonly vars: (init: I) => V;
  readonly states: Readonly<Record<S, StateDef<E, V, S>>>;
  /** Runs as the machine's next step after `recover`. */
  readonly onRecover?: (ctx: MachineContext<E, V, S>) => void;
  /** Variables after a crash-restart: return what is durable. Default: `vars(init)`. */
  readonly restart?: (previous: V, init: I) => V;
}

/**
 * Defines a machine with event map `E` given explicitly and variables, states and init inferred:
 * `defineMachine<MyEvents>()({ name, start, vars, states })`.
 */
export function defineMachine<E extends EventMap>() {
  return <V, S extends string, I = void>(def: MachineDef<E, V, S, I>): MachineDef<E, V, S, I> => def;
}

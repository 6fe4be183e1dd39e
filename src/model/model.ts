/** A model: the machines, monitors and test driver that one run starts from. */
import type { EventMap, FaultControl, MachineDef, MachineRef } from './machine.js';
import type { MonitorDef } from './monitor.js';

/** What `setup` can do: create machines and monitors, wire them, schedule faults through a driver. */
export interface SetupContext {
  create<F extends EventMap, V, S extends string, I>(def: MachineDef<F, V, S, I>, init: I, name?: string): MachineRef<F>;
  monitor<E extends EventMap, V, S extends string>(def: MonitorDef<E, V, S>): void;
  readonly faults: FaultControl;
}

export interface ModelDef {
  readonly name: string;
  readonly description: string;
  /** Default bound on scheduling steps per run. */
  readonly maxSteps: number;
  /**
   * When virtual time advances: 'idle' (only when no machine can run: timeouts fire after all
   * ready work) or 'any' (the scheduler may also choose to let time pass while work is pending).
   */
  readonly timeAdvance?: 'idle' | 'any';
  /** A monitor staying hot for more steps than this is a liveness violation (default: only at run end). */
  readonly hotStepLimit?: number;
  /** Virtual time bound; a run reaching it ends like one reaching max steps. */
  readonly maxTimeMs?: number;
  /**
   * The model's version, part of the fingerprint saved with schedules (see `modelVersion`): bump it
   * when handler code changes what a schedule means without changing machine, state or event names.
   */
  readonly version?: string;
  /**
   * Smaller versions of this model (fewer records, an earlier end), simplest first: the shrinker
   * tries them after the schedule itself (delta debugging over message contents and run length).
   */
  reductions?(): readonly ModelReduction[];
  setup(ctx: SetupContext): void;
}

/** A smaller version of a model, reached by changing its parameters. */
export interface ModelReduction {
  /** What is smaller, for reports ("batchSize 10"). */
  readonly label: string;
  /**
   * The parameters that build the smaller model: merged into the saved schedule's parameters, so
   * a replay rebuilds it (the model's registry entry must accept them).
   */
  readonly params: Readonly<Record<string, string>>;
  build(): ModelDef;
}

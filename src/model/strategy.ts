/**
 * A strategy makes every choice of a run: which machine steps next and every `choose`. The runtime
 * records the returned values (for choice points with more than one option), which is the schedule.
 */
export interface Strategy {
  readonly name: string;
  /** Called before each run; `runIndex` counts runs of this check from 0. */
  beginRun(runIndex: number): void;
  /**
   * Index into `candidates[0..count)`: machine ids in ascending order, `-1` meaning "let virtual
   * time pass". Only called when count > 1.
   */
  pickMachine(candidates: Int32Array, count: number, step: number): number;
  /** A value in [0, bound), bound > 1. */
  chooseInt(bound: number): number;
  /** 0 or 1; random strategies return 1 with probability `probabilityTrue`. */
  chooseBool(probabilityTrue: number): number;
  /** An index of `weights` (length > 1). */
  chooseWeighted(weights: readonly number[]): number;
  /** Called when a machine is created (priority-based strategies assign priorities). */
  onCreate(machineId: number): void;
  /** Called after each run; returns false when the strategy has no schedules left. */
  endRun(): boolean;
}

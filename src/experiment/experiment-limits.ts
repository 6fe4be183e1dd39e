/** Bounds of the experiment format: every loop and wait a file can ask for is bounded by one of these. */

/** A `wait:` step, a fault's healAfterMs, a cluster action's downMs. */
export const MAX_WAIT_MS = 6 * 3_600_000;
/** `repeat: { times }`. */
export const MAX_REPEAT_TIMES = 1000;
/** `repeat: { forMs }`. */
export const MAX_REPEAT_FOR_MS = 6 * 3_600_000;
/** How deep repeat steps nest (a repeat inside a repeat is depth 2). */
export const MAX_STEP_DEPTH = 3;
/** `random: { forMs }`. */
export const MAX_RANDOM_FOR_MS = 6 * 3_600_000;
/** `random: { intervalMs: { min } }`: a fault needs some time to act. */
export const MIN_RANDOM_INTERVAL_MS = 100;
/** Faults one random schedule can plan: each takes at least two intervals. */
export const MAX_PLANNED_FAULTS = Math.floor(MAX_RANDOM_FOR_MS / (2 * MIN_RANDOM_INTERVAL_MS));
/** Variants one matrix may expand into. */
export const MAX_MATRIX_VARIANTS = 64;
/** A recovery-time budget. */
export const MAX_BUDGET_MS = 3_600_000;

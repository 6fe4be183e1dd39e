/**
 * Digests of runs (outcome, steps, virtual time, faults, choices consumed, a hash of the choice array,
 * the violation) for a fixed set of models, strategies and seeds: the runtime's scheduling must give
 * the same runs for the same choices, so any change to it is checked against a recorded fixture
 * (test/fixtures/model/run-digests.json). Only when a change is MEANT to change runs (a model's
 * semantics), re-record it: `npx tsc -p tsconfig.json && FAULTLINE_RECORD_DIGESTS=1 node dist/test/unit/model/runtime-equivalence.test.js`.
 */
import { executeRun, findModel, formatTrace, makeStrategy, type StrategyName } from '../../../src/model/index.js';

/** Models covering 'idle' and 'any' time advance, machine faults, link faults and a planted bug. */
export const DIGEST_MODELS: readonly string[] = [
  'workload1-base',
  'workload1-f1',
  'workload1-f3',
  'workload1-f4',
  'workload1-failover',
  'workload1-f3-random',
  'workload1-failover-random',
  'workload1-broken',
  'workload1-f3-random-routing',
  'kafka-acks0-leader-crash',
  'kafka-acks1-leader-isolated',
  'kafka-acks1-quorum-isolated',
  'kafka-acksall-leader-isolated',
];

/** Strategy and seed pairs (exhaustive ignores the seed). */
export const DIGEST_STRATEGIES: readonly (readonly [StrategyName, number])[] = [
  ['random', 1],
  ['random', 7],
  ['pct', 3],
  ['exhaustive', 0],
];

/** Schedules per model and strategy. */
const DIGEST_SCHEDULES = 20;

/** FNV-1a over 32-bit values, as 8 hex digits. */
export function fnv(values: Iterable<number>): string {
  let h = 0x811c9dc5;
  for (const v of values) {
    let x = v | 0;
    for (let b = 0; b < 4; b++) {
      h ^= x & 0xff;
      h = Math.imul(h, 0x01000193);
      x >>>= 8;
    }
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

function fnvText(text: string): string {
  const codes: number[] = [];
  for (let i = 0; i < text.length; i++) codes.push(text.charCodeAt(i));
  return fnv(codes);
}

export interface RunDigestSet {
  /** One line per schedule: outcome steps timeMs faults choicesLength choicesHash violationHash. */
  readonly runs: readonly string[];
  /** The first violation's full text (kind, source, message, step), when a schedule violated. */
  readonly firstViolation?: string;
  /** Hash of the formatted trace of schedule 0 replayed with tracing on. */
  readonly traceHash: string;
}

/** Runs DIGEST_SCHEDULES schedules of `modelName` under one strategy and digests each. */
export function digestRuns(modelName: string, strategyName: StrategyName, seed: number): RunDigestSet {
  const model = findModel(modelName).build({});
  const strategy = makeStrategy(strategyName, seed, model.maxSteps);
  const buffer: number[] = [];
  const runs: string[] = [];
  let firstViolation: string | undefined;
  let traceHash = '';
  for (let i = 0; i < DIGEST_SCHEDULES; i++) {
    strategy.beginRun(i);
    const r = executeRun(model, strategy, { maxSteps: model.maxSteps, choiceBuffer: buffer, trace: i === 0 });
    const more = strategy.endRun();
    const v = r.violation;
    const violationText = v === undefined ? '' : `${v.kind} ${v.source} step ${v.step} t ${v.timeMs}: ${v.message}`;
    runs.push(`${r.outcome} ${r.steps} ${r.timeMs} ${r.faults} ${buffer.length} ${fnv(buffer)} ${v === undefined ? '-' : fnvText(violationText)}`);
    if (firstViolation === undefined && v !== undefined) firstViolation = violationText;
    if (i === 0) traceHash = fnvText(formatTrace(r.trace ?? []));
    if (!more) break;
  }
  return firstViolation === undefined ? { runs, traceHash } : { runs, firstViolation, traceHash };
}

/** Every digest set, keyed `model strategy seed`. */
export function allRunDigests(): Record<string, RunDigestSet> {
  const out: Record<string, RunDigestSet> = {};
  for (const model of DIGEST_MODELS) for (const [strategy, seed] of DIGEST_STRATEGIES) out[`${model} ${strategy} ${seed}`] = digestRuns(model, strategy, seed);
  return out;
}

import type { RecordShape } from './produce-workload.js';

/**
 * A pipeline's input records (docs/pipelines.md, "Records"): value the decimal id (`17`), or `!<id>` for a
 * poison record; key `k<id mod keys>`. Ids are unique across producers: producer i sends i, i+P, i+2P, ...
 */
export interface PipelineInputShape {
  /** Distinct keys, >= 1. */
  readonly keys: number;
  /** Every poisonEvery-th id (id mod poisonEvery == poisonEvery - 1) is poison; 0: none. */
  readonly poisonEvery: number;
  readonly producers: number;
  /** Every producer's process name in the journal (the pipeline checker reads the sends of one process). */
  readonly process: string;
}

const POISON_PREFIX = '!';

export function isPoisonId(id: number, poisonEvery: number): boolean {
  return poisonEvery > 0 && id % poisonEvery === poisonEvery - 1;
}

export function inputKey(id: number, keys: number): string {
  return `k${id % keys}`;
}

/** The id and poison flag of an input value, or undefined when it is not one. */
export function parseInputValue(value: string): { readonly id: number; readonly poison: boolean } | undefined {
  const poison = value.startsWith(POISON_PREFIX);
  const digits = poison ? value.slice(POISON_PREFIX.length) : value;
  if (!/^\d{1,15}$/.test(digits)) return undefined;
  return { id: Number(digits), poison };
}

export function pipelineInputRecords(shape: PipelineInputShape): RecordShape {
  return {
    value: (producerIndex, seq) => {
      const id = seq * shape.producers + producerIndex;
      return isPoisonId(id, shape.poisonEvery) ? `${POISON_PREFIX}${id}` : String(id);
    },
    key: (value) => inputKey(parseInputValue(value)?.id ?? 0, shape.keys),
    payload: (value) => Buffer.from(value, 'utf8'),
    process: () => shape.process,
  };
}

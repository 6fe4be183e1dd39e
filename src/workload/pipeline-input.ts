import { pipelineEventTimeMs, pipelineInputKey, type PipelineWindowsMeta } from '../history/pipeline-meta.js';
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
  /** The event clock of a job that computes windows: each record's timestamp is its id's event time. */
  readonly eventClock?: PipelineWindowsMeta;
}

const POISON_PREFIX = '!';

function isPoisonId(id: number, poisonEvery: number): boolean {
  return poisonEvery > 0 && id % poisonEvery === poisonEvery - 1;
}

function inputId(value: string): number {
  return Number(value.startsWith(POISON_PREFIX) ? value.slice(POISON_PREFIX.length) : value);
}

export function pipelineInputRecords(shape: PipelineInputShape): RecordShape {
  const clock = shape.eventClock;
  return {
    ...(clock !== undefined ? { timestampMs: (value: string) => pipelineEventTimeMs(inputId(value), clock) } : {}),
    value: (producerIndex, seq) => {
      const id = seq * shape.producers + producerIndex;
      return isPoisonId(id, shape.poisonEvery) ? `${POISON_PREFIX}${id}` : String(id);
    },
    key: (value) => pipelineInputKey(inputId(value), shape.keys),
    payload: (value) => Buffer.from(value, 'utf8'),
    process: () => shape.process,
  };
}

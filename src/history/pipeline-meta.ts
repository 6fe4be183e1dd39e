import type { MetaRecord } from './operation.js';

/** The processing guarantee a pipeline job claims (FAULTLINE_GUARANTEE). */
export type PipelineGuarantee = 'at-least-once' | 'exactly-once';
export const PIPELINE_GUARANTEES: readonly PipelineGuarantee[] = ['at-least-once', 'exactly-once'];

/** The process name of the pipeline's input generator in its send ops. */
export const PIPELINE_INPUT_PROCESS = 'in';

/**
 * The meta record's `pipeline` object: what a pipeline run is (docs/pipelines.md). Input sends are
 * ops of process `in`; the input key of id `n` is `k<n mod keys>`.
 */
export interface PipelineMeta {
  inputTopic: string;
  outputTopic: string;
  dlqTopic: string;
  guarantee: PipelineGuarantee;
  /** Distinct input keys; 0 or absent when unknown (keys are then not checked). */
  keys?: number;
}

/** The meta's `pipeline` object, or a sentence saying what is wrong with it (null when there is none). */
export function pipelineMetaOf(meta: MetaRecord): PipelineMeta | string | null {
  const p = meta['pipeline'];
  if (p === undefined) return null;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return 'meta: pipeline must be an object';
  const o = p as Record<string, unknown>;
  for (const key of ['inputTopic', 'outputTopic', 'dlqTopic']) {
    if (typeof o[key] !== 'string' || o[key] === '') return `meta: pipeline.${key} must be a topic name`;
  }
  if (!(PIPELINE_GUARANTEES as readonly unknown[]).includes(o['guarantee'])) return `meta: pipeline.guarantee must be one of ${PIPELINE_GUARANTEES.join(', ')}`;
  const keys = o['keys'];
  if (keys !== undefined && (typeof keys !== 'number' || !Number.isSafeInteger(keys) || keys < 0)) return 'meta: pipeline.keys must be a whole number';
  return o as unknown as PipelineMeta;
}

/** The key of input `id` with `keys` distinct keys: `k<id mod keys>` (docs/pipelines.md, "Records"). */
export function pipelineInputKey(id: number, keys: number): string {
  return `k${id % keys}`;
}

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
  /** The job's event-time windows and the input's event clock, when it computes windows. */
  windows?: PipelineWindowsMeta;
}

/**
 * The meta's `pipeline.windows`: the window results' topic, the window rule, and the input's event clock: input id n
 * carries the event time (its record timestamp) startMs + floor(n x msPerId), less lateByMs when
 * n mod lateEvery == lateEvery - 1 (lateEvery 0: no late events).
 */
export interface PipelineWindowsMeta {
  topic: string;
  sizeMs: number;
  latenessMs: number;
  startMs: number;
  msPerId: number;
  lateEvery: number;
  lateByMs: number;
}

/** The event time of input id `id` under the meta's event clock. */
export function pipelineEventTimeMs(id: number, clock: PipelineWindowsMeta): number {
  const late = clock.lateEvery > 0 && id % clock.lateEvery === clock.lateEvery - 1;
  return clock.startMs + Math.floor(id * clock.msPerId) - (late ? clock.lateByMs : 0);
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
  const windows = o['windows'];
  if (windows !== undefined && windowsMetaProblem(windows) !== undefined) return `meta: pipeline.windows: ${windowsMetaProblem(windows) ?? ''}`;
  return o as unknown as PipelineMeta;
}

function windowsMetaProblem(w: unknown): string | undefined {
  if (typeof w !== 'object' || w === null || Array.isArray(w)) return 'must be an object';
  const o = w as Record<string, unknown>;
  if (typeof o['topic'] !== 'string' || o['topic'] === '') return 'topic must be a topic name';
  for (const key of ['sizeMs', 'latenessMs', 'startMs', 'lateEvery', 'lateByMs']) {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < (key === 'sizeMs' ? 1 : 0)) return `${key} must be a whole number`;
  }
  const msPerId = o['msPerId'];
  if (typeof msPerId !== 'number' || !Number.isFinite(msPerId) || msPerId < 0) return 'msPerId must be a number >= 0';
  return undefined;
}

/** The key of input `id` with `keys` distinct keys: `k<id mod keys>` (docs/pipelines.md, "Records"). */
export function pipelineInputKey(id: number, keys: number): string {
  return `k${id % keys}`;
}

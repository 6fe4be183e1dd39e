/**
 * The Workload1 spec: every record id (not just counts) reaches every stage in order, none is
 * duplicated in outbound Kafka or at the destination, and all are eventually delivered (liveness:
 * the monitor is hot until the last id arrives).
 */
import { defineMonitor, type MonitorContext } from '../monitor.js';
import { compressRanges } from '../trace.js';

export const Stage = {
  Source: 0,
  ReceiverDb: 1,
  ValidatorDb: 2,
  InboundKafka: 3,
  ProcessorDb: 4,
  OutboundKafka: 5,
  Destination: 6,
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

const STAGE_NAMES = ['source', 'receiver MongoDB', 'validator MongoDB', 'inbound Kafka', 'processor MongoDB', 'outbound Kafka', 'destination'] as const;
const STAGES = STAGE_NAMES.length;

export type SpecEvents = {
  Published: { batch: number };
  Stage: { stage: Stage; ids: readonly number[] };
  Delivered: { ids: readonly number[] };
  /** A driver checkpoint: every id of `batch` has reached `stage`. */
  ReachedStage: { batch: number; stage: Stage };
};

export interface SpecVars {
  readonly records: number;
  readonly batchSize: number;
  /** seen[stage * records + id] = times the id reached the stage. */
  readonly seen: Uint8Array;
  delivered: number;
}

type Ctx = MonitorContext<SpecVars, 'Pending' | 'AllDelivered'>;

function checkIds(ctx: Ctx, stage: Stage, ids: readonly number[]): void {
  const v = ctx.vars;
  const n = v.records;
  for (const id of ids) {
    if (!(id >= 0 && id < n)) ctx.assert(false, `unexpected record id ${id} at ${STAGE_NAMES[stage]}`);
    if (v.seen[(stage - 1) * n + id] === 0) {
      ctx.assert(false, () => `record ${id} reached ${STAGE_NAMES[stage]} before ${STAGE_NAMES[stage - 1]}`);
    }
    const k = stage * n + id;
    if (v.seen[k] !== 0 && (stage === Stage.OutboundKafka || stage === Stage.Destination)) {
      ctx.assert(false, () => `record ${id} duplicated at ${STAGE_NAMES[stage]}`);
    }
    v.seen[k] = 1;
  }
}

export function workload1Spec(batches: number, batchSize: number) {
  return defineMonitor<SpecEvents>()({
    name: 'Workload1Spec',
    start: 'Pending',
    vars: (): SpecVars => ({ records: batches * batchSize, batchSize, seen: new Uint8Array(STAGES * batches * batchSize), delivered: 0 }),
    describePending: (v) => pendingIds(v),
    states: {
      Pending: {
        hot: true,
        on: {
          Published(ctx, p) {
            const first = p.batch * ctx.vars.batchSize;
            for (let i = 0; i < ctx.vars.batchSize; i++) ctx.vars.seen[first + i] = 1;
          },
          Stage(ctx, p) {
            checkIds(ctx, p.stage, p.ids);
          },
          Delivered(ctx, p) {
            checkIds(ctx, Stage.Destination, p.ids);
            ctx.vars.delivered += p.ids.length;
            if (ctx.vars.delivered === ctx.vars.records) ctx.goto('AllDelivered');
          },
          ReachedStage(ctx, p) {
            const v = ctx.vars;
            const missing: number[] = [];
            for (let id = p.batch * v.batchSize; id < (p.batch + 1) * v.batchSize; id++) if (v.seen[p.stage * v.records + id] === 0) missing.push(id);
            ctx.assert(missing.length === 0, () => `batch ${p.batch + 1}: records ${compressRanges(missing)} never reached ${STAGE_NAMES[p.stage]}`);
          },
        },
      },
      AllDelivered: {
        on: {
          Stage(ctx, p) {
            checkIds(ctx, p.stage, p.ids);
          },
          Delivered(ctx, p) {
            checkIds(ctx, Stage.Destination, p.ids);
          },
        },
      },
    },
  });
}

/** "records 50-59 stuck after inbound Kafka; 60-61 stuck after source". */
function pendingIds(v: SpecVars): string {
  const byStage: number[][] = Array.from({ length: STAGES }, () => []);
  for (let id = 0; id < v.records; id++) {
    if (v.seen[Stage.Destination * v.records + id] !== 0) continue;
    let last = 0;
    for (let s = 0; s < STAGES; s++) if (v.seen[s * v.records + id] !== 0) last = s;
    byStage[last]?.push(id);
  }
  const parts: string[] = [];
  byStage.forEach((ids, s) => {
    if (ids.length > 0) parts.push(`records ${compressRanges(ids)} never got past ${STAGE_NAMES[s]}`);
  });
  return `${v.records - v.delivered} of ${v.records} not delivered: ${parts.join('; ')}`;
}

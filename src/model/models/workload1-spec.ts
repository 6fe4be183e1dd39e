/**
 * The Workload1 spec. Per record id (P's spec counts records per component; this one names them):
 * - stages in order: no id reaches a stage before the one upstream of it;
 * - duplicates at every stage: a Kafka stream or the destination never holds more copies of an id than
 *   the stage upstream handed on (source publishes for inbound Kafka, inbound appends for outbound,
 *   outbound appends for the destination); MongoDB writes are keyed by id, so a re-write is an upsert;
 * - order per key (optional): ids of one key (id mod `orderKeys`) reach the destination in publish order;
 * - liveness: the monitor stays hot until every id reached the destination and every MongoDB holds
 *   every id it stored in all three regional replicas.
 */
import { eventIds } from '../event-ids.js';
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
/** Databases (receiver, validator, processor) x regional replicas. */
const DBS = 3;
const REPLICA_REGIONS = 3;
const DB_STAGES: readonly Stage[] = [Stage.ReceiverDb, Stage.ValidatorDb, Stage.ProcessorDb];
/** Where a copy-carrying stage's copies come from. */
const COPIES_FROM: Partial<Record<Stage, Stage>> = { [Stage.InboundKafka]: Stage.Source, [Stage.OutboundKafka]: Stage.InboundKafka, [Stage.Destination]: Stage.OutboundKafka };
/** COPIES_FROM and DB_STAGES as arrays by stage (-1: no copy check), read on every event. */
const COPIES_FROM_BY_STAGE: readonly number[] = Array.from({ length: STAGES }, (_, s) => COPIES_FROM[s as Stage] ?? -1);
const IS_DB_STAGE: readonly boolean[] = Array.from({ length: STAGES }, (_, s) => DB_STAGES.includes(s as Stage));

export type SpecEvents = {
  /** The source sent the record (once per attempt). */
  Published: { id: number };
  Stage: { stage: Stage; ids: readonly number[] };
  Delivered: { ids: readonly number[] };
  /** A regional database stored the record (db 0-2: receiver, validator, processor; region 1-3). */
  Replica: { db: number; region: number; id: number };
};

/** The ids of the spec's events (announced by the machines). */
export const SpecEv = eventIds<SpecEvents>({ Published: true, Stage: true, Delivered: true, Replica: true });

export interface Workload1SpecOptions {
  /** Record ids are 1..records. */
  readonly records: number;
  /** 0: no order check. */
  readonly orderKeys: number;
}

export interface SpecVars {
  readonly records: number;
  readonly orderKeys: number;
  /** counts[stage * (records + 1) + id] = times the id reached the stage. */
  readonly counts: Uint16Array;
  readonly replicas: Uint8Array;
  /** Highest id delivered so far, per key. */
  readonly lastByKey: Int32Array;
  delivered: number;
  replicated: number;
  /** Replica slots owed: (db, region) pairs of every id the db acknowledged. */
  replicasOwed: number;
}

type Ctx = MonitorContext<SpecVars, 'Pending' | 'Done'>;

function checkStage(ctx: Ctx, stage: Stage, id: number): void {
  const v = ctx.vars;
  const w = v.records + 1;
  if (!(id >= 1 && id <= v.records)) ctx.assert(false, `unexpected record id ${id} at ${STAGE_NAMES[stage]}`);
  if (v.counts[(stage - 1) * w + id] === 0) ctx.assert(false, `record ${id} reached ${STAGE_NAMES[stage]} before ${STAGE_NAMES[stage - 1]}`);
  const k = stage * w + id;
  const from = COPIES_FROM_BY_STAGE[stage] as number;
  if (from >= 0 && (v.counts[k] as number) >= (v.counts[from * w + id] as number)) {
    const upstream = v.counts[from * w + id] as number;
    ctx.assert(false, `record ${id} duplicated at ${STAGE_NAMES[stage]}: copy ${upstream + 1}, but ${STAGE_NAMES[from]} ${from === Stage.Source ? 'published' : 'appended'} it ${upstream} time(s)`);
  }
  if (v.counts[k] === 0 && IS_DB_STAGE[stage] === true) v.replicasOwed += REPLICA_REGIONS;
  v.counts[k] = (v.counts[k] as number) + 1;
}

function deliver(ctx: Ctx, id: number): void {
  const v = ctx.vars;
  const first = v.counts[Stage.Destination * (v.records + 1) + id] === 0;
  checkStage(ctx, Stage.Destination, id);
  if (!first) return;
  v.delivered++;
  if (v.orderKeys === 0) return;
  const key = id % v.orderKeys;
  const last = v.lastByKey[key] as number;
  if (id < last) ctx.assert(false, `order: record ${id} (key ${key}) reached the destination after record ${last}, which was published later`);
  v.lastByKey[key] = id;
}

function replica(ctx: Ctx, p: SpecEvents['Replica']): void {
  const v = ctx.vars;
  const k = (p.db * REPLICA_REGIONS + p.region - 1) * (v.records + 1) + p.id;
  if (v.replicas[k] === 0) {
    v.replicas[k] = 1;
    v.replicated++;
  }
}

function settled(v: SpecVars): boolean {
  return v.delivered === v.records && v.replicated >= v.replicasOwed;
}

function onStage(ctx: Ctx, p: SpecEvents['Stage']): void {
  for (const id of p.ids) checkStage(ctx, p.stage, id);
}

function onDelivered(ctx: Ctx, p: SpecEvents['Delivered']): void {
  for (const id of p.ids) deliver(ctx, id);
  if (ctx.state === 'Pending' && settled(ctx.vars)) ctx.goto('Done');
}

const pending = {
  Published(ctx: Ctx, p: SpecEvents['Published']) {
    ctx.vars.counts[p.id] = (ctx.vars.counts[p.id] as number) + 1;
  },
  Stage: onStage,
  Delivered: onDelivered,
  Replica(ctx: Ctx, p: SpecEvents['Replica']) {
    replica(ctx, p);
    if (settled(ctx.vars)) ctx.goto('Done');
  },
};

export function workload1Spec(options: Workload1SpecOptions) {
  const { records, orderKeys } = options;
  return defineMonitor<SpecEvents>()({
    name: 'Workload1Spec',
    start: 'Pending',
    vars: (): SpecVars => ({
      records,
      orderKeys,
      counts: new Uint16Array(STAGES * (records + 1)),
      replicas: new Uint8Array(DBS * REPLICA_REGIONS * (records + 1)),
      lastByKey: new Int32Array(Math.max(1, orderKeys)),
      delivered: 0,
      replicated: 0,
      replicasOwed: 0,
    }),
    describePending: (v) => pendingIds(v),
    states: {
      Pending: { hot: true, on: pending },
      Done: { on: { Stage: onStage, Delivered: onDelivered } },
    },
  });
}

/** "3 of 150 not delivered: records 50-52 never got past inbound Kafka; ...". */
function pendingIds(v: SpecVars): string {
  const w = v.records + 1;
  const byStage: number[][] = Array.from({ length: STAGES }, () => []);
  for (let id = 1; id <= v.records; id++) {
    if (v.counts[Stage.Destination * w + id] !== 0) continue;
    let last = 0;
    for (let s = 0; s < STAGES; s++) if (v.counts[s * w + id] !== 0) last = s;
    byStage[last]?.push(id);
  }
  const parts: string[] = [];
  byStage.forEach((ids, s) => {
    if (ids.length > 0) parts.push(`records ${compressRanges(ids)} never got past ${STAGE_NAMES[s]}`);
  });
  const gaps = replicaGaps(v);
  return `${v.records - v.delivered} of ${v.records} not delivered${parts.length > 0 ? `: ${parts.join('; ')}` : ''}${gaps}`;
}

function replicaGaps(v: SpecVars): string {
  const w = v.records + 1;
  const parts: string[] = [];
  DB_STAGES.forEach((stage, db) => {
    for (let region = 1; region <= REPLICA_REGIONS; region++) {
      const missing: number[] = [];
      for (let id = 1; id <= v.records; id++) {
        if (v.counts[stage * w + id] !== 0 && v.replicas[(db * REPLICA_REGIONS + region - 1) * w + id] === 0) missing.push(id);
      }
      if (missing.length > 0) parts.push(`${STAGE_NAMES[stage]} region ${region} lacks records ${compressRanges(missing)}`);
    }
  });
  return parts.length > 0 ? `; replicas: ${parts.join('; ')}` : '';
}

/**
 * MongoDB Atlas (P: MongoDBAtlas) as a triad of regional databases (P: MongoRegionalDatabase):
 * with region 1 active an insert goes to region 1, is replicated synchronously to region 2, then
 * asynchronously to region 3, and is acknowledged; with region 2 active: 2, then 3, then 1.
 * P's blocking `receive` becomes the Await* states, which defer every other event as `receive` does.
 */
import { defineMachine, type MachineContext, type MachineRef } from '../../machine.js';
import { SpecEv, type SpecEvents, type Stage } from '../workload1-spec.js';
import { Ev, type MongoAtlasEvents, type MongoInsertReply, type MongoRegionalEvents } from './events.js';
import type { EventId } from '../../event-ids.js';

/** Which of the three Workload1 databases (receiver, validator, processor), for the spec. */
export type DbIndex = 0 | 1 | 2;

/**
 * The spec's announcements of the hottest events (one `Replica` per regional write, one `Stage` per
 * acknowledged insert) reuse one payload object per machine: the spec and the trace read a payload
 * only while it is announced, so no allocation per announcement is needed.
 */
interface RegionalVars {
  readonly replica: SpecEvents['Replica'];
}

export const MongoRegionalDatabase = defineMachine<MongoRegionalEvents>()({
  name: 'MongoRegionalDatabase',
  start: 'ProcessRecords',
  vars: (init: { db: DbIndex; region: number }): RegionalVars => ({ replica: { db: init.db, region: init.region, id: 0 } }),
  states: {
    ProcessRecords: {
      on: {
        MongoInsertRecord(ctx, p) {
          const replica = ctx.vars.replica;
          replica.id = p.record;
          ctx.announce(SpecEv.Replica, replica);
          ctx.send(p.replyTo, Ev.MongoInsertRecordCompleted, { record: p.record, success: true });
        },
        MongoFail: (ctx) => ctx.goto('FailedProcessing'),
        MongoKill: (ctx) => ctx.halt(),
      },
      ignore: ['MongoRecover'],
    },
    FailedProcessing: {
      on: { MongoRecover: (ctx) => ctx.goto('ProcessRecords'), MongoKill: (ctx) => ctx.halt() },
      defer: ['MongoInsertRecord'],
      ignore: ['MongoFail'],
    },
  },
});

interface AtlasVars {
  readonly stage: Stage;
  /** Regional databases of regions 1, 2, 3. */
  readonly regions: readonly MachineRef<MongoRegionalEvents>[];
  activeRegion: 1 | 2;
  pending: { record: number; replyTo: MachineRef<MongoInsertReply> } | null;
  primarySuccess: boolean;
  /** The `Stage` announcement, reused (see RegionalVars): its one id is the acknowledged record. */
  readonly stored: { readonly stage: Stage; readonly ids: number[] };
}
type AtlasState = 'Region1Active' | 'Region2Active' | 'AwaitPrimary' | 'AwaitSync' | 'FailedProcessing';
type AtlasCtx = MachineContext<MongoAtlasEvents, AtlasVars, AtlasState>;

/** Regions (indexes of `regions`) in replication order for an active region: primary, synchronous, asynchronous. */
const REGION1_ORDER = [0, 1, 2] as const;
const REGION2_ORDER = [1, 2, 0] as const;

function replicationOrder(active: 1 | 2): readonly [number, number, number] {
  return active === 1 ? REGION1_ORDER : REGION2_ORDER;
}

function regional(ctx: AtlasCtx, slot: 0 | 1 | 2): MachineRef<MongoRegionalEvents> {
  return ctx.vars.regions[replicationOrder(ctx.vars.activeRegion)[slot]] as MachineRef<MongoRegionalEvents>;
}

function toAll(ctx: AtlasCtx, event: EventId<'MongoFail' | 'MongoRecover' | 'MongoKill'>): void {
  for (const r of ctx.vars.regions) ctx.send(r, event, undefined);
}

function announceStored(ctx: AtlasCtx, record: number): void {
  const stored = ctx.vars.stored;
  stored.ids[0] = record;
  ctx.announce(SpecEv.Stage, stored);
}

function activeState(v: AtlasVars): AtlasState {
  return v.activeRegion === 1 ? 'Region1Active' : 'Region2Active';
}

/** Region1Active and Region2Active differ only in `activeRegion` (P duplicates the handlers). */
const active = {
  on: {
    MongoInsertRecord(ctx: AtlasCtx, p: MongoAtlasEvents['MongoInsertRecord']) {
      ctx.vars.pending = p;
      ctx.send(regional(ctx, 0), Ev.MongoInsertRecord, { record: p.record, replyTo: ctx.self });
      ctx.goto('AwaitPrimary');
    },
    MongoSwitchRegions(ctx: AtlasCtx, p: MongoAtlasEvents['MongoSwitchRegions']) {
      ctx.send(p.replyTo, Ev.MongoSwitchRegionsCompleted, { success: true });
      ctx.vars.activeRegion = ctx.vars.activeRegion === 1 ? 2 : 1;
      ctx.goto(activeState(ctx.vars));
    },
    MongoFail(ctx: AtlasCtx) {
      toAll(ctx, Ev.MongoFail);
      ctx.goto('FailedProcessing');
    },
    MongoKill(ctx: AtlasCtx) {
      toAll(ctx, Ev.MongoKill);
      ctx.halt();
    },
  },
  // Late replies of the asynchronous replica.
  ignore: ['MongoRecover', 'MongoInsertRecordCompleted'] as const,
};

/** Inside P's `receive`: every event but the awaited reply waits. */
const AWAITING = ['MongoInsertRecord', 'MongoSwitchRegions', 'MongoFail', 'MongoRecover', 'MongoKill'] as const;

export const MongoDBAtlas = defineMachine<MongoAtlasEvents>()({
  name: 'MongoDBAtlas',
  start: 'Region1Active',
  vars: (init: { stage: Stage; regions: readonly MachineRef<MongoRegionalEvents>[] }): AtlasVars => ({
    stage: init.stage,
    regions: init.regions,
    activeRegion: 1,
    pending: null,
    primarySuccess: false,
    stored: { stage: init.stage, ids: [0] },
  }),
  states: {
    Region1Active: active,
    Region2Active: active,
    AwaitPrimary: {
      on: {
        // Like P's `receive`, this takes the first completion in the inbox, whichever replica sent it.
        MongoInsertRecordCompleted(ctx, p) {
          ctx.vars.primarySuccess = p.success;
          const record = ctx.vars.pending?.record ?? p.record;
          ctx.send(regional(ctx, 1), Ev.MongoInsertRecord, { record, replyTo: ctx.self });
          ctx.goto('AwaitSync');
        },
      },
      defer: AWAITING,
    },
    AwaitSync: {
      on: {
        MongoInsertRecordCompleted(ctx, p) {
          const v = ctx.vars;
          const pending = v.pending;
          if (pending === null) throw new Error('MongoDBAtlas: no insert pending');
          v.pending = null;
          const success = v.primarySuccess && p.success;
          ctx.send(regional(ctx, 2), Ev.MongoInsertRecord, { record: pending.record, replyTo: ctx.self });
          if (success) announceStored(ctx, pending.record);
          ctx.send(pending.replyTo, Ev.MongoInsertRecordCompleted, { record: pending.record, success });
          ctx.goto(activeState(v));
        },
      },
      defer: AWAITING,
    },
    FailedProcessing: {
      on: {
        MongoInsertRecord(ctx, p) {
          ctx.send(p.replyTo, Ev.MongoInsertRecordCompleted, { record: p.record, success: false });
        },
        MongoRecover(ctx) {
          toAll(ctx, Ev.MongoRecover);
          ctx.goto(activeState(ctx.vars));
        },
        MongoKill(ctx) {
          toAll(ctx, Ev.MongoKill);
          ctx.halt();
        },
      },
      ignore: ['MongoFail', 'MongoInsertRecordCompleted'],
    },
  },
});

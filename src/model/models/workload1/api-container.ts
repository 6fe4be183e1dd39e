/**
 * The two API containers (P: APIMongoAPIContainer, the receiver, and APIMongoKafkaContainer, the
 * validator): on Invoke, insert the record into MongoDB, then hand it on (invoke the validator, or
 * send it to inbound Kafka), then answer the caller with success or failure. A failed dependency
 * moves the container to FailedDependency, an injected ContainerFail to FailedProcessing; both answer
 * every Invoke with `success: false` until ContainerRecover.
 */
import { defineMachine, type MachineContext, type MachineDef, type MachineRef } from '../../machine.js';
import { Ev, type ApiContainerEvents, type InvokeReply, type KafkaEvents, type MongoAtlasEvents } from './events.js';

/** Where the container hands a stored record: the validator's API or a Kafka stream. */
export type ApiNext = { readonly kind: 'api'; readonly to: MachineRef<ApiContainerEvents> } | { readonly kind: 'kafka'; readonly to: MachineRef<KafkaEvents> };

interface ApiVars {
  readonly database: MachineRef<MongoAtlasEvents>;
  readonly next: ApiNext;
  count: number;
  pending: { record: number; replyTo: MachineRef<InvokeReply> } | null;
}
type ApiState = 'ProcessRecords' | 'AwaitDatabase' | 'AwaitNext' | 'FailedDependency' | 'FailedProcessing';
type ApiCtx = MachineContext<ApiContainerEvents, ApiVars, ApiState>;

function forward(ctx: ApiCtx, record: number): void {
  const next = ctx.vars.next;
  if (next.kind === 'api') ctx.send(next.to, Ev.Invoke, { record, replyTo: ctx.self });
  else ctx.send(next.to, Ev.KafkaSendRecords, { records: [record], replyTo: ctx.self });
}

/** P: reply to the invoker, then FailedDependency on failure. */
function finish(ctx: ApiCtx, success: boolean): void {
  const pending = ctx.vars.pending;
  if (pending === null) throw new Error(`${ctx.self.name}: no invocation pending`);
  ctx.vars.pending = null;
  ctx.send(pending.replyTo, Ev.InvokeCompleted, { record: pending.record, success });
  ctx.goto(success ? 'ProcessRecords' : 'FailedDependency');
}

const AWAITING = ['Invoke', 'ContainerFail', 'ContainerRecover', 'ContainerKill'] as const;

const failed = {
  on: {
    Invoke(ctx: ApiCtx, p: ApiContainerEvents['Invoke']) {
      ctx.send(p.replyTo, Ev.InvokeCompleted, { record: p.record, success: false });
    },
    ContainerRecover: (ctx: ApiCtx) => ctx.goto('ProcessRecords'),
    ContainerKill: (ctx: ApiCtx) => ctx.halt(),
  },
  ignore: ['ContainerFail'] as const,
};

function apiContainer(name: string): MachineDef<ApiContainerEvents, ApiVars, ApiState, { database: MachineRef<MongoAtlasEvents>; next: ApiNext }> {
  return defineMachine<ApiContainerEvents>()({
    name,
    start: 'ProcessRecords',
    vars: (init: { database: MachineRef<MongoAtlasEvents>; next: ApiNext }): ApiVars => ({ database: init.database, next: init.next, count: 0, pending: null }),
    states: {
      ProcessRecords: {
        on: {
          Invoke(ctx, p) {
            ctx.vars.count++;
            ctx.vars.pending = p;
            ctx.send(ctx.vars.database, Ev.MongoInsertRecord, { record: p.record, replyTo: ctx.self });
            ctx.goto('AwaitDatabase');
          },
          ContainerFail: (ctx) => ctx.goto('FailedProcessing'),
          ContainerKill: (ctx) => ctx.halt(),
        },
        ignore: ['ContainerRecover'],
      },
      AwaitDatabase: {
        on: {
          MongoInsertRecordCompleted(ctx, p) {
            if (!p.success) {
              finish(ctx, false);
              return;
            }
            forward(ctx, p.record);
            ctx.goto('AwaitNext');
          },
        },
        defer: AWAITING,
      },
      AwaitNext: {
        on: {
          InvokeCompleted: (ctx, p) => finish(ctx, p.success),
          KafkaSendRecordsCompleted: (ctx, p) => finish(ctx, p.success),
        },
        defer: AWAITING,
      },
      FailedDependency: failed,
      FailedProcessing: failed,
    },
  });
}

/** P: APIMongoAPIContainer (the receiver, #3). */
export const APIMongoAPIContainer = apiContainer('APIMongoAPIContainer');
/** P: APIMongoKafkaContainer (the validator, #4). */
export const APIMongoKafkaContainer = apiContainer('APIMongoKafkaContainer');

/**
 * The processor (P: KafkaMongoKafkaContainer): take a batch from inbound Kafka, insert its records
 * into MongoDB one at a time, send the batch to outbound Kafka, remove it from inbound Kafka, ask for
 * the next batch. Any failed step stops the rest and moves it to FailedDependency; on recovery it asks
 * inbound Kafka again and gets the same batch (nothing was removed), so the work is at least once.
 */
import { defineMachine, type MachineContext, type MachineRef } from '../../machine.js';
import { Ev, type Ids, type KafkaEvents, type MongoAtlasEvents, type ProcessorEvents } from './events.js';

interface ProcessorVars {
  readonly inKafka: MachineRef<KafkaEvents>;
  readonly database: MachineRef<MongoAtlasEvents>;
  readonly outKafka: MachineRef<KafkaEvents>;
  /** Planted bug: remove from inbound Kafka before sending to outbound Kafka. */
  readonly removeFirst: boolean;
  count: number;
  records: Ids;
  /** Next record of `records` to insert. */
  index: number;
}
type ProcessorState = 'Init' | 'ProcessRecords' | 'AwaitDatabase' | 'AwaitSend' | 'AwaitRemove' | 'FailedDependency' | 'FailedProcessing';
type ProcessorCtx = MachineContext<ProcessorEvents, ProcessorVars, ProcessorState>;

function receive(ctx: ProcessorCtx): void {
  ctx.send(ctx.vars.inKafka, Ev.KafkaReceiveRecords, { consumer: ctx.self });
}

function insertNext(ctx: ProcessorCtx): void {
  const record = ctx.vars.records[ctx.vars.index] as number;
  ctx.send(ctx.vars.database, Ev.MongoInsertRecord, { record, replyTo: ctx.self });
  ctx.goto('AwaitDatabase');
}

function sendOut(ctx: ProcessorCtx): void {
  ctx.send(ctx.vars.outKafka, Ev.KafkaSendRecords, { records: ctx.vars.records, replyTo: ctx.self });
  ctx.goto('AwaitSend');
}

function removeIn(ctx: ProcessorCtx): void {
  ctx.send(ctx.vars.inKafka, Ev.KafkaRemoveRecords, { records: ctx.vars.records, replyTo: ctx.self });
  ctx.goto('AwaitRemove');
}

function nextBatch(ctx: ProcessorCtx): void {
  receive(ctx);
  ctx.goto('ProcessRecords');
}

/** Inside P's `receive`: every event but the awaited reply waits. */
const AWAITING = ['KafkaReceiveRecordsResponse', 'ContainerFail', 'ContainerRecover', 'ContainerKill'] as const;

export const KafkaMongoKafkaContainer = defineMachine<ProcessorEvents>()({
  name: 'KafkaMongoKafkaContainer',
  start: 'Init',
  vars: (init: { inKafka: MachineRef<KafkaEvents>; database: MachineRef<MongoAtlasEvents>; outKafka: MachineRef<KafkaEvents>; removeFirst: boolean }): ProcessorVars => ({
    inKafka: init.inKafka,
    database: init.database,
    outKafka: init.outKafka,
    removeFirst: init.removeFirst,
    count: 0,
    records: [],
    index: 0,
  }),
  states: {
    Init: { entry: nextBatch },
    ProcessRecords: {
      on: {
        KafkaReceiveRecordsResponse(ctx, p) {
          if (!p.success) {
            ctx.goto('FailedDependency');
            return;
          }
          ctx.vars.count++;
          ctx.vars.records = p.records;
          ctx.vars.index = 0;
          insertNext(ctx);
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
            ctx.goto('FailedDependency');
            return;
          }
          if (++ctx.vars.index < ctx.vars.records.length) {
            insertNext(ctx);
            return;
          }
          if (ctx.vars.removeFirst) removeIn(ctx);
          else sendOut(ctx);
        },
      },
      defer: AWAITING,
    },
    AwaitSend: {
      on: {
        KafkaSendRecordsCompleted(ctx, p) {
          if (!p.success) {
            ctx.goto('FailedDependency');
            return;
          }
          if (ctx.vars.removeFirst) nextBatch(ctx);
          else removeIn(ctx);
        },
      },
      defer: AWAITING,
    },
    AwaitRemove: {
      on: {
        KafkaRemoveRecordsCompleted(ctx, p) {
          if (!p.success) {
            ctx.goto('FailedDependency');
            return;
          }
          if (ctx.vars.removeFirst) sendOut(ctx);
          else nextBatch(ctx);
        },
      },
      defer: AWAITING,
    },
    FailedDependency: {
      on: { ContainerRecover: nextBatch, ContainerKill: (ctx) => ctx.halt() },
      defer: ['KafkaReceiveRecordsResponse'],
      ignore: ['ContainerFail'],
    },
    FailedProcessing: {
      on: { ContainerRecover: (ctx) => ctx.goto('ProcessRecords'), ContainerKill: (ctx) => ctx.halt() },
      defer: ['KafkaReceiveRecordsResponse'],
      ignore: ['ContainerFail'],
    },
  },
});

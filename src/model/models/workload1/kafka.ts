/**
 * Kafka (P: Kafka). As in P it is a queue: a send appends every record (no de-duplication unless
 * `dedupe` is 'idempotent'), a registered receiver is handed the first `batch` records once at least
 * `batch` are queued, and records leave only when the consumer removes them. A failed Kafka keeps its
 * records and answers every request with `success: false`.
 */
import { defineMachine, type MachineContext, type MachineRef } from '../../machine.js';
import { SpecEv, type Stage } from '../workload1-spec.js';
import { Ev, type Ids, type KafkaConsumerEvents, type KafkaEvents, type KafkaNotifyReply } from './events.js';
import type { Dedupe } from './options.js';

interface KafkaVars {
  readonly stage: Stage;
  readonly region: number;
  readonly batch: number;
  /** Ids ever appended (only with the idempotent option). */
  readonly present: Uint8Array | null;
  readonly records: number[];
  /** Records sent to this Kafka, appended or not (P's `count`). */
  count: number;
  readonly receivers: MachineRef<KafkaConsumerEvents>[];
  notificationCount: number;
  notificationInvoker: MachineRef<KafkaNotifyReply> | null;
}
type KafkaCtx = MachineContext<KafkaEvents, KafkaVars, 'ProcessRecords' | 'FailedProcessing'>;

/** P: hand the head batch to each waiting receiver while a full batch is queued. */
function deliverBatches(ctx: KafkaCtx): void {
  const v = ctx.vars;
  const waiting = v.receivers.length;
  for (let i = 0; i < waiting && v.records.length >= v.batch; i++) {
    const receiver = v.receivers.shift() as MachineRef<KafkaConsumerEvents>;
    ctx.send(receiver, Ev.KafkaReceiveRecordsResponse, { records: v.records.slice(0, v.batch), region: v.region, success: true });
  }
}

function append(ctx: KafkaCtx, records: Ids): void {
  const v = ctx.vars;
  let appended: number[] | null = null;
  for (let i = 0; i < records.length; i++) {
    const id = records[i] as number;
    v.count++;
    if (v.present !== null) {
      if (v.present[id] === 1) {
        appended ??= records.slice(0, i);
        continue;
      }
      v.present[id] = 1;
    }
    v.records.push(id);
    appended?.push(id);
  }
  const ids = appended ?? records;
  if (ids.length > 0) ctx.announce(SpecEv.Stage, { stage: v.stage, ids });
}

/** Whether `records` are the first records queued, in order (the usual case: the consumer removes the batch it was handed). */
function atHead(queued: readonly number[], records: Ids): boolean {
  if (records.length > queued.length) return false;
  for (let i = 0; i < records.length; i++) if (queued[i] !== records[i]) return false;
  return true;
}

/** Removes the first occurrence of each of `records` (at the head: one splice instead of one per record). */
function removeRecords(v: KafkaVars, records: Ids): void {
  if (atHead(v.records, records)) {
    v.records.splice(0, records.length);
    return;
  }
  for (const id of records) {
    const at = v.records.indexOf(id);
    if (at >= 0) v.records.splice(at, 1);
  }
}

export const Kafka = defineMachine<KafkaEvents>()({
  name: 'Kafka',
  start: 'ProcessRecords',
  vars: (init: { stage: Stage; region: number; batch: number; dedupe: Dedupe; maxId: number }): KafkaVars => ({
    stage: init.stage,
    region: init.region,
    batch: init.batch,
    present: init.dedupe === 'idempotent' ? new Uint8Array(init.maxId + 1) : null,
    records: [],
    count: 0,
    receivers: [],
    notificationCount: -1,
    notificationInvoker: null,
  }),
  states: {
    ProcessRecords: {
      on: {
        KafkaSendRecords(ctx, p) {
          append(ctx, p.records);
          deliverBatches(ctx);
          const v = ctx.vars;
          if (v.count === v.notificationCount && v.notificationInvoker !== null) {
            ctx.send(v.notificationInvoker, Ev.KafkaReceiveNotificationResponse, { count: v.count, success: true });
          }
          ctx.send(p.replyTo, Ev.KafkaSendRecordsCompleted, { records: p.records, success: true });
        },
        KafkaReceiveRecords(ctx, p) {
          for (const r of ctx.vars.receivers) if (r.id === p.consumer.id) return;
          ctx.vars.receivers.push(p.consumer);
          deliverBatches(ctx);
        },
        KafkaRemoveRecords(ctx, p) {
          removeRecords(ctx.vars, p.records);
          ctx.send(p.replyTo, Ev.KafkaRemoveRecordsCompleted, { records: p.records, success: true });
        },
        KafkaReceiveNotification(ctx, p) {
          ctx.vars.notificationCount = p.count;
          ctx.vars.notificationInvoker = p.replyTo;
        },
        KafkaFail(ctx, p) {
          ctx.send(p.replyTo, Ev.KafkaFailCompleted, undefined);
          ctx.goto('FailedProcessing');
        },
        KafkaKill: (ctx) => ctx.halt(),
      },
      ignore: ['KafkaRecover'],
    },
    FailedProcessing: {
      on: {
        KafkaSendRecords(ctx, p) {
          ctx.send(p.replyTo, Ev.KafkaSendRecordsCompleted, { records: p.records, success: false });
        },
        KafkaReceiveRecords(ctx, p) {
          ctx.send(p.consumer, Ev.KafkaReceiveRecordsResponse, { records: [], region: ctx.vars.region, success: false });
        },
        KafkaRemoveRecords(ctx, p) {
          ctx.send(p.replyTo, Ev.KafkaRemoveRecordsCompleted, { records: p.records, success: false });
        },
        KafkaReceiveNotification(ctx, p) {
          ctx.send(p.replyTo, Ev.KafkaReceiveNotificationResponse, { count: p.count, success: false });
        },
        KafkaRecover: (ctx) => ctx.goto('ProcessRecords'),
        KafkaKill: (ctx) => ctx.halt(),
      },
      ignore: ['KafkaFail'],
    },
  },
});

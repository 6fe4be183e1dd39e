/**
 * The record source (P: RecordSourceDNSWeightedAPI) publishes a batch one record at a time through
 * the in-DNS and stops at the first failure; the record destination (P:
 * RecordDestinationDNSWeightedKafka) takes batches from both outbound Kafka streams through the out-DNS.
 */
import { defineMachine, type MachineContext, type MachineRef } from '../../machine.js';
import type { Dedupe } from './options.js';
import { Ev, type DestinationEvents, type DestinationNotify, type InDnsEvents, type OutDnsEvents, type SourceEvents, type SourceNotify } from './events.js';
import { SpecEv } from '../workload1-spec.js';

interface SourceVars {
  readonly dns: MachineRef<InDnsEvents>;
  readonly batchSize: number;
  batch: number;
  /** Records of the batch sent so far (P's `count`). */
  count: number;
  replyTo: MachineRef<SourceNotify> | null;
}
type SourceCtx = MachineContext<SourceEvents, SourceVars, 'Ready' | 'AwaitDns'>;

function sendNext(ctx: SourceCtx): void {
  const v = ctx.vars;
  const record = (v.batch - 1) * v.batchSize + v.count + 1;
  v.count++;
  ctx.announce(SpecEv.Published, { id: record });
  ctx.send(v.dns, Ev.SendRecord, { record, replyTo: ctx.self });
  ctx.goto('AwaitDns');
}

function notify(ctx: SourceCtx, success: boolean): void {
  const v = ctx.vars;
  if (v.replyTo !== null) ctx.send(v.replyTo, Ev.GenerateRecordsNotification, { batch: v.batch, count: v.count, success });
  ctx.goto('Ready');
}

export const RecordSourceDNSWeightedAPI = defineMachine<SourceEvents>()({
  name: 'RecordSourceDNSWeightedAPI',
  start: 'Ready',
  vars: (init: { dns: MachineRef<InDnsEvents>; batchSize: number }): SourceVars => ({ dns: init.dns, batchSize: init.batchSize, batch: 0, count: 0, replyTo: null }),
  states: {
    Ready: {
      on: {
        GenerateRecords(ctx, p) {
          ctx.vars.batch = p.batch;
          ctx.vars.count = 0;
          ctx.vars.replyTo = p.replyTo;
          sendNext(ctx);
        },
      },
    },
    AwaitDns: {
      on: {
        SendRecordCompleted(ctx, p) {
          if (!p.success) {
            notify(ctx, false);
            return;
          }
          if (ctx.vars.count < ctx.vars.batchSize) sendNext(ctx);
          else notify(ctx, true);
        },
      },
      defer: ['GenerateRecords'],
    },
  },
});

interface DestinationVars {
  readonly dns: MachineRef<OutDnsEvents>;
  /** Idempotent option: ids already received (a re-read record is dropped, not delivered again). */
  readonly seen: Uint8Array | null;
  received: number;
  count: number;
  invoker: MachineRef<DestinationNotify> | null;
  region: number;
}
type DestinationCtx = MachineContext<DestinationEvents, DestinationVars, 'Init' | 'ProcessRecords' | 'AwaitRemove'>;

function askFor(ctx: DestinationCtx, region: number): void {
  ctx.send(ctx.vars.dns, Ev.DnsReceiveRecords, { region, consumer: ctx.self });
}

export const RecordDestinationDNSWeightedKafka = defineMachine<DestinationEvents>()({
  name: 'RecordDestinationDNSWeightedKafka',
  start: 'Init',
  vars: (init: { dns: MachineRef<OutDnsEvents>; dedupe: Dedupe; maxId: number }): DestinationVars => ({
    dns: init.dns,
    seen: init.dedupe === 'idempotent' ? new Uint8Array(init.maxId + 1) : null,
    received: 0,
    count: -1,
    invoker: null,
    region: 0,
  }),
  states: {
    Init: {
      entry(ctx) {
        askFor(ctx, 1);
        askFor(ctx, 2);
        ctx.goto('ProcessRecords');
      },
    },
    ProcessRecords: {
      on: {
        KafkaReceiveRecordsResponse(ctx, p) {
          const v = ctx.vars;
          if (!p.success) {
            askFor(ctx, p.region);
            return;
          }
          const fresh = v.seen === null ? p.records : p.records.filter((id) => v.seen?.[id] !== 1);
          if (v.seen !== null) for (const id of fresh) v.seen[id] = 1;
          if (fresh.length > 0) ctx.announce(SpecEv.Delivered, { ids: fresh });
          // P checks `sizeof(records) == count` after each record of the batch.
          const before = v.received;
          v.received += p.records.length;
          if (v.invoker !== null && v.count > before && v.count <= v.received) ctx.send(v.invoker, Ev.DestinationReceiveNotificationResponse, { count: v.count });
          v.region = p.region;
          ctx.send(v.dns, Ev.DnsRemoveRecords, { region: p.region, records: p.records, replyTo: ctx.self });
          ctx.goto('AwaitRemove');
        },
        DestinationReceiveNotification(ctx, p) {
          ctx.vars.count = p.count;
          ctx.vars.invoker = p.replyTo;
        },
      },
    },
    AwaitRemove: {
      on: {
        DnsRemoveRecordsCompleted(ctx) {
          askFor(ctx, ctx.vars.region);
          ctx.goto('ProcessRecords');
        },
      },
      defer: ['KafkaReceiveRecordsResponse', 'DestinationReceiveNotification'],
    },
  },
});

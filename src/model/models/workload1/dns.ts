/**
 * Route 53 (P: Route53DNSWeightedAPI in front of the receivers, Route53DNSWeightedKafka in front of
 * the outbound Kafka streams). Both take a region offline with SwitchRegionOffline and then send
 * everything to the other region.
 */
import { defineMachine, type MachineContext, type MachineRef } from '../../machine.js';
import { Ev, type ApiContainerEvents, type InDnsEvents, type KafkaEvents, type OutDnsEvents, type SendRecordReply } from './events.js';
import type { Routing } from './options.js';

/** The region a request for `region` goes to while `offline` (0: none) is offline. */
function effectiveRegion(region: number, offline: number): number {
  if (offline === 0) return region;
  return offline === 1 ? 2 : 1;
}

interface InDnsVars {
  readonly receivers: readonly MachineRef<ApiContainerEvents>[];
  readonly routing: Routing;
  readonly weights: readonly number[];
  currentRegion: number;
  offlineRegion: number;
  pending: { record: number; replyTo: MachineRef<SendRecordReply> } | null;
}
type InDnsCtx = MachineContext<InDnsEvents, InDnsVars, 'ProcessRecords' | 'AwaitReceiver'>;

function pickRegion(ctx: InDnsCtx): number {
  const v = ctx.vars;
  if (v.offlineRegion !== 0) return effectiveRegion(1, v.offlineRegion);
  return v.routing === 'random' ? ctx.chooseWeighted(v.weights) + 1 : v.currentRegion;
}

export const Route53DNSWeightedAPI = defineMachine<InDnsEvents>()({
  name: 'Route53DNSWeightedAPI',
  start: 'ProcessRecords',
  vars: (init: { receivers: readonly MachineRef<ApiContainerEvents>[]; routing: Routing; weights: readonly number[] }): InDnsVars => ({
    receivers: init.receivers,
    routing: init.routing,
    weights: init.weights,
    currentRegion: 1,
    // Active-passive: region 2 is the standby, offline until a failover.
    offlineRegion: init.routing === 'active-passive' ? 2 : 0,
    pending: null,
  }),
  states: {
    ProcessRecords: {
      on: {
        SendRecord(ctx, p) {
          ctx.vars.pending = p;
          const receiver = ctx.vars.receivers[pickRegion(ctx) - 1] as MachineRef<ApiContainerEvents>;
          ctx.send(receiver, Ev.Invoke, { record: p.record, replyTo: ctx.self });
          ctx.goto('AwaitReceiver');
        },
        SwitchRegionOffline(ctx, p) {
          ctx.vars.offlineRegion = p.region;
        },
      },
    },
    AwaitReceiver: {
      on: {
        InvokeCompleted(ctx, p) {
          const v = ctx.vars;
          const pending = v.pending;
          if (pending === null) throw new Error('Route53DNSWeightedAPI: no record pending');
          v.pending = null;
          ctx.send(pending.replyTo, Ev.SendRecordCompleted, { record: pending.record, success: p.success });
          // P: alternate only after a success, and only while both regions are online.
          if (v.offlineRegion === 0 && p.success) v.currentRegion = v.currentRegion === 1 ? 2 : 1;
          ctx.goto('ProcessRecords');
        },
      },
      defer: ['SendRecord', 'SwitchRegionOffline'],
    },
  },
});

interface OutDnsVars {
  readonly kafkas: readonly MachineRef<KafkaEvents>[];
  offlineRegion: number;
  pending: OutDnsEvents['DnsRemoveRecords'] | null;
}

function kafkaFor(v: OutDnsVars, region: number): MachineRef<KafkaEvents> {
  return v.kafkas[effectiveRegion(region, v.offlineRegion) - 1] as MachineRef<KafkaEvents>;
}

export const Route53DNSWeightedKafka = defineMachine<OutDnsEvents>()({
  name: 'Route53DNSWeightedKafka',
  start: 'ProcessRecords',
  vars: (init: { kafkas: readonly MachineRef<KafkaEvents>[] }): OutDnsVars => ({ kafkas: init.kafkas, offlineRegion: 0, pending: null }),
  states: {
    ProcessRecords: {
      on: {
        DnsReceiveRecords(ctx, p) {
          ctx.send(kafkaFor(ctx.vars, p.region), Ev.KafkaReceiveRecords, { consumer: p.consumer });
        },
        DnsRemoveRecords(ctx, p) {
          ctx.vars.pending = p;
          ctx.send(kafkaFor(ctx.vars, p.region), Ev.KafkaRemoveRecords, { records: p.records, replyTo: ctx.self });
          ctx.goto('AwaitRemove');
        },
        SwitchRegionOffline(ctx, p) {
          ctx.vars.offlineRegion = p.region;
        },
      },
    },
    AwaitRemove: {
      on: {
        KafkaRemoveRecordsCompleted(ctx) {
          const pending = ctx.vars.pending;
          if (pending === null) throw new Error('Route53DNSWeightedKafka: no removal pending');
          ctx.vars.pending = null;
          // P answers success whatever Kafka said.
          ctx.send(pending.replyTo, Ev.DnsRemoveRecordsCompleted, { success: true });
          ctx.goto('ProcessRecords');
        },
      },
      defer: ['DnsReceiveRecords', 'DnsRemoveRecords', 'SwitchRegionOffline'],
    },
  },
});

/**
 * Workload1 events, one map per machine, named after the P events of
 * aws-samples/p-model-transaction-processing-systems (the `e` prefix and the container-type prefix
 * dropped: our events go to one machine, so `eAPIMongoAPIContainerInvoke` is `Invoke` on a receiver).
 * A record is its id (P's `tRecord.recordValue` is random data no check reads); ids start at 1 as in P.
 */
import { eventIds } from '../../event-ids.js';
import type { MachineRef } from '../../machine.js';

export type Ids = readonly number[];

// ---- MongoDB (P: PSrc/Database/MongoDBAtlas.p) ----
export type MongoInsertReply = { MongoInsertRecordCompleted: { record: number; success: boolean } };
export type MongoSwitchReply = { MongoSwitchRegionsCompleted: { success: boolean } };
export type MongoControl = { MongoFail: undefined; MongoRecover: undefined; MongoKill: undefined };
export type MongoRegionalEvents = { MongoInsertRecord: { record: number; replyTo: MachineRef<MongoInsertReply> } } & MongoControl;
export type MongoAtlasEvents = MongoRegionalEvents & MongoInsertReply & { MongoSwitchRegions: { replyTo: MachineRef<MongoSwitchReply> } };

// ---- Kafka (P: PSrc/Stream/Kafka.p) ----
export type KafkaSendReply = { KafkaSendRecordsCompleted: { records: Ids; success: boolean } };
export type KafkaConsumerEvents = { KafkaReceiveRecordsResponse: { records: Ids; region: number; success: boolean } };
export type KafkaRemoveReply = { KafkaRemoveRecordsCompleted: { records: Ids; success: boolean } };
export type KafkaNotifyReply = { KafkaReceiveNotificationResponse: { count: number; success: boolean } };
export type KafkaFailReply = { KafkaFailCompleted: undefined };
export type KafkaEvents = {
  KafkaSendRecords: { records: Ids; replyTo: MachineRef<KafkaSendReply> };
  KafkaReceiveRecords: { consumer: MachineRef<KafkaConsumerEvents> };
  KafkaRemoveRecords: { records: Ids; replyTo: MachineRef<KafkaRemoveReply> };
  KafkaReceiveNotification: { count: number; replyTo: MachineRef<KafkaNotifyReply> };
  KafkaFail: { replyTo: MachineRef<KafkaFailReply> };
  KafkaRecover: undefined;
  KafkaKill: undefined;
};

// ---- Containers (P: PSrc/Container/*.p) ----
export type InvokeReply = { InvokeCompleted: { record: number; success: boolean } };
/** P: e<ContainerType>Fail / Recover / Kill. */
export type ContainerControl = { ContainerFail: undefined; ContainerRecover: undefined; ContainerKill: undefined };
export type ApiContainerEvents = { Invoke: { record: number; replyTo: MachineRef<InvokeReply> } } & ContainerControl & MongoInsertReply & InvokeReply & KafkaSendReply;
export type ProcessorEvents = KafkaConsumerEvents & MongoInsertReply & KafkaSendReply & KafkaRemoveReply & ContainerControl;

// ---- DNS (P: PSrc/DNS/Route53DNSWeightedAPI.p, Route53DNSWeightedKafka.p) ----
export type SendRecordReply = { SendRecordCompleted: { record: number; success: boolean } };
export type SwitchRegionOffline = { SwitchRegionOffline: { region: number } };
export type InDnsEvents = { SendRecord: { record: number; replyTo: MachineRef<SendRecordReply> } } & SwitchRegionOffline & InvokeReply;
export type DnsRemoveReply = { DnsRemoveRecordsCompleted: { success: boolean } };
export type OutDnsEvents = {
  DnsReceiveRecords: { region: number; consumer: MachineRef<KafkaConsumerEvents> };
  DnsRemoveRecords: { region: number; records: Ids; replyTo: MachineRef<DnsRemoveReply> };
} & SwitchRegionOffline &
  KafkaRemoveReply;

// ---- Source and destination (P: PSrc/Source, PSrc/Destination) ----
export type SourceNotify = { GenerateRecordsNotification: { batch: number; count: number; success: boolean } };
export type SourceEvents = { GenerateRecords: { batch: number; replyTo: MachineRef<SourceNotify> } } & SendRecordReply;
export type DestinationNotify = { DestinationReceiveNotificationResponse: { count: number } };
export type DestinationEvents = KafkaConsumerEvents &
  DnsRemoveReply & { DestinationReceiveNotification: { count: number; replyTo: MachineRef<DestinationNotify> } };

// ---- Test driver (P: PTst/Workload1/PTst/*.p) ----
export type DriverEvents = SourceNotify & DestinationNotify & KafkaNotifyReply & KafkaFailReply & MongoSwitchReply & { Tick: undefined };

/** Every Workload1 event (the union of the maps above). */
type Workload1Events = MongoAtlasEvents &
  KafkaEvents &
  KafkaConsumerEvents &
  KafkaNotifyReply &
  KafkaFailReply &
  ApiContainerEvents &
  ProcessorEvents &
  InDnsEvents &
  OutDnsEvents &
  SourceEvents &
  DestinationEvents &
  DriverEvents;

/** The ids of the Workload1 events (machines send these, not names: no lookup per send). */
export const Ev = eventIds<Workload1Events>({
  MongoInsertRecord: true,
  MongoInsertRecordCompleted: true,
  MongoSwitchRegions: true,
  MongoSwitchRegionsCompleted: true,
  MongoFail: true,
  MongoRecover: true,
  MongoKill: true,
  KafkaSendRecords: true,
  KafkaSendRecordsCompleted: true,
  KafkaReceiveRecords: true,
  KafkaReceiveRecordsResponse: true,
  KafkaRemoveRecords: true,
  KafkaRemoveRecordsCompleted: true,
  KafkaReceiveNotification: true,
  KafkaReceiveNotificationResponse: true,
  KafkaFail: true,
  KafkaFailCompleted: true,
  KafkaRecover: true,
  KafkaKill: true,
  Invoke: true,
  InvokeCompleted: true,
  ContainerFail: true,
  ContainerRecover: true,
  ContainerKill: true,
  SendRecord: true,
  SendRecordCompleted: true,
  SwitchRegionOffline: true,
  DnsReceiveRecords: true,
  DnsRemoveRecords: true,
  DnsRemoveRecordsCompleted: true,
  GenerateRecords: true,
  GenerateRecordsNotification: true,
  DestinationReceiveNotification: true,
  DestinationReceiveNotificationResponse: true,
  Tick: true,
});

/**
 * Builds and wires the Workload1 machines (P: the Workload1 machine's Init entry in
 * PTst/Workload1/PSystem/Workload1System.p). P's Workload1 machine also relays the driver's events to
 * the components by name and region; here the driver holds the references instead.
 */
import type { MachineRef } from '../../machine.js';
import type { SetupContext } from '../../model.js';
import { Stage } from '../workload1-spec.js';
import { APIMongoAPIContainer, APIMongoKafkaContainer } from './api-container.js';
import { Route53DNSWeightedAPI, Route53DNSWeightedKafka } from './dns.js';
import { RecordDestinationDNSWeightedKafka, RecordSourceDNSWeightedAPI } from './endpoints.js';
import type { ApiContainerEvents, DestinationEvents, InDnsEvents, KafkaEvents, MongoAtlasEvents, OutDnsEvents, ProcessorEvents, SourceEvents } from './events.js';
import { MongoDBAtlas, MongoRegionalDatabase, type DbIndex } from './mongo.js';
import { Kafka } from './kafka.js';
import type { Workload1Options } from './options.js';
import { KafkaMongoKafkaContainer } from './processor.js';

/** Regions with containers and Kafka streams (P: 2); each MongoDB spans three. */
const REGIONS = 2;
const MONGO_REGIONS = 3;

export interface Topology {
  readonly source: MachineRef<SourceEvents>;
  readonly destination: MachineRef<DestinationEvents>;
  readonly inDns: MachineRef<InDnsEvents>;
  readonly outDns: MachineRef<OutDnsEvents>;
  /** Per region (index 0 = region 1). */
  readonly receivers: readonly MachineRef<ApiContainerEvents>[];
  readonly validators: readonly MachineRef<ApiContainerEvents>[];
  readonly processors: readonly MachineRef<ProcessorEvents>[];
  readonly inboundKafka: readonly MachineRef<KafkaEvents>[];
  readonly outboundKafka: readonly MachineRef<KafkaEvents>[];
  readonly receiverDb: MachineRef<MongoAtlasEvents>;
  readonly validatorDb: MachineRef<MongoAtlasEvents>;
  readonly processorDb: MachineRef<MongoAtlasEvents>;
}

/** Anything that can create machines: a machine's context or the model setup. */
type Ctx = Pick<SetupContext, 'create'>;

function atlas(ctx: Ctx, db: DbIndex, stage: Stage, name: string): MachineRef<MongoAtlasEvents> {
  const regions = [];
  for (let r = 1; r <= MONGO_REGIONS; r++) regions.push(ctx.create(MongoRegionalDatabase, { db, region: r }, `${name}-${r}`));
  return ctx.create(MongoDBAtlas, { stage, regions }, name);
}

function kafkas(ctx: Ctx, o: Workload1Options, stage: Stage, name: string): MachineRef<KafkaEvents>[] {
  const maxId = o.batches * o.batchSize;
  const out: MachineRef<KafkaEvents>[] = [];
  for (let r = 1; r <= REGIONS; r++) out.push(ctx.create(Kafka, { stage, region: r, batch: o.kafkaBatch, dedupe: o.dedupe, maxId }, `${name}${r}`));
  return out;
}

export function buildSystem(ctx: Ctx, o: Workload1Options): Topology {
  const inboundKafka = kafkas(ctx, o, Stage.InboundKafka, 'InboundKafka');
  const outboundKafka = kafkas(ctx, o, Stage.OutboundKafka, 'OutboundKafka');
  const receiverDb = atlas(ctx, 0, Stage.ReceiverDb, 'ReceiverDatabase');
  const validatorDb = atlas(ctx, 1, Stage.ValidatorDb, 'ValidatorDatabase');
  const processorDb = atlas(ctx, 2, Stage.ProcessorDb, 'ProcessorDatabase');
  const processors: MachineRef<ProcessorEvents>[] = [];
  const validators: MachineRef<ApiContainerEvents>[] = [];
  const receivers: MachineRef<ApiContainerEvents>[] = [];
  for (let r = 0; r < REGIONS; r++) {
    const inKafka = inboundKafka[r] as MachineRef<KafkaEvents>;
    const outKafka = outboundKafka[r] as MachineRef<KafkaEvents>;
    processors.push(ctx.create(KafkaMongoKafkaContainer, { inKafka, database: processorDb, outKafka, removeFirst: o.broken }, `Processor${r + 1}`));
    const validator = ctx.create(APIMongoKafkaContainer, { database: validatorDb, next: { kind: 'kafka', to: inKafka } }, `Validator${r + 1}`);
    validators.push(validator);
    receivers.push(ctx.create(APIMongoAPIContainer, { database: receiverDb, next: { kind: 'api', to: validator } }, `Receiver${r + 1}`));
  }
  const inDns = ctx.create(Route53DNSWeightedAPI, { receivers, routing: o.routing, weights: o.regionWeights }, 'InDNS');
  const outDns = ctx.create(Route53DNSWeightedKafka, { kafkas: outboundKafka }, 'OutDNS');
  const source = ctx.create(RecordSourceDNSWeightedAPI, { dns: inDns, batchSize: o.batchSize }, 'RecordSource');
  const destination = ctx.create(RecordDestinationDNSWeightedKafka, { dns: outDns, dedupe: o.dedupe, maxId: o.batches * o.batchSize }, 'RecordDestination');
  return { source, destination, inDns, outDns, receivers, validators, processors, inboundKafka, outboundKafka, receiverDb, validatorDb, processorDb };
}

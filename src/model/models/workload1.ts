/**
 * Seed 003, Workload1: a two-region transaction-processing system as collaborating machines.
 *
 *   RecordSource -> InDNS (weighted) -> Receiver[r] -> MongoDB(receiver)[r]
 *     -> Validator[r] -> MongoDB(validator)[r] -> InboundKafka[r]
 *     -> Processor[r] -> MongoDB(processor)[r] -> OutboundKafka[r] -> OutDNS (failover) -> RecordDestination
 *
 * Records travel in chunks (one message carries `chunkSize` record ids) to keep runs short; the spec
 * still tracks every id through every stage. The test driver follows the seed's test steps.
 */
import { defineMachine, type MachineContext, type MachineRef } from '../machine.js';
import type { ModelDef } from '../model.js';
import { workload1Spec, Stage } from './workload1-spec.js';

export type Scenario = 'base' | 'fail-outbound-kafka' | 'random-failures';

export interface Workload1Options {
  readonly scenario: Scenario;
  /** The processor commits to inbound Kafka before the outbound write succeeded (a planted bug). */
  readonly broken: boolean;
  readonly batches: number;
  readonly batchSize: number;
  /** Record ids per message. */
  readonly chunkSize: number;
  /** Weighted routing of the in-DNS, per region (2 regions). */
  readonly regionWeights: readonly [number, number];
  /** Processor's timeout for a database or Kafka write. */
  readonly writeTimeoutMs: number;
  /** Validator's retry interval for a produce to inbound Kafka. */
  readonly retryMs: number;
  /** How long the driver lets the failed system settle before recovering it. */
  readonly settleMs: number;
  /** Records the processor takes from inbound Kafka per poll. */
  readonly maxPollRecords: number;
  /** Random-failures scenario: chance that each candidate component fails. */
  readonly failureProbability: number;
}

export const WORKLOAD1_DEFAULTS: Workload1Options = {
  scenario: 'fail-outbound-kafka',
  broken: false,
  batches: 3,
  batchSize: 50,
  chunkSize: 10,
  regionWeights: [60, 40],
  writeTimeoutMs: 100,
  retryMs: 200,
  settleMs: 1000,
  maxPollRecords: 20,
  failureProbability: 0.4,
};

type Ids = readonly number[];

type DbClientEvents = { WriteOk: { reqId: number } };
type MongoEvents = { Write: { ids: Ids; reqId: number; replyTo: MachineRef<DbClientEvents> } };
type ProducerEvents = { ProduceOk: { reqId: number } };
type ConsumerEvents = { Records: { ids: Ids; endOffset: number } };
type KafkaEvents = {
  Produce: { ids: Ids; reqId: number; replyTo: MachineRef<ProducerEvents> };
  Poll: { consumer: MachineRef<ConsumerEvents>; maxRecords: number };
  Commit: { offset: number };
  Subscribe: { consumer: MachineRef<ConsumerEvents> };
};
type OutDnsEvents = { Available: { ids: Ids; region: number } };
type DestinationEvents = { Deliver: { ids: Ids } };
type ValidatorEvents = { Validate: { ids: Ids } } & DbClientEvents & ProducerEvents & { ProduceTimeout: { reqId: number } };
type ReceiverEvents = { Request: { ids: Ids } } & DbClientEvents;
type ProcessorEvents = ConsumerEvents & DbClientEvents & ProducerEvents & { Timeout: { reqId: number } };
type InDnsEvents = { Publish: { ids: Ids } };
type SourceEvents = { PublishBatch: { batch: number } };
type DriverEvents = { BatchDelivered: { batch: number }; InjectFault: { remainingSteps: number }; Settled: undefined };

// ---------------- MongoDB Atlas (#6): durable, idempotent upsert by id ----------------

const MongoDB = defineMachine<MongoEvents>()({
  name: 'MongoDBAtlas',
  start: 'Up',
  vars: (init: { stage: Stage }) => ({ stage: init.stage }),
  states: {
    Up: {
      on: {
        Write(ctx, p) {
          ctx.announce('Stage', { stage: ctx.vars.stage, ids: p.ids });
          ctx.send(p.replyTo, 'WriteOk', { reqId: p.reqId });
        },
      },
    },
  },
});

// ---------------- Kafka (#7): durable log, idempotent producer (dedupe by id), consumer offsets ----------------

interface KafkaVars {
  readonly stage: Stage;
  readonly log: number[];
  readonly present: Uint8Array;
  /** Next offset to hand to the consumer. */
  position: number;
  committed: number;
  waiting: MachineRef<ConsumerEvents> | null;
  /** Push mode (outbound): every append is offered to this router. */
  readonly push: MachineRef<OutDnsEvents> | null;
  readonly region: number;
}

function kafkaDeliver(ctx: MachineContext<KafkaEvents, KafkaVars, string>, consumer: MachineRef<ConsumerEvents>, maxRecords: number): boolean {
  const v = ctx.vars;
  if (v.position >= v.log.length) return false;
  const end = Math.min(v.log.length, v.position + maxRecords);
  ctx.send(consumer, 'Records', { ids: v.log.slice(v.position, end), endOffset: end });
  v.position = end;
  return true;
}

const Kafka = defineMachine<KafkaEvents>()({
  name: 'Kafka',
  start: 'Up',
  vars: (init: { stage: Stage; records: number; push: MachineRef<OutDnsEvents> | null; region: number }): KafkaVars => ({
    stage: init.stage,
    log: [],
    present: new Uint8Array(init.records),
    position: 0,
    committed: 0,
    waiting: null,
    push: init.push,
    region: init.region,
  }),
  states: {
    Up: {
      on: {
        Produce(ctx, p) {
          const v = ctx.vars;
          let fresh: number[] | null = null;
          for (let i = 0; i < p.ids.length; i++) {
            const id = p.ids[i] as number;
            if (v.present[id] === 1) {
              fresh ??= p.ids.slice(0, i);
              continue;
            }
            v.present[id] = 1;
            v.log.push(id);
            fresh?.push(id);
          }
          const appended = fresh ?? p.ids;
          if (appended.length > 0) {
            ctx.announce('Stage', { stage: v.stage, ids: appended });
            if (v.push !== null) ctx.send(v.push, 'Available', { ids: appended, region: v.region });
          }
          ctx.send(p.replyTo, 'ProduceOk', { reqId: p.reqId });
          if (v.waiting !== null && kafkaDeliver(ctx, v.waiting, 1 << 30)) v.waiting = null;
        },
        Poll(ctx, p) {
          if (!kafkaDeliver(ctx, p.consumer, p.maxRecords)) ctx.vars.waiting = p.consumer;
        },
        Commit(ctx, p) {
          if (p.offset > ctx.vars.committed) ctx.vars.committed = p.offset;
        },
        Subscribe(ctx) {
          // A (re)started consumer resumes from the committed offset.
          ctx.vars.position = ctx.vars.committed;
          ctx.vars.waiting = null;
        },
      },
    },
  },
});

// ---------------- Receiver API (#3): write to its MongoDB, then invoke the validator ----------------

const Receiver = defineMachine<ReceiverEvents>()({
  name: 'APIMongoAPIContainer',
  start: 'Serving',
  vars: (init: { mongo: MachineRef<MongoEvents>; validator: MachineRef<{ Validate: { ids: Ids } }> }) => ({
    mongo: init.mongo,
    validator: init.validator,
    nextReq: 0,
    pending: new Map<number, Ids>(),
  }),
  states: {
    Serving: {
      on: {
        Request(ctx, p) {
          const reqId = ctx.vars.nextReq++;
          ctx.vars.pending.set(reqId, p.ids);
          ctx.send(ctx.vars.mongo, 'Write', { ids: p.ids, reqId, replyTo: ctx.self });
        },
        WriteOk(ctx, p) {
          const ids = ctx.vars.pending.get(p.reqId);
          if (ids === undefined) return;
          ctx.vars.pending.delete(p.reqId);
          ctx.send(ctx.vars.validator, 'Validate', { ids });
        },
      },
    },
  },
});

// ---------------- Validator API (#4): write to its MongoDB, publish to inbound Kafka with retry ----------------

const Validator = defineMachine<ValidatorEvents>()({
  name: 'APIMongoKafkaContainer',
  start: 'Serving',
  vars: (init: { mongo: MachineRef<MongoEvents>; kafka: MachineRef<KafkaEvents>; retryMs: number }) => ({
    mongo: init.mongo,
    kafka: init.kafka,
    retryMs: init.retryMs,
    nextReq: 0,
    writing: new Map<number, Ids>(),
    /** reqId -> records awaiting the produce acknowledgement, and the retry timer. */
    producing: new Map<number, { ids: Ids; timer: number }>(),
  }),
  states: {
    Serving: {
      on: {
        Validate(ctx, p) {
          const reqId = ctx.vars.nextReq++;
          ctx.vars.writing.set(reqId, p.ids);
          ctx.send(ctx.vars.mongo, 'Write', { ids: p.ids, reqId, replyTo: ctx.self });
        },
        WriteOk(ctx, p) {
          const ids = ctx.vars.writing.get(p.reqId);
          if (ids === undefined) return;
          ctx.vars.writing.delete(p.reqId);
          ctx.send(ctx.vars.kafka, 'Produce', { ids, reqId: p.reqId, replyTo: ctx.self });
          ctx.vars.producing.set(p.reqId, { ids, timer: ctx.startTimer(ctx.vars.retryMs, 'ProduceTimeout', { reqId: p.reqId }) });
        },
        ProduceOk(ctx, p) {
          const pending = ctx.vars.producing.get(p.reqId);
          if (pending === undefined) return;
          ctx.cancelTimer(pending.timer);
          ctx.vars.producing.delete(p.reqId);
        },
        ProduceTimeout(ctx, p) {
          // Still unacknowledged: the record is durable in our MongoDB, so publish it again.
          const pending = ctx.vars.producing.get(p.reqId);
          if (pending === undefined) return;
          ctx.send(ctx.vars.kafka, 'Produce', { ids: pending.ids, reqId: p.reqId, replyTo: ctx.self });
          pending.timer = ctx.startTimer(ctx.vars.retryMs, 'ProduceTimeout', { reqId: p.reqId });
        },
      },
    },
  },
});

// ---------------- Processor (#5): inbound Kafka -> MongoDB -> outbound Kafka, commit last ----------------

interface ProcessorVars {
  readonly kafkaIn: MachineRef<KafkaEvents>;
  readonly mongo: MachineRef<MongoEvents>;
  readonly kafkaOut: MachineRef<KafkaEvents>;
  readonly timeoutMs: number;
  readonly maxPollRecords: number;
  readonly broken: boolean;
  reqId: number;
  timer: number;
  ids: Ids;
  endOffset: number;
}

type ProcessorCtx = MachineContext<ProcessorEvents, ProcessorVars, string>;

function startRequest(ctx: ProcessorCtx): number {
  const reqId = ++ctx.vars.reqId;
  ctx.vars.timer = ctx.startTimer(ctx.vars.timeoutMs, 'Timeout', { reqId });
  return reqId;
}

function poll(ctx: ProcessorCtx): void {
  ctx.send(ctx.vars.kafkaIn, 'Poll', { consumer: ctx.self, maxRecords: ctx.vars.maxPollRecords });
}

const Processor = defineMachine<ProcessorEvents>()({
  name: 'KafkaMongoKafkaContainer',
  start: 'Starting',
  vars: (init: {
    kafkaIn: MachineRef<KafkaEvents>;
    mongo: MachineRef<MongoEvents>;
    kafkaOut: MachineRef<KafkaEvents>;
    timeoutMs: number;
    maxPollRecords: number;
    broken: boolean;
  }): ProcessorVars => ({
    kafkaIn: init.kafkaIn,
    mongo: init.mongo,
    kafkaOut: init.kafkaOut,
    timeoutMs: init.timeoutMs,
    maxPollRecords: init.maxPollRecords,
    broken: init.broken,
    reqId: 0,
    timer: 0,
    ids: [],
    endOffset: 0,
  }),
  states: {
    Starting: {
      entry(ctx) {
        ctx.send(ctx.vars.kafkaIn, 'Subscribe', { consumer: ctx.self });
        poll(ctx);
        ctx.goto('Polling');
      },
    },
    Polling: {
      on: {
        Records(ctx, p) {
          ctx.vars.ids = p.ids;
          ctx.vars.endOffset = p.endOffset;
          // The planted bug: the record leaves inbound Kafka before it is safely in outbound Kafka.
          if (ctx.vars.broken) ctx.send(ctx.vars.kafkaIn, 'Commit', { offset: p.endOffset });
          const reqId = startRequest(ctx);
          ctx.send(ctx.vars.mongo, 'Write', { ids: p.ids, reqId, replyTo: ctx.self });
          ctx.goto('WritingDb');
        },
      },
      // Late replies and timeouts of earlier requests.
      ignore: ['WriteOk', 'ProduceOk', 'Timeout'],
    },
    WritingDb: {
      on: {
        WriteOk(ctx, p) {
          if (p.reqId !== ctx.vars.reqId) return;
          ctx.cancelTimer(ctx.vars.timer);
          const reqId = startRequest(ctx);
          ctx.send(ctx.vars.kafkaOut, 'Produce', { ids: ctx.vars.ids, reqId, replyTo: ctx.self });
          ctx.goto('WritingOut');
        },
        Timeout(ctx, p) {
          if (p.reqId === ctx.vars.reqId) ctx.goto('DependencyFailure');
        },
      },
      defer: ['Records'],
      ignore: ['ProduceOk'],
    },
    WritingOut: {
      on: {
        ProduceOk(ctx, p) {
          if (p.reqId !== ctx.vars.reqId) return;
          ctx.cancelTimer(ctx.vars.timer);
          if (!ctx.vars.broken) ctx.send(ctx.vars.kafkaIn, 'Commit', { offset: ctx.vars.endOffset });
          poll(ctx);
          ctx.goto('Polling');
        },
        Timeout(ctx, p) {
          if (p.reqId === ctx.vars.reqId) ctx.goto('DependencyFailure');
        },
      },
      defer: ['Records'],
      ignore: ['WriteOk'],
    },
    DependencyFailure: {
      // Waits to be restarted (seed step 8: "recover the processor container").
      ignore: ['Records', 'WriteOk', 'ProduceOk', 'Timeout'],
    },
  },
});

// ---------------- DNS (#2 weighted, #8 failover), source (#1), destination (#9) ----------------

const InDns = defineMachine<InDnsEvents>()({
  name: 'Route53DNSWeightedAPI',
  start: 'Routing',
  vars: (init: { receivers: readonly MachineRef<{ Request: { ids: Ids } }>[]; weights: readonly number[] }) => init,
  states: {
    Routing: {
      on: {
        Publish(ctx, p) {
          const r = ctx.chooseWeighted(ctx.vars.weights);
          ctx.send(ctx.vars.receivers[r] as MachineRef<{ Request: { ids: Ids } }>, 'Request', { ids: p.ids });
        },
      },
    },
  },
});

const OutDns = defineMachine<OutDnsEvents>()({
  name: 'Route53DNSWeightedKafka',
  start: 'Routing',
  vars: (init: { destination: MachineRef<DestinationEvents> }) => init,
  states: {
    Routing: {
      on: {
        Available(ctx, p) {
          ctx.send(ctx.vars.destination, 'Deliver', { ids: p.ids });
        },
      },
    },
  },
});

const RecordSource = defineMachine<SourceEvents>()({
  name: 'RecordSourceDNSWeightedAPI',
  start: 'Ready',
  vars: (init: { dns: MachineRef<InDnsEvents>; batchSize: number; chunkSize: number }) => init,
  states: {
    Ready: {
      on: {
        PublishBatch(ctx, p) {
          const { batchSize, chunkSize } = ctx.vars;
          const first = p.batch * batchSize;
          ctx.announce('Published', { batch: p.batch });
          for (let start = 0; start < batchSize; start += chunkSize) {
            const ids: number[] = [];
            for (let i = start; i < Math.min(batchSize, start + chunkSize); i++) ids.push(first + i);
            ctx.send(ctx.vars.dns, 'Publish', { ids });
          }
        },
      },
    },
  },
});

const RecordDestination = defineMachine<DestinationEvents>()({
  name: 'RecordDestinationDNSWeightedKafka',
  start: 'Receiving',
  vars: (init: { driver: MachineRef<DriverEvents>; batches: number; batchSize: number }) => ({
    driver: init.driver,
    batchSize: init.batchSize,
    perBatch: new Array<number>(init.batches).fill(0),
  }),
  states: {
    Receiving: {
      on: {
        Deliver(ctx, p) {
          ctx.announce('Delivered', { ids: p.ids });
          const v = ctx.vars;
          for (const id of p.ids) {
            const batch = Math.floor(id / v.batchSize);
            const n = (v.perBatch[batch] ?? 0) + 1;
            v.perBatch[batch] = n;
            if (n === v.batchSize) ctx.send(v.driver, 'BatchDelivered', { batch });
          }
        },
      },
    },
  },
});

// ---------------- Test driver: the seed's test steps ----------------

interface Topology {
  readonly source: MachineRef<SourceEvents>;
  readonly kafkaIn: readonly MachineRef<KafkaEvents>[];
  readonly kafkaOut: readonly MachineRef<KafkaEvents>[];
  readonly mongoProc: readonly MachineRef<MongoEvents>[];
  readonly processors: readonly MachineRef<ProcessorEvents>[];
}

interface DriverVars {
  readonly options: Workload1Options;
  topology: Topology | null;
  failed: MachineRef<KafkaEvents | MongoEvents | ProcessorEvents>[];
}

type DriverCtx = MachineContext<DriverEvents, DriverVars, string>;

function topology(ctx: DriverCtx): Topology {
  const t = ctx.vars.topology;
  if (t === null) throw new Error('driver: topology not built');
  return t;
}

function build(ctx: DriverCtx): Topology {
  const o = ctx.vars.options;
  const records = o.batches * o.batchSize;
  const destination = ctx.create(RecordDestination, { driver: ctx.self, batches: o.batches, batchSize: o.batchSize }, 'RecordDestination');
  const outDns = ctx.create(OutDns, { destination }, 'OutDNS');
  const receivers: MachineRef<ReceiverEvents>[] = [];
  const kafkaIn: MachineRef<KafkaEvents>[] = [];
  const kafkaOut: MachineRef<KafkaEvents>[] = [];
  const mongoProc: MachineRef<MongoEvents>[] = [];
  const processors: MachineRef<ProcessorEvents>[] = [];
  for (let r = 0; r < 2; r++) {
    const n = r + 1;
    const out = ctx.create(Kafka, { stage: Stage.OutboundKafka, records, push: outDns, region: r }, `OutboundKafka${n}`);
    const inb = ctx.create(Kafka, { stage: Stage.InboundKafka, records, push: null, region: r }, `InboundKafka${n}`);
    const dbProc = ctx.create(MongoDB, { stage: Stage.ProcessorDb }, `ProcessorMongo${n}`);
    const processor = ctx.create(
      Processor,
      { kafkaIn: inb, mongo: dbProc, kafkaOut: out, timeoutMs: o.writeTimeoutMs, maxPollRecords: o.maxPollRecords, broken: o.broken },
      `Processor${n}`,
    );
    const dbVal = ctx.create(MongoDB, { stage: Stage.ValidatorDb }, `ValidatorMongo${n}`);
    const validator = ctx.create(Validator, { mongo: dbVal, kafka: inb, retryMs: o.retryMs }, `Validator${n}`);
    const dbRecv = ctx.create(MongoDB, { stage: Stage.ReceiverDb }, `ReceiverMongo${n}`);
    receivers.push(ctx.create(Receiver, { mongo: dbRecv, validator }, `Receiver${n}`));
    kafkaIn.push(inb);
    kafkaOut.push(out);
    mongoProc.push(dbProc);
    processors.push(processor);
  }
  const dns = ctx.create(InDns, { receivers, weights: o.regionWeights }, 'InDNS');
  const source = ctx.create(RecordSource, { dns, batchSize: o.batchSize, chunkSize: o.chunkSize }, 'RecordSource');
  return { source, kafkaIn, kafkaOut, mongoProc, processors };
}

/** Spreads the fault over batch 2: the driver takes a scheduler-chosen number of its own steps first. */
const MAX_FAULT_DELAY_STEPS = 16;

function injectFaults(ctx: DriverCtx): void {
  const t = topology(ctx);
  const o = ctx.vars.options;
  if (o.scenario === 'fail-outbound-kafka') {
    ctx.vars.failed.push(t.kafkaOut[0] as MachineRef<KafkaEvents>);
  } else {
    // A random subset of the components downstream of the validators, in both regions.
    const candidates: MachineRef<KafkaEvents | MongoEvents | ProcessorEvents>[] = [...t.kafkaIn, ...t.mongoProc, ...t.kafkaOut, ...t.processors];
    for (const c of candidates) if (ctx.chooseBool(o.failureProbability)) ctx.vars.failed.push(c);
  }
  for (const m of ctx.vars.failed) ctx.faults.fail(m);
}

function recoverAll(ctx: DriverCtx): void {
  const t = topology(ctx);
  for (const m of ctx.vars.failed) if (!t.processors.includes(m as MachineRef<ProcessorEvents>)) ctx.faults.recover(m);
  // Seed step 8: recover the processor container(s): a restart, resuming from committed offsets.
  const restart = ctx.vars.options.scenario === 'fail-outbound-kafka' ? [t.processors[0] as MachineRef<ProcessorEvents>] : t.processors;
  for (const p of restart) ctx.faults.crashRestart(p);
  ctx.vars.failed = [];
}

const Driver = defineMachine<DriverEvents>()({
  name: 'Workload1Driver',
  start: 'Init',
  vars: (init: Workload1Options): DriverVars => ({ options: init, topology: null, failed: [] }),
  states: {
    Init: {
      entry(ctx) {
        ctx.vars.topology = build(ctx);
        ctx.send(topology(ctx).source, 'PublishBatch', { batch: 0 });
        ctx.goto('Batch1');
      },
    },
    Batch1: {
      on: {
        BatchDelivered(ctx, p) {
          if (p.batch !== 0) return;
          const o = ctx.vars.options;
          if (o.scenario === 'base') {
            if (o.batches > 1) ctx.send(topology(ctx).source, 'PublishBatch', { batch: 1 });
            ctx.goto(o.batches > 1 ? 'Sequential' : 'Batch3');
            return;
          }
          ctx.send(topology(ctx).source, 'PublishBatch', { batch: 1 });
          ctx.send(ctx.self, 'InjectFault', { remainingSteps: ctx.choose(MAX_FAULT_DELAY_STEPS) });
          ctx.goto('Batch2');
        },
      },
    },
    // Base case: each batch once the previous one reached the destination.
    Sequential: {
      on: {
        BatchDelivered(ctx, p) {
          const next = p.batch + 1;
          if (next < ctx.vars.options.batches) ctx.send(topology(ctx).source, 'PublishBatch', { batch: next });
          else ctx.goto('Batch3');
        },
      },
    },
    Batch2: {
      on: {
        InjectFault(ctx, p) {
          if (p.remainingSteps > 0) {
            ctx.send(ctx.self, 'InjectFault', { remainingSteps: p.remainingSteps - 1 });
            return;
          }
          injectFaults(ctx);
          // Timers fire when nothing else can run, so this waits for the failed system to settle.
          ctx.startTimer(ctx.vars.options.settleMs, 'Settled', undefined);
        },
        Settled(ctx) {
          // Seed step 7: every batch-2 record reached inbound Kafka despite the failure.
          if (ctx.vars.options.scenario === 'fail-outbound-kafka') ctx.announce('ReachedStage', { batch: 1, stage: Stage.InboundKafka });
          recoverAll(ctx);
          ctx.send(topology(ctx).source, 'PublishBatch', { batch: 2 });
          ctx.goto('Batch3');
        },
      },
      ignore: ['BatchDelivered'],
    },
    Batch3: {
      ignore: ['BatchDelivered'],
    },
  },
});

export function workload1Model(name: string, description: string, overrides: Partial<Workload1Options> = {}): ModelDef {
  const options: Workload1Options = { ...WORKLOAD1_DEFAULTS, ...overrides };
  if (options.scenario !== 'base' && options.batches !== 3) throw new Error(`workload1: the ${options.scenario} scenario follows the seed's 3 batches`);
  if (options.batchSize < 1 || options.chunkSize < 1 || options.batches < 1) throw new Error('workload1: batches, batchSize and chunkSize must be positive');
  const records = options.batches * options.batchSize;
  // Defined once per model: definitions are compiled once and cached by identity.
  const spec = workload1Spec(options.batches, options.batchSize);
  return {
    name,
    description,
    // ~20 steps per chunk of records; generous so only a livelock hits it.
    maxSteps: 200 + Math.ceil(records / options.chunkSize) * 120,
    timeAdvance: 'idle',
    setup(ctx) {
      ctx.monitor(spec);
      ctx.create(Driver, options, 'Driver');
    },
  };
}

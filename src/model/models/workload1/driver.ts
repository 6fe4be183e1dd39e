/**
 * The test driver (P: the TestWorkload1* machines): runs a step list, one step after another, and
 * stops at an `await` until the awaited notification has arrived. Notifications that arrive early are
 * counted, so none is lost (P's `receive` defers them the same way).
 */
import { defineMachine, type MachineContext, type MachineRef } from '../../machine.js';
import { Ev, type ContainerControl, type DriverEvents, type KafkaEvents, type SwitchRegionOffline } from './events.js';
import type { Workload1Options } from './options.js';
import { F4_COMPONENTS, testScript, type Awaited, type Component, type Step } from './scripts.js';
import { buildSystem, type Topology } from './system.js';

interface DriverVars {
  readonly options: Workload1Options;
  readonly steps: Step[];
  pc: number;
  topology: Topology | null;
  /** Notifications received and not yet awaited, per kind (source ones are kept per batch). */
  readonly arrived: Record<Exclude<Awaited, 'source'>, number>;
  /** Source result per batch: undefined (publishing), true or false. */
  readonly published: (boolean | undefined)[];
  lastBatch: number;
  chosen: readonly Component[];
  delayLeft: number;
}
type DriverCtx = MachineContext<DriverEvents, DriverVars, 'Running' | 'Done'>;

function topology(ctx: DriverCtx): Topology {
  const t = ctx.vars.topology;
  if (t === null) throw new Error('Workload1Driver: topology not built');
  return t;
}

/** P F4: failCount = choose(8) + 1, then distinct indexes (P retries `choose(8)` until new; this picks among the rest). */
function chooseFailures(ctx: DriverCtx): Component[] {
  const rest = [...F4_COMPONENTS];
  const count = ctx.choose(F4_COMPONENTS.length) + 1;
  const chosen: Component[] = [];
  for (let i = 0; i < count; i++) chosen.push(rest.splice(ctx.choose(rest.length), 1)[0] as Component);
  // P fails and recovers in index order.
  return F4_COMPONENTS.filter((c) => chosen.includes(c));
}

function control(ctx: DriverCtx, target: Component, fail: boolean): void {
  const t = topology(ctx);
  const container = { receiver1: t.receivers[0], validator1: t.validators[0], processor1: t.processors[0], processor2: t.processors[1] } as const;
  const db = { receiverDb: t.receiverDb, validatorDb: t.validatorDb, processorDb: t.processorDb } as const;
  if (target === 'inboundKafka1' || target === 'outboundKafka1') {
    const kafka = (target === 'inboundKafka1' ? t.inboundKafka[0] : t.outboundKafka[0]) as MachineRef<KafkaEvents>;
    if (fail) ctx.send(kafka, Ev.KafkaFail, { replyTo: ctx.self });
    else ctx.send(kafka, Ev.KafkaRecover, undefined);
  } else if (target in db) {
    ctx.send(db[target as keyof typeof db], fail ? Ev.MongoFail : Ev.MongoRecover, undefined);
  } else {
    const c = container[target as keyof typeof container] as MachineRef<ContainerControl>;
    ctx.send(c, fail ? Ev.ContainerFail : Ev.ContainerRecover, undefined);
  }
}

/** Expands F4's chosen failures into steps (P waits for eKafkaFailCompleted after each Kafka). */
function chosenSteps(chosen: readonly Component[], fail: boolean): Step[] {
  return chosen.flatMap((target): Step[] =>
    fail && target.endsWith('Kafka1') ? [{ op: 'fail', target }, { op: 'await', what: 'kafkaFail' }] : [{ op: fail ? 'fail' : 'recover', target }],
  );
}

function tryAwait(ctx: DriverCtx, what: Awaited): boolean {
  const v = ctx.vars;
  if (what === 'source') return v.published[v.lastBatch] !== undefined;
  if (v.arrived[what] === 0) return false;
  v.arrived[what]--;
  return true;
}

function publish(ctx: DriverCtx, batch: number): void {
  ctx.vars.lastBatch = batch;
  ctx.vars.published[batch] = undefined;
  ctx.send(topology(ctx).source, Ev.GenerateRecords, { batch, replyTo: ctx.self });
}

/** Runs one step; false when the driver must wait (an await, a delay). */
function runStep(ctx: DriverCtx, step: Step): boolean {
  const v = ctx.vars;
  const t = topology(ctx);
  switch (step.op) {
    case 'publish':
      publish(ctx, step.batch);
      return true;
    case 'notifyDestination':
      ctx.send(t.destination, Ev.DestinationReceiveNotification, { count: step.count, replyTo: ctx.self });
      return true;
    case 'notifyInbound':
      ctx.send(t.inboundKafka[0] as MachineRef<KafkaEvents>, Ev.KafkaReceiveNotification, { count: step.count, replyTo: ctx.self });
      return true;
    case 'await':
      return tryAwait(ctx, step.what);
    case 'fail':
    case 'recover':
      control(ctx, step.target, step.op === 'fail');
      return true;
    case 'chooseFailures':
      v.chosen = chooseFailures(ctx);
      return true;
    case 'failChosen':
    case 'recoverChosen':
      v.steps.splice(v.pc + 1, 0, ...chosenSteps(v.chosen, step.op === 'failChosen'));
      return true;
    case 'republishIfFailed':
      if (v.options.republish && v.published[step.batch] === false) publish(ctx, step.batch);
      return true;
    case 'offline':
      ctx.send<SwitchRegionOffline, 'SwitchRegionOffline'>(step.dns === 'in' ? t.inDns : t.outDns, Ev.SwitchRegionOffline, { region: step.region });
      return true;
    case 'switchDb':
      ctx.send(step.db === 'receiver' ? t.receiverDb : step.db === 'validator' ? t.validatorDb : t.processorDb, Ev.MongoSwitchRegions, { replyTo: ctx.self });
      return true;
    case 'delay':
      return startDelay(ctx);
  }
}

function startDelay(ctx: DriverCtx): boolean {
  const v = ctx.vars;
  if (v.delayLeft > 0) return false;
  if (v.delayLeft === 0) {
    v.delayLeft = -1;
    return true;
  }
  v.delayLeft = ctx.choose(v.options.maxFaultDelaySteps + 1);
  if (v.delayLeft === 0) {
    v.delayLeft = -1;
    return true;
  }
  ctx.send(ctx.self, Ev.Tick, undefined);
  return false;
}

/** Runs steps until one has to wait or the script ends (bounded by the script's length). */
function advance(ctx: DriverCtx): void {
  const v = ctx.vars;
  while (v.pc < v.steps.length) {
    if (!runStep(ctx, v.steps[v.pc] as Step)) return;
    v.pc++;
  }
  ctx.goto('Done');
}

function arrive(what: Exclude<Awaited, 'source'>) {
  return (ctx: DriverCtx): void => {
    ctx.vars.arrived[what]++;
    advance(ctx);
  };
}

export const Workload1Driver = defineMachine<DriverEvents>()({
  name: 'Workload1Driver',
  start: 'Running',
  vars: (options: Workload1Options): DriverVars => ({
    options,
    steps: testScript(options.test, options.timing, options.batchSize, options.routing === 'alternate'),
    pc: 0,
    topology: null,
    arrived: { destination: 0, inboundKafka: 0, kafkaFail: 0, switch: 0 },
    published: [],
    lastBatch: 0,
    chosen: [],
    delayLeft: -1,
  }),
  states: {
    Running: {
      entry(ctx) {
        ctx.vars.topology ??= buildSystem(ctx, ctx.vars.options);
        advance(ctx);
      },
      on: {
        GenerateRecordsNotification(ctx, p) {
          ctx.vars.published[p.batch] = p.success;
          advance(ctx);
        },
        DestinationReceiveNotificationResponse: arrive('destination'),
        KafkaReceiveNotificationResponse: arrive('inboundKafka'),
        KafkaFailCompleted: arrive('kafkaFail'),
        MongoSwitchRegionsCompleted: arrive('switch'),
        Tick(ctx) {
          ctx.vars.delayLeft--;
          if (ctx.vars.delayLeft > 0) ctx.send(ctx.self, Ev.Tick, undefined);
          else advance(ctx);
        },
      },
    },
    Done: {
      ignore: ['GenerateRecordsNotification', 'DestinationReceiveNotificationResponse', 'KafkaReceiveNotificationResponse', 'KafkaFailCompleted', 'MongoSwitchRegionsCompleted', 'Tick'],
    },
  },
});

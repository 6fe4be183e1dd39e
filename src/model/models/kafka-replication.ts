/**
 * Kafka replication of one partition (3 replicas) as machines: a controller (the metadata quorum:
 * sessions, leader election, ISR changes), brokers (leader/follower, leader epochs, high watermark,
 * ISR shrink/expand through the controller, log truncation on divergence), one producer (acks 0/1/all)
 * and a driver that faults the leader: crash, full isolation, or isolation from the quorum only.
 *
 * The spec checks seed 001's question: is any acknowledged write missing from the final committed log?
 *
 * Modelling assumptions (documented in docs/modelling.md): a broker that cannot reach the controller
 * keeps acting as leader until its own session check fences it (`selfFenceMs`, later than the
 * controller's `sessionTimeoutMs`), which is the window seed 001 measured; unclean leader election is off.
 */
import { eventIds } from '../event-ids.js';
import { defineMachine, type MachineContext, type MachineRef } from '../machine.js';
import { UsageError } from '../../errors.js';
import type { ModelDef, ModelReduction } from '../model.js';
import { defineMonitor } from '../monitor.js';
import { compressRanges } from '../trace.js';

export type Acks = '0' | '1' | 'all';
export type KafkaFault = 'none' | 'leader-crash' | 'leader-isolated' | 'leader-quorum-isolated';
export const KAFKA_FAULTS: readonly KafkaFault[] = ['none', 'leader-crash', 'leader-isolated', 'leader-quorum-isolated'];
export const KAFKA_ACKS: readonly Acks[] = ['0', '1', 'all'];

export interface KafkaReplicationOptions {
  readonly acks: Acks;
  readonly minInsyncReplicas: number;
  readonly fault: KafkaFault;
  readonly writes: number;
  readonly produceIntervalMs: number;
  readonly heartbeatIntervalMs: number;
  /** Controller fences a broker whose heartbeats stopped this long ago. */
  readonly sessionTimeoutMs: number;
  /** A broker without heartbeat answers for this long stops acting as leader. */
  readonly selfFenceMs: number;
  /** Followers not caught up for this long are removed from the ISR. */
  readonly replicaLagMs: number;
  readonly fetchIntervalMs: number;
  readonly requestTimeoutMs: number;
  /** Producer metadata refresh (acks=0 learns of a dead leader only this way). */
  readonly metadataMaxAgeMs: number;
  /** Fault start times the scheduler chooses from. */
  readonly faultAtMs: readonly number[];
  readonly healAfterMs: number;
  /** When the driver reads the final committed log. */
  readonly checkAtMs: number;
  /** Measurement hook: called with each run's numbers when the final log is read (not part of the model). */
  readonly observe?: (summary: KafkaRunSummary) => void;
}

export interface KafkaRunSummary {
  readonly acknowledged: number;
  readonly lost: number;
  readonly highWatermark: number;
  readonly offline: boolean;
}

export const KAFKA_DEFAULTS: KafkaReplicationOptions = {
  acks: '1',
  minInsyncReplicas: 1,
  fault: 'leader-isolated',
  writes: 30,
  produceIntervalMs: 1,
  heartbeatIntervalMs: 2,
  sessionTimeoutMs: 6,
  selfFenceMs: 12,
  replicaLagMs: 5,
  fetchIntervalMs: 1,
  requestTimeoutMs: 10,
  metadataMaxAgeMs: 5,
  faultAtMs: [5, 9, 13],
  healAfterMs: 25,
  checkAtMs: 90,
};

const BROKERS = 3;

/** Registry parameter names of the model's sizes: a reduction's `params` use them, so a replay rebuilds it. */
export const KAFKA_SIZE_PARAMS = { writes: 'writes', checkAtMs: 'check-at-ms' } as const;
/** Bounds on the sizes a registry parameter may set (runs of the largest stay well within the step bound). */
export const KAFKA_SIZE_LIMITS = { writes: { min: 1, max: 200 }, checkAtMs: { min: 1, max: 500 } } as const;
/** Fewest writes a reduction offers (a smaller model can still lose what the leader acknowledged in its last ms). */
const REDUCED_WRITES_MIN = 5;
/** Smaller versions offered per model (simplest first); each may offer its own. */
const MAX_KAFKA_REDUCTIONS = 8;

type Metadata = { leader: number; epoch: number; isr: readonly number[] };
type ProducerEvents = {
  ProduceResponse: { reqId: number; ok: boolean; error?: string };
  Metadata: Metadata;
  SendTick: undefined;
  RequestTimeout: { reqId: number };
  RefreshTick: undefined;
};
type DriverEvents = { Start: undefined; FaultTick: undefined; HealTick: undefined; CheckTick: undefined; Leader: { leader: number }; LogDump: LogDump };
type LogDump = { values: readonly number[]; hw: number; broker: number };
type BrokerEvents = {
  Wire: { peers: readonly MachineRef<BrokerEvents>[] };
  Produce: { value: number; reqId: number; producer: MachineRef<ProducerEvents> };
  Fetch: { broker: number; offset: number; lastEpoch: number; epoch: number };
  FetchResponse: { epoch: number; values: readonly number[]; epochs: readonly number[]; hw: number };
  Diverged: { epoch: number; endOffset: number };
  FetchError: { epoch: number };
  Metadata: Metadata;
  HeartbeatTick: undefined;
  FetchTick: { gen: number };
  DumpLog: { replyTo: MachineRef<DriverEvents> };
};
type ControllerEvents = {
  Heartbeat: { broker: number };
  AlterIsr: { broker: number; epoch: number; isr: readonly number[] };
  MetadataRequest: { replyTo: MachineRef<{ Metadata: Metadata }> };
  WhoLeads: { replyTo: MachineRef<{ Leader: { leader: number } }> };
  Tick: undefined;
};
type SpecEvents = { Acked: { value: number }; FinalLog: LogDump & { offline: boolean } };

/** The ids of every event above (machines send ids, not names: no lookup per send). */
const Ev = eventIds<ProducerEvents & DriverEvents & BrokerEvents & ControllerEvents & SpecEvents>({
  ProduceResponse: true,
  Metadata: true,
  SendTick: true,
  RequestTimeout: true,
  RefreshTick: true,
  Start: true,
  FaultTick: true,
  HealTick: true,
  CheckTick: true,
  Leader: true,
  LogDump: true,
  Wire: true,
  Produce: true,
  Fetch: true,
  FetchResponse: true,
  Diverged: true,
  FetchError: true,
  HeartbeatTick: true,
  FetchTick: true,
  DumpLog: true,
  Heartbeat: true,
  AlterIsr: true,
  MetadataRequest: true,
  WhoLeads: true,
  Tick: true,
  Acked: true,
  FinalLog: true,
});

// ---------------- controller: the metadata quorum ----------------

interface ControllerVars {
  readonly o: KafkaReplicationOptions;
  brokers: MachineRef<BrokerEvents>[];
  readonly lastSeen: number[];
  readonly fenced: boolean[];
  leader: number;
  epoch: number;
  isr: number[];
}

function publish(ctx: MachineContext<ControllerEvents, ControllerVars, string>): void {
  const v = ctx.vars;
  for (let b = 0; b < BROKERS; b++) if (!v.fenced[b]) ctx.send(v.brokers[b] as MachineRef<BrokerEvents>, Ev.Metadata, { leader: v.leader, epoch: v.epoch, isr: v.isr });
}

const Controller = defineMachine<ControllerEvents>()({
  name: 'Controller',
  start: 'Active',
  vars: (init: { o: KafkaReplicationOptions; brokers: MachineRef<BrokerEvents>[] }): ControllerVars => ({
    o: init.o,
    brokers: init.brokers,
    lastSeen: new Array<number>(BROKERS).fill(0),
    fenced: new Array<boolean>(BROKERS).fill(false),
    leader: 0,
    epoch: 1,
    isr: [0, 1, 2],
  }),
  states: {
    Active: {
      entry(ctx) {
        ctx.startTimer(ctx.vars.o.heartbeatIntervalMs, Ev.Tick, undefined);
      },
      on: {
        Heartbeat(ctx, p) {
          const v = ctx.vars;
          v.lastSeen[p.broker] = ctx.now();
          if (v.fenced[p.broker]) {
            v.fenced[p.broker] = false;
            // An offline partition comes back when an ISR member returns (no unclean election).
            if (v.leader < 0 && v.isr.includes(p.broker)) {
              v.leader = p.broker;
              v.epoch++;
              publish(ctx);
              return;
            }
          }
          ctx.send(v.brokers[p.broker] as MachineRef<BrokerEvents>, Ev.Metadata, { leader: v.leader, epoch: v.epoch, isr: v.isr });
        },
        AlterIsr(ctx, p) {
          const v = ctx.vars;
          if (p.broker !== v.leader || p.epoch !== v.epoch) return;
          v.isr = p.isr.filter((b) => !v.fenced[b] || b === v.leader);
          ctx.send(v.brokers[p.broker] as MachineRef<BrokerEvents>, Ev.Metadata, { leader: v.leader, epoch: v.epoch, isr: v.isr });
        },
        MetadataRequest(ctx, p) {
          ctx.send(p.replyTo, Ev.Metadata, { leader: ctx.vars.leader, epoch: ctx.vars.epoch, isr: ctx.vars.isr });
        },
        WhoLeads(ctx, p) {
          ctx.send(p.replyTo, Ev.Leader, { leader: ctx.vars.leader });
        },
        Tick(ctx) {
          const v = ctx.vars;
          let changed = false;
          for (let b = 0; b < BROKERS; b++) {
            if (v.fenced[b] || ctx.now() - (v.lastSeen[b] ?? 0) <= v.o.sessionTimeoutMs) continue;
            v.fenced[b] = true;
            changed = true;
            if (v.isr.length > 1) v.isr = v.isr.filter((x) => x !== b);
            if (b === v.leader) {
              // Clean election only: a live member of the ISR, else the partition goes offline.
              const next = v.isr.find((x) => x !== b && !v.fenced[x]);
              v.leader = next ?? -1;
              v.epoch++;
              ctx.log(() => `session of broker ${b} expired; new leader ${v.leader} epoch ${v.epoch} isr ${v.isr.join(',')}`);
            }
          }
          if (changed) publish(ctx);
          ctx.startTimer(v.o.heartbeatIntervalMs, Ev.Tick, undefined);
        },
      },
    },
  },
});

// ---------------- broker: one replica of the partition ----------------

interface Pending {
  readonly offset: number;
  readonly reqId: number;
  readonly producer: MachineRef<ProducerEvents>;
}

interface BrokerVars {
  readonly id: number;
  readonly o: KafkaReplicationOptions;
  readonly controller: MachineRef<ControllerEvents>;
  peers: readonly MachineRef<BrokerEvents>[];
  // durable
  values: number[];
  epochs: number[];
  hw: number;
  // volatile
  epoch: number;
  leader: number;
  isr: readonly number[];
  followerLeo: number[];
  lastCaughtUp: number[];
  pending: Pending[];
  lastHeartbeatAck: number;
  fetchGen: number;
}

type BrokerCtx = MachineContext<BrokerEvents, BrokerVars, string>;

function freshBroker(id: number, o: KafkaReplicationOptions, controller: MachineRef<ControllerEvents>, values: number[], epochs: number[], hw: number): BrokerVars {
  return {
    id,
    o,
    controller,
    peers: [],
    values,
    epochs,
    hw,
    epoch: 0,
    leader: -1,
    isr: [],
    followerLeo: new Array<number>(BROKERS).fill(0),
    lastCaughtUp: new Array<number>(BROKERS).fill(0),
    pending: [],
    lastHeartbeatAck: 0,
    fetchGen: 0,
  };
}

function failPending(ctx: BrokerCtx, error: string): void {
  for (const p of ctx.vars.pending) ctx.send(p.producer, Ev.ProduceResponse, { reqId: p.reqId, ok: false, error });
  ctx.vars.pending = [];
}

function applyMetadata(ctx: BrokerCtx, md: Metadata): void {
  const v = ctx.vars;
  v.lastHeartbeatAck = ctx.now();
  if (md.epoch < v.epoch) return;
  if (md.epoch === v.epoch) {
    if (md.leader === v.id) {
      v.isr = md.isr;
      if (ctx.state === 'Leader') advanceHw(ctx);
    }
    if (ctx.state === 'Fenced' || ctx.state === 'Starting') ctx.goto(md.leader === v.id ? 'Leader' : 'Follower');
    return;
  }
  v.epoch = md.epoch;
  v.leader = md.leader;
  v.isr = md.isr;
  if (md.leader === v.id) {
    for (let b = 0; b < BROKERS; b++) {
      v.followerLeo[b] = 0;
      v.lastCaughtUp[b] = ctx.now();
    }
    ctx.goto('Leader');
  } else {
    failPending(ctx, 'NOT_LEADER');
    ctx.goto('Follower');
  }
}

function scheduleFetch(ctx: BrokerCtx, delayMs: number): void {
  ctx.startTimer(delayMs, Ev.FetchTick, { gen: ++ctx.vars.fetchGen });
}

function advanceHw(ctx: BrokerCtx): void {
  const v = ctx.vars;
  let hw = v.values.length;
  for (const b of v.isr) if (b !== v.id) hw = Math.min(hw, v.followerLeo[b] ?? 0);
  if (hw > v.hw) v.hw = hw;
  if (v.pending.length === 0) return;
  const still: Pending[] = [];
  for (const p of v.pending) {
    if (p.offset < v.hw) ctx.send(p.producer, Ev.ProduceResponse, { reqId: p.reqId, ok: true });
    else still.push(p);
  }
  v.pending = still;
}

/** End offset of `epoch` in this log: where the next epoch starts (KIP-101 truncation). */
function endOffsetFor(v: BrokerVars, epoch: number): number {
  for (let i = 0; i < v.epochs.length; i++) if ((v.epochs[i] ?? 0) > epoch) return i;
  return v.epochs.length;
}

const commonHandlers = {
  Wire(ctx: BrokerCtx, p: { peers: readonly MachineRef<BrokerEvents>[] }) {
    ctx.vars.peers = p.peers;
  },
  Metadata(ctx: BrokerCtx, md: Metadata) {
    applyMetadata(ctx, md);
  },
  HeartbeatTick(ctx: BrokerCtx) {
    const v = ctx.vars;
    ctx.send(v.controller, Ev.Heartbeat, { broker: v.id });
    ctx.startTimer(v.o.heartbeatIntervalMs, Ev.HeartbeatTick, undefined);
    if (ctx.state !== 'Leader') return;
    if (ctx.now() - v.lastHeartbeatAck > v.o.selfFenceMs) {
      // Our session is surely gone: stop acting as leader.
      failPending(ctx, 'NOT_LEADER');
      ctx.goto('Fenced');
      return;
    }
    const lagging = v.isr.filter((b) => b !== v.id && ctx.now() - (v.lastCaughtUp[b] ?? 0) > v.o.replicaLagMs);
    if (lagging.length > 0) ctx.send(v.controller, Ev.AlterIsr, { broker: v.id, epoch: v.epoch, isr: v.isr.filter((b) => !lagging.includes(b)) });
  },
  Produce(ctx: BrokerCtx, p: { value: number; reqId: number; producer: MachineRef<ProducerEvents> }) {
    if (ctx.state !== 'Leader') {
      ctx.send(p.producer, Ev.ProduceResponse, { reqId: p.reqId, ok: false, error: 'NOT_LEADER' });
      return;
    }
    const v = ctx.vars;
    if (v.o.acks === 'all' && v.isr.length < v.o.minInsyncReplicas) {
      ctx.send(p.producer, Ev.ProduceResponse, { reqId: p.reqId, ok: false, error: 'NOT_ENOUGH_REPLICAS' });
      return;
    }
    const offset = v.values.length;
    v.values.push(p.value);
    v.epochs.push(v.epoch);
    if (v.o.acks === '1') ctx.send(p.producer, Ev.ProduceResponse, { reqId: p.reqId, ok: true });
    else if (v.o.acks === 'all') {
      v.pending.push({ offset, reqId: p.reqId, producer: p.producer });
      advanceHw(ctx);
    } else advanceHw(ctx);
  },
  Fetch(ctx: BrokerCtx, f: { broker: number; offset: number; lastEpoch: number; epoch: number }) {
    const v = ctx.vars;
    const peer = v.peers[f.broker] as MachineRef<BrokerEvents>;
    if (ctx.state !== 'Leader' || f.epoch !== v.epoch) {
      ctx.send(peer, Ev.FetchError, { epoch: f.epoch });
      return;
    }
    const leo = v.values.length;
    if (f.offset > 0 && (f.offset > leo || v.epochs[f.offset - 1] !== f.lastEpoch)) {
      ctx.send(peer, Ev.Diverged, { epoch: v.epoch, endOffset: Math.min(leo, endOffsetFor(v, f.lastEpoch)) });
      return;
    }
    v.followerLeo[f.broker] = f.offset;
    if (f.offset >= leo) v.lastCaughtUp[f.broker] = ctx.now();
    advanceHw(ctx);
    if (!v.isr.includes(f.broker) && f.offset >= v.hw) ctx.send(v.controller, Ev.AlterIsr, { broker: v.id, epoch: v.epoch, isr: [...v.isr, f.broker] });
    ctx.send(peer, Ev.FetchResponse, { epoch: v.epoch, values: v.values.slice(f.offset), epochs: v.epochs.slice(f.offset), hw: v.hw });
  },
  FetchResponse(ctx: BrokerCtx, r: { epoch: number; values: readonly number[]; epochs: readonly number[]; hw: number }) {
    const v = ctx.vars;
    if (ctx.state !== 'Follower' || r.epoch !== v.epoch) return;
    for (let i = 0; i < r.values.length; i++) {
      v.values.push(r.values[i] as number);
      v.epochs.push(r.epochs[i] as number);
    }
    v.hw = Math.min(r.hw, v.values.length);
    scheduleFetch(ctx, v.o.fetchIntervalMs);
  },
  Diverged(ctx: BrokerCtx, d: { epoch: number; endOffset: number }) {
    const v = ctx.vars;
    if (ctx.state !== 'Follower' || d.epoch !== v.epoch) return;
    const keep = Math.min(d.endOffset, v.values.length);
    v.values.length = keep;
    v.epochs.length = keep;
    if (v.hw > keep) v.hw = keep;
    ctx.log(() => `truncated log to ${keep}`);
    scheduleFetch(ctx, 0);
  },
  FetchError(ctx: BrokerCtx) {
    if (ctx.state === 'Follower') scheduleFetch(ctx, ctx.vars.o.fetchIntervalMs);
  },
  FetchTick(ctx: BrokerCtx, t: { gen: number }) {
    const v = ctx.vars;
    if (ctx.state !== 'Follower' || t.gen !== v.fetchGen || v.leader < 0) return;
    const leo = v.values.length;
    ctx.send(v.peers[v.leader] as MachineRef<BrokerEvents>, Ev.Fetch, { broker: v.id, offset: leo, lastEpoch: leo > 0 ? (v.epochs[leo - 1] ?? -1) : -1, epoch: v.epoch });
    // Re-arm in case the request or its answer is lost (isolation); a newer gen supersedes this.
    scheduleFetch(ctx, v.o.requestTimeoutMs);
  },
  DumpLog(ctx: BrokerCtx, p: { replyTo: MachineRef<DriverEvents> }) {
    ctx.send(p.replyTo, Ev.LogDump, { values: ctx.vars.values.slice(0, ctx.vars.hw), hw: ctx.vars.hw, broker: ctx.vars.id });
  },
};

const Broker = defineMachine<BrokerEvents>()({
  name: 'Broker',
  start: 'Starting',
  vars: (init: { id: number; o: KafkaReplicationOptions; controller: MachineRef<ControllerEvents> }) => freshBroker(init.id, init.o, init.controller, [], [], 0),
  // The log and high watermark are on disk; roles and follower state are not.
  restart: (prev, init) => ({ ...freshBroker(init.id, init.o, init.controller, prev.values, prev.epochs, prev.hw), peers: prev.peers }),
  states: {
    Starting: {
      entry(ctx) {
        ctx.send(ctx.vars.controller, Ev.Heartbeat, { broker: ctx.vars.id });
        ctx.startTimer(ctx.vars.o.heartbeatIntervalMs, Ev.HeartbeatTick, undefined);
      },
      on: commonHandlers,
    },
    Leader: {
      entry(ctx) {
        ctx.log(() => `leads epoch ${ctx.vars.epoch}, isr ${ctx.vars.isr.join(',')}, log ${ctx.vars.values.length}, hw ${ctx.vars.hw}`);
        advanceHw(ctx);
      },
      on: commonHandlers,
    },
    Follower: {
      entry(ctx) {
        scheduleFetch(ctx, 0);
      },
      on: commonHandlers,
    },
    Fenced: {
      on: commonHandlers,
    },
  },
});

// ---------------- producer ----------------

interface ProducerVars {
  readonly o: KafkaReplicationOptions;
  readonly controller: MachineRef<ControllerEvents>;
  readonly brokers: readonly MachineRef<BrokerEvents>[];
  leader: number;
  next: number;
  readonly inFlight: Map<number, number>;
}

const Producer = defineMachine<ProducerEvents>()({
  name: 'Producer',
  start: 'Producing',
  vars: (init: { o: KafkaReplicationOptions; controller: MachineRef<ControllerEvents>; brokers: readonly MachineRef<BrokerEvents>[] }): ProducerVars => ({
    o: init.o,
    controller: init.controller,
    brokers: init.brokers,
    leader: 0,
    next: 0,
    inFlight: new Map(),
  }),
  states: {
    Producing: {
      entry(ctx) {
        ctx.startTimer(ctx.vars.o.produceIntervalMs, Ev.SendTick, undefined);
        ctx.startTimer(ctx.vars.o.metadataMaxAgeMs, Ev.RefreshTick, undefined);
      },
      on: {
        SendTick(ctx) {
          const v = ctx.vars;
          if (v.next >= v.o.writes) return;
          const value = v.next++;
          ctx.startTimer(v.o.produceIntervalMs, Ev.SendTick, undefined);
          if (v.leader < 0) {
            ctx.send(v.controller, Ev.MetadataRequest, { replyTo: ctx.self });
            return;
          }
          ctx.send(v.brokers[v.leader] as MachineRef<BrokerEvents>, Ev.Produce, { value, reqId: value, producer: ctx.self });
          // acks=0: fire and forget, counted as delivered once sent.
          if (v.o.acks === '0') ctx.announce(Ev.Acked, { value });
          else {
            v.inFlight.set(value, value);
            ctx.startTimer(v.o.requestTimeoutMs, Ev.RequestTimeout, { reqId: value });
          }
        },
        ProduceResponse(ctx, r) {
          const v = ctx.vars;
          const value = v.inFlight.get(r.reqId);
          if (value === undefined) return;
          v.inFlight.delete(r.reqId);
          if (r.ok) ctx.announce(Ev.Acked, { value });
          else ctx.send(v.controller, Ev.MetadataRequest, { replyTo: ctx.self });
        },
        RequestTimeout(ctx, t) {
          // Outcome unknown (info): never counted as acknowledged.
          if (ctx.vars.inFlight.delete(t.reqId)) ctx.send(ctx.vars.controller, Ev.MetadataRequest, { replyTo: ctx.self });
        },
        Metadata(ctx, md) {
          ctx.vars.leader = md.leader;
        },
        RefreshTick(ctx) {
          const v = ctx.vars;
          if (v.next >= v.o.writes && v.inFlight.size === 0) return;
          ctx.send(v.controller, Ev.MetadataRequest, { replyTo: ctx.self });
          ctx.startTimer(v.o.metadataMaxAgeMs, Ev.RefreshTick, undefined);
        },
      },
    },
  },
});

// ---------------- driver and spec ----------------

interface DriverVars {
  readonly o: KafkaReplicationOptions;
  controller: MachineRef<ControllerEvents> | null;
  brokers: MachineRef<BrokerEvents>[];
  victim: number;
  phase: 'fault' | 'check';
}

const Driver = defineMachine<DriverEvents>()({
  name: 'KafkaDriver',
  start: 'Running',
  vars: (o: KafkaReplicationOptions): DriverVars => ({ o, controller: null, brokers: [], victim: -1, phase: 'fault' }),
  states: {
    Running: {
      entry(ctx) {
        const v = ctx.vars;
        const brokers: MachineRef<BrokerEvents>[] = [];
        // The controller's broker list is filled right below, in this same step.
        const controller = ctx.create(Controller, { o: v.o, brokers }, 'Controller');
        for (let b = 0; b < BROKERS; b++) brokers.push(ctx.create(Broker, { id: b, o: v.o, controller }, `Broker${b}`));
        for (const b of brokers) ctx.send(b, Ev.Wire, { peers: brokers });
        ctx.create(Producer, { o: v.o, controller, brokers }, 'Producer');
        v.controller = controller;
        v.brokers = brokers;
        if (v.o.fault !== 'none') ctx.startTimer(v.o.faultAtMs[ctx.choose(v.o.faultAtMs.length)] ?? 5, Ev.FaultTick, undefined);
        ctx.startTimer(v.o.checkAtMs, Ev.CheckTick, undefined);
      },
      on: {
        FaultTick(ctx) {
          ctx.vars.phase = 'fault';
          ctx.send(ctx.vars.controller as MachineRef<ControllerEvents>, Ev.WhoLeads, { replyTo: ctx.self });
        },
        CheckTick(ctx) {
          ctx.vars.phase = 'check';
          ctx.send(ctx.vars.controller as MachineRef<ControllerEvents>, Ev.WhoLeads, { replyTo: ctx.self });
        },
        Leader(ctx, p) {
          const v = ctx.vars;
          if (v.phase === 'check') {
            if (p.leader < 0) {
              ctx.announce(Ev.FinalLog, { values: [], hw: 0, broker: -1, offline: true });
              ctx.stopRun();
            } else ctx.send(v.brokers[p.leader] as MachineRef<BrokerEvents>, Ev.DumpLog, { replyTo: ctx.self });
            return;
          }
          if (p.leader < 0) return;
          v.victim = p.leader;
          const victim = v.brokers[p.leader] as MachineRef<BrokerEvents>;
          const controller = v.controller as MachineRef<ControllerEvents>;
          if (v.o.fault === 'leader-crash') ctx.faults.fail(victim);
          else if (v.o.fault === 'leader-isolated') ctx.faults.isolate(victim, [controller, ...v.brokers.filter((b) => b !== victim)]);
          else ctx.faults.isolate(victim, [controller]);
          ctx.startTimer(v.o.healAfterMs, Ev.HealTick, undefined);
        },
        HealTick(ctx) {
          const v = ctx.vars;
          const victim = v.brokers[v.victim] as MachineRef<BrokerEvents>;
          if (v.o.fault === 'leader-crash') ctx.faults.crashRestart(victim);
          else ctx.faults.heal();
        },
        LogDump(ctx, d) {
          ctx.announce(Ev.FinalLog, { ...d, offline: false });
          ctx.stopRun();
        },
      },
    },
  },
});

interface SpecVars {
  readonly acked: number[];
}

const noAckedWriteLost = (observe: ((summary: KafkaRunSummary) => void) | undefined) =>
  defineMonitor<SpecEvents>()({
    name: 'NoAckedWriteLost',
    start: 'Running',
    vars: (): SpecVars => ({ acked: [] }),
    describePending: () => 'the run ended before the final log was read',
    states: {
      // Hot: the run must reach the final read of the log.
      Running: {
        hot: true,
        on: {
          Acked(ctx, p) {
            ctx.vars.acked.push(p.value);
          },
          FinalLog(ctx, f) {
            const present = new Set(f.values);
            const lost = f.offline ? [] : ctx.vars.acked.filter((v) => !present.has(v));
            observe?.({ acknowledged: ctx.vars.acked.length, lost: lost.length, highWatermark: f.hw, offline: f.offline });
            if (!f.offline) {
              ctx.assert(
                lost.length === 0,
                () => `acknowledged writes lost: ${lost.length} (values ${compressRanges(lost)}); acknowledged ${ctx.vars.acked.length}, high watermark ${f.hw} on leader broker ${f.broker}`,
              );
            }
            ctx.goto('Checked');
          },
        },
      },
      Checked: {},
    },
  });

/**
 * Virtual time by which the controller has failed over from a leader faulted at the latest fault time:
 * the leader's last heartbeat, the session timeout, the controller's next check (0 without a fault).
 */
function latestFailoverMs(o: KafkaSizeInputs): number {
  return o.fault === 'none' ? 0 : Math.max(0, ...o.faultAtMs) + o.sessionTimeoutMs + 2 * o.heartbeatIntervalMs;
}

type KafkaSizeInputs = Pick<KafkaReplicationOptions, 'writes' | 'produceIntervalMs' | 'requestTimeoutMs' | 'fault' | 'faultAtMs' | 'sessionTimeoutMs' | 'heartbeatIntervalMs'>;

/**
 * The earliest final read that reads a settled log: the request timeout after the last send and after
 * the latest failover (by then a write is replicated into the new leader's high watermark, or its
 * follower left the ISR, or it was never acknowledged). An earlier read could report writes that are
 * still settling as lost, or ask a leader that just failed.
 */
export function kafkaMinCheckAtMs(o: KafkaSizeInputs): number {
  return Math.max(o.writes * o.produceIntervalMs, latestFailoverMs(o)) + o.requestTimeoutMs;
}

function validateSizes(o: KafkaReplicationOptions): void {
  if (!Number.isSafeInteger(o.writes) || o.writes < 1) throw new UsageError(`writes: must be a positive integer, got ${o.writes}`);
  const min = kafkaMinCheckAtMs(o);
  if (!(o.checkAtMs >= min)) {
    throw new UsageError(`checkAtMs: ${o.checkAtMs} is before the writes and the failover settle (at least ${min} with writes ${o.writes}, faultAtMs ${o.faultAtMs.join(',')})`);
  }
}

/**
 * Smaller versions of the model, simplest first (earliest final read, then fewest writes): fewer
 * writes (REDUCED_WRITES_MIN, half) and an earlier final read (the earliest those writes allow,
 * half), never one reading before its writes settle (`kafkaMinCheckAtMs`).
 */
function kafkaReductions(o: KafkaReplicationOptions, overrides: Partial<KafkaReplicationOptions>, name: string): ModelReduction[] {
  const writes = [...new Set([REDUCED_WRITES_MIN, Math.ceil(o.writes / 2), o.writes])].filter((w) => w >= 1 && w <= o.writes);
  const sizes: { writes: number; checkAtMs: number }[] = [];
  for (const w of writes) {
    const earliest = kafkaMinCheckAtMs({ ...o, writes: w });
    for (const c of new Set([earliest, Math.ceil(o.checkAtMs / 2), o.checkAtMs])) {
      if (c >= earliest && c <= o.checkAtMs && (w < o.writes || c < o.checkAtMs)) sizes.push({ writes: w, checkAtMs: c });
    }
  }
  sizes.sort((a, b) => a.checkAtMs - b.checkAtMs || a.writes - b.writes);
  return sizes.slice(0, MAX_KAFKA_REDUCTIONS).map((size) => ({
    label: `${KAFKA_SIZE_PARAMS.writes} ${size.writes} ${KAFKA_SIZE_PARAMS.checkAtMs} ${size.checkAtMs}`,
    params: { [KAFKA_SIZE_PARAMS.writes]: String(size.writes), [KAFKA_SIZE_PARAMS.checkAtMs]: String(size.checkAtMs) },
    build: () => kafkaReplicationModel({ ...overrides, ...size }, name),
  }));
}

/**
 * The model with `overrides` on KAFKA_DEFAULTS. It offers smaller versions of itself (fewer writes, an
 * earlier final read) to the shrinker, named by the registry parameters `writes` and `check-at-ms`.
 */
export function kafkaReplicationModel(overrides: Partial<KafkaReplicationOptions> = {}, name = 'kafka-replication'): ModelDef {
  const o: KafkaReplicationOptions = { ...KAFKA_DEFAULTS, ...overrides };
  validateSizes(o);
  // Defined once per model: definitions are compiled once and cached by identity.
  const spec = noAckedWriteLost(o.observe);
  return {
    name,
    description: `Kafka replication, acks=${o.acks}, min.insync.replicas=${o.minInsyncReplicas}, fault=${o.fault}, ${o.writes} writes, final read at ${o.checkAtMs} ms`,
    maxSteps: 20_000,
    timeAdvance: 'idle',
    maxTimeMs: o.checkAtMs + 50,
    reductions: () => kafkaReductions(o, overrides, name),
    setup(ctx) {
      ctx.monitor(spec);
      ctx.create(Driver, o, 'Driver');
    },
  };
}

/**
 * The deterministic executor of one run. It owns all concurrency: which machine steps next (asked
 * of the strategy), virtual time and timers, every random choice, and failure injection. A step
 * delivers one event to one machine and runs the handler to completion (plus any transitions).
 *
 * Hot-loop rules: no string building unless tracing, no per-step allocation besides messages, the
 * schedule recorded as a flat array of chosen values, and no scan over all machines: the ready set
 * changes only for the machines a step touched (an enqueue, a dequeue, a transition, a fault).
 */
import type { Coverage, CoverageEntry } from './coverage.js';
import type {
  EventMap,
  FaultControl,
  LinkFaultOptions,
  MachineContext,
  MachineDef,
  MachineHandle,
  MachineRef,
  TimerId,
} from './machine.js';
import type { ModelDef, SetupContext } from './model.js';
import type { MonitorContext, MonitorDef } from './monitor.js';
import { eventIdOf, eventName, internEvent, type EventId } from './event-ids.js';
import { Inbox } from './inbox.js';
import { ReadySet } from './ready-set.js';
import type { Strategy } from './strategy.js';
import { describePayload, type TraceEntry, type TraceKind } from './trace.js';

export type ViolationKind = 'safety' | 'liveness' | 'unhandled-event' | 'exception';

export interface Violation {
  readonly kind: ViolationKind;
  /** Machine or monitor that reported it. */
  readonly source: string;
  readonly message: string;
  readonly step: number;
  readonly timeMs: number;
}

export type RunOutcome = 'quiescent' | 'stopped' | 'max-steps' | 'time-limit' | 'violation';

export interface RunResult {
  readonly outcome: RunOutcome;
  readonly steps: number;
  readonly timeMs: number;
  readonly violation?: Violation;
  /** Fault actions taken (fail, crash-restart, isolate, partition, link faults). */
  readonly faults: number;
  /** The schedule: every recorded choice (shared buffer; copy it to keep it). */
  readonly choices: number[];
  readonly trace?: TraceEntry[];
}

export interface RunOptions {
  readonly maxSteps: number;
  readonly trace?: boolean;
  readonly coverage?: Coverage;
  /** Reused between runs to avoid allocation; the result's `choices` is this array. */
  readonly choiceBuffer?: number[];
  /** Called with each machine or monitor definition as it is instantiated (model fingerprints). */
  readonly onDefine?: (kind: 'machine' | 'monitor', def: object) => void;
}

type AnyHandler = (ctx: unknown, payload: unknown) => void;
type AnyAction = (ctx: unknown) => void;

interface CompiledState {
  readonly name: string;
  readonly entry: AnyAction | undefined;
  readonly exit: AnyAction | undefined;
  readonly handlers: (AnyHandler | undefined)[];
  readonly defer: boolean[];
  readonly hasDefer: boolean;
  readonly ignore: boolean[];
  readonly hot: boolean;
}

interface CompiledMachine {
  readonly name: string;
  readonly states: CompiledState[];
  /** State names by index (a machine has a handful: a scan beats a map lookup on every goto). */
  readonly stateNames: readonly string[];
  readonly start: number;
  readonly vars: (init: unknown) => unknown;
  readonly restart: ((previous: unknown, init: unknown) => unknown) | undefined;
  readonly onRecover: AnyAction | undefined;
  readonly describePending: ((vars: unknown) => string) | undefined;
}

interface RawState {
  entry?: AnyAction;
  exit?: AnyAction;
  on?: Record<string, AnyHandler | undefined>;
  defer?: readonly string[];
  ignore?: readonly string[];
  hot?: boolean;
}

const compiledCache = new WeakMap<object, CompiledMachine>();

function compile(def: {
  name: string;
  start: string;
  states: Record<string, RawState>;
  vars: (init: unknown) => unknown;
  restart?: (previous: unknown, init: unknown) => unknown;
  onRecover?: AnyAction;
  describePending?: (vars: unknown) => string;
}): CompiledMachine {
  const cached = compiledCache.get(def);
  if (cached !== undefined) return cached;
  const names = Object.keys(def.states);
  const states = names.map((name): CompiledState => {
    const raw = def.states[name] ?? {};
    const handlers: (AnyHandler | undefined)[] = [];
    const defer: boolean[] = [];
    const ignore: boolean[] = [];
    for (const [event, handler] of Object.entries(raw.on ?? {})) if (handler !== undefined) handlers[internEvent(event)] = handler;
    for (const event of raw.defer ?? []) defer[internEvent(event)] = true;
    for (const event of raw.ignore ?? []) ignore[internEvent(event)] = true;
    return { name, entry: raw.entry, exit: raw.exit, handlers, defer, hasDefer: (raw.defer ?? []).length > 0, ignore, hot: raw.hot === true };
  });
  const start = names.indexOf(def.start);
  if (start < 0) throw new Error(`${def.name}: start state '${def.start}' is not among its states`);
  const compiled: CompiledMachine = {
    name: def.name,
    states,
    stateNames: names,
    start,
    vars: def.vars,
    restart: def.restart,
    onRecover: def.onRecover,
    describePending: def.describePending,
  };
  compiledCache.set(def, compiled);
  return compiled;
}

/** The index of state `name` of `cm`, or -1. */
function stateIndex(cm: CompiledMachine, name: string): number {
  const names = cm.stateNames;
  for (let i = 0; i < names.length; i++) if (names[i] === name) return i;
  return -1;
}

const HOOK_NONE = 0;
const HOOK_START = 1;
const HOOK_RECOVER = 2;

/** Guards against entry actions that goto forever. */
const MAX_TRANSITIONS_PER_STEP = 1000;
/** Guards against runaway growth of one inbox (a model bug, reported as a violation). */
const MAX_INBOX = 100_000;

class MachineInstance {
  vars: unknown;
  state: number;
  readonly inbox = new Inbox();
  failed = false;
  halted = false;
  /** failed || halted, kept in one field for the scheduler's scan. */
  down = false;
  /** Whether the current state defers any event. */
  deferring = false;
  pendingHook = HOOK_START;
  incarnation = 0;
  nextState = -1;
  /** In the runtime's ready set. */
  inReady = false;
  /** Awaiting a readiness update (in the runtime's list of changed machines). */
  touched = false;
  readonly ctx: MachineCtx;
  constructor(
    readonly id: number,
    readonly name: string,
    readonly cm: CompiledMachine,
    readonly init: unknown,
    readonly cov: CoverageEntry | undefined,
    exec: Execution,
  ) {
    this.vars = cm.vars(init);
    this.state = cm.start;
    this.deferring = (cm.states[cm.start] as CompiledState).hasDefer;
    this.ctx = new MachineCtx(exec, this);
  }
}

class MonitorInstance {
  vars: unknown;
  state: number;
  nextState = -1;
  hotSince = -1;
  readonly ctx: MonitorCtx;
  constructor(
    readonly name: string,
    readonly cm: CompiledMachine,
    readonly cov: CoverageEntry | undefined,
    exec: Execution,
  ) {
    this.vars = cm.vars(undefined);
    this.state = cm.start;
    this.ctx = new MonitorCtx(exec, this);
  }
}

interface Timer {
  readonly time: number;
  readonly seq: number;
  readonly target: MachineInstance;
  readonly incarnation: number;
  readonly ev: number;
  readonly payload: unknown;
  cancelled: boolean;
}

interface LinkRule {
  readonly drop: boolean;
  readonly duplicate: boolean;
  readonly delayMs: number;
  readonly maxFaults: number;
  used: number;
}

/** Thrown inside handlers to end the step with a violation. */
class ViolationSignal {
  constructor(readonly violation: Violation) {}
}

const ENV_ID = 0xffff;

export class Execution {
  private readonly machines: MachineInstance[] = [];
  private readonly monitors: MonitorInstance[] = [];
  private readonly observers: (MonitorInstance[] | undefined)[] = [];
  private readonly timers: Timer[] = [];
  /** Timers by id (ids are small per-run counters). */
  private readonly timerById: (Timer | undefined)[] = [];
  private timerSeq = 0;
  /** Machines with a pending hook or a deliverable message, maintained as they change. */
  private readonly ready = new ReadySet();
  /** Machines touched since the last pick, each once (`touched`): their readiness is recomputed. */
  private readonly changed: MachineInstance[] = [];
  private changedCount = 0;
  /** The schedule so far: `choices[0..choiceCount)` (the buffer keeps its capacity between runs; its length is set at the end). */
  private readonly choices: number[];
  private choiceCount = 0;
  private readonly tracing: boolean;
  private readonly traceEntries: TraceEntry[] | undefined;
  private blocked: Set<number> | null = null;
  private linkRules: Map<number, LinkRule> | null = null;
  private current: MachineInstance | null = null;
  private stopped = false;
  private faultCount = 0;
  nowMs = 0;
  step = 0;
  readonly faults: FaultControl;

  constructor(
    private readonly model: ModelDef,
    private readonly strategy: Strategy,
    private readonly options: RunOptions,
  ) {
    this.choices = options.choiceBuffer ?? [];
    this.tracing = options.trace === true;
    this.traceEntries = this.tracing ? [] : undefined;
    this.faults = new Faults(this);
  }

  /** Executes the run to its end. */
  run(): RunResult {
    const { maxSteps } = this.options;
    const maxTimeMs = this.model.maxTimeMs ?? Number.POSITIVE_INFINITY;
    const hotLimit = this.model.hotStepLimit ?? Number.POSITIVE_INFINITY;
    const anyTime = this.model.timeAdvance === 'any';
    let outcome: RunOutcome = 'quiescent';
    let violation: Violation | undefined;
    try {
      this.model.setup(this.setupContext());
      const machines = this.machines;
      const ready = this.ready;
      for (;;) {
        if (this.stopped) {
          outcome = 'stopped';
          break;
        }
        if (this.step >= maxSteps) {
          outcome = 'max-steps';
          break;
        }
        // The enabled machines, ascending id (deterministic order), with a spare slot.
        let count = this.refreshReady();
        if (count === 0) {
          if (!this.advanceTime(maxTimeMs)) {
            outcome = this.timers.length > 0 ? 'time-limit' : 'quiescent';
            break;
          }
          continue;
        }
        const cand = ready.list();
        if (anyTime && this.hasLiveTimer(maxTimeMs)) cand[count++] = -1;
        let pick = 0;
        if (count > 1) {
          pick = this.strategy.pickMachine(cand, count, this.step);
          this.choices[this.choiceCount++] = pick;
        }
        const id = cand[pick] as number;
        this.step++;
        if (id < 0) {
          // Time passes before the pending work (timeAdvance 'any'); a void timer just costs the step.
          this.advanceTime(maxTimeMs);
          continue;
        }
        const m = machines[id] as MachineInstance;
        this.runMachine(m);
        // The stepping machine is not touched (it is the one machine every step changes): its readiness is updated here.
        this.updateReady(m);
        if (hotLimit !== Number.POSITIVE_INFINITY) this.checkHotLimit(hotLimit);
      }
      this.checkLivenessAtEnd(outcome);
    } catch (error) {
      outcome = 'violation';
      if (error instanceof ViolationSignal) violation = error.violation;
      else {
        const message = error instanceof Error ? error.message : String(error);
        violation = { kind: 'exception', source: this.current?.name ?? 'setup', message, step: this.step, timeMs: this.nowMs };
      }
      this.record('violation', violation.source, undefined, undefined, `${violation.kind}: ${violation.message}`);
    }
    this.current = null;
    this.choices.length = this.choiceCount;
    return {
      outcome,
      steps: this.step,
      timeMs: this.nowMs,
      violation,
      faults: this.faultCount,
      choices: this.choices,
      trace: this.traceEntries,
    };
  }

  // ---------- stepping ----------

  private machineReady(m: MachineInstance): boolean {
    if (m.down) return false;
    return m.pendingHook !== HOOK_NONE || (m.inbox.size > 0 && (!m.deferring || m.inbox.firstNotIn((m.cm.states[m.state] as CompiledState).defer) >= 0));
  }

  /** Notes that a machine's inbox, state or status changed (its readiness is recomputed before the next pick). */
  touch(m: MachineInstance): void {
    if (m.touched) return;
    m.touched = true;
    this.changed[this.changedCount++] = m;
  }

  /** Brings the ready set up to date with the touched machines; returns how many machines are ready. */
  private refreshReady(): number {
    const ready = this.ready;
    const changed = this.changed;
    for (let i = 0; i < this.changedCount; i++) {
      const m = changed[i] as MachineInstance;
      m.touched = false;
      this.updateReady(m);
    }
    this.changedCount = 0;
    return ready.count;
  }

  private updateReady(m: MachineInstance): void {
    const isReady = this.machineReady(m);
    if (isReady === m.inReady) return;
    m.inReady = isReady;
    if (isReady) this.ready.insert(m.id);
    else this.ready.remove(m.id);
  }

  private runMachine(m: MachineInstance): void {
    this.current = m;
    if (m.pendingHook !== HOOK_NONE) {
      this.runHook(m);
      return;
    }
    const st = m.cm.states[m.state] as CompiledState;
    const inbox = m.inbox;
    // The machine is ready, so some message is deliverable.
    const at = st.hasDefer ? inbox.firstNotIn(st.defer) : inbox.head;
    const ev = inbox.eventAt(at);
    const payload = inbox.payloadAt(at);
    inbox.remove(at);
    const handler = st.handlers[ev];
    if (this.tracing) this.record('deliver', m.name, undefined, eventName(ev), `in ${st.name}${handler === undefined ? ' (ignored)' : ''}`);
    if (handler !== undefined) {
      handler(m.ctx, payload);
      if (m.nextState >= 0) this.applyTransitions(m);
    } else if (st.ignore[ev] !== true) {
      this.fail('unhandled-event', m.name, `${m.name} in state ${st.name} cannot handle event ${eventName(ev) ?? ev}`);
    }
  }

  /** The start state's entry (a new or restarted machine) or the recovery hook. */
  private runHook(m: MachineInstance): void {
    const hook = m.pendingHook;
    m.pendingHook = HOOK_NONE;
    if (hook === HOOK_START) {
      const st = m.cm.states[m.state] as CompiledState;
      if (m.cov !== undefined) bump(m.cov.stateVisits, m.state);
      if (this.tracing) this.record('state', m.name, undefined, undefined, `enters ${st.name}`);
      if (st.entry !== undefined) st.entry(m.ctx);
    } else if (m.cm.onRecover !== undefined) {
      if (this.tracing) this.record('log', m.name, undefined, undefined, 'recovered');
      m.cm.onRecover(m.ctx);
    }
    if (m.nextState >= 0) this.applyTransitions(m);
  }

  private applyTransitions(m: MachineInstance): void {
    for (let guard = 0; m.nextState >= 0; guard++) {
      if (guard >= MAX_TRANSITIONS_PER_STEP) this.fail('exception', m.name, `${m.name}: more than ${MAX_TRANSITIONS_PER_STEP} transitions in one step`);
      const from = m.state;
      const to = m.nextState;
      m.nextState = -1;
      const fromState = m.cm.states[from] as CompiledState;
      if (fromState.exit !== undefined) fromState.exit(m.ctx);
      m.state = to;
      const toState = m.cm.states[to] as CompiledState;
      m.deferring = toState.hasDefer;
      if (m.cov !== undefined) {
        bump(m.cov.stateVisits, to);
        bump(m.cov.transitions, from * m.cm.states.length + to);
      }
      if (this.tracing) this.record('state', m.name, undefined, undefined, `${fromState.name} -> ${toState.name}`);
      if (toState.entry !== undefined) toState.entry(m.ctx);
    }
  }

  // ---------- time ----------

  /** Whether a timer (not cancelled, within the time bound) is pending; drops cancelled ones on top. */
  private hasLiveTimer(maxTimeMs: number): boolean {
    for (;;) {
      const t = this.timers[0];
      if (t === undefined) return false;
      if (!t.cancelled) return t.time <= maxTimeMs;
      heapPop(this.timers);
      this.timerById[t.seq] = undefined;
    }
  }

  /**
   * Lets virtual time pass to the earliest timer and fires every timer due then, so that events
   * that happen "at the same time" are interleaved by the scheduler like any others. False when
   * no timer is left or the next one lies beyond the time bound.
   */
  private advanceTime(maxTimeMs: number): boolean {
    let fired = false;
    let due = -1;
    for (;;) {
      const t = this.timers[0];
      if (t === undefined) return fired;
      if (due >= 0 && t.time !== due) {
        if (fired) return true;
        due = -1; // everything due then was void (cancelled, failed target): move on
      }
      if (t.cancelled) {
        heapPop(this.timers);
        this.timerById[t.seq] = undefined;
        continue;
      }
      if (t.time > maxTimeMs) return fired;
      heapPop(this.timers);
      this.timerById[t.seq] = undefined;
      due = t.time;
      if (t.time > this.nowMs) this.nowMs = t.time;
      const m = t.target;
      if (m.failed || m.halted || m.incarnation !== t.incarnation) continue;
      if (this.tracing) this.record('timer', m.name, undefined, eventName(t.ev), describePayload(t.payload));
      this.enqueue(m, t.ev, t.payload);
      fired = true;
    }
  }

  startTimer(m: MachineInstance, delayMs: number, ev: number, payload: unknown): TimerId {
    const seq = ++this.timerSeq;
    const timer: Timer = { time: this.nowMs + Math.max(0, delayMs), seq, target: m, incarnation: m.incarnation, ev, payload, cancelled: false };
    heapPush(this.timers, timer);
    this.timerById[seq] = timer;
    return seq;
  }

  cancelTimer(id: TimerId): void {
    const t = this.timerById[id];
    if (t !== undefined) {
      t.cancelled = true;
      this.timerById[id] = undefined;
    }
  }

  // ---------- messages ----------

  /**
   * Appends to an up machine's inbox. A message only ever makes a machine ready, and within a step only
   * the stepping machine (in the ready set while it steps, updated after it) or a fault target (touched)
   * changes state, so any other machine joins the ready set here when the message is deliverable in its
   * current state.
   */
  private enqueue(m: MachineInstance, ev: number, payload: unknown): void {
    if (m.inbox.size >= MAX_INBOX) this.fail('exception', m.name, `${m.name}: inbox exceeded ${MAX_INBOX} events`);
    m.inbox.push(ev, payload);
    if (m.inReady || m.touched) return;
    if (m.deferring && (m.cm.states[m.state] as CompiledState).defer[ev] === true) return;
    m.inReady = true;
    this.ready.insert(m.id);
  }

  /** Kept small (the rare paths are methods of their own) so that V8 can inline it into the handlers. */
  send(fromId: number, to: MachineHandle, event: string | EventId, payload: unknown): void {
    const ev = eventIdOf(event);
    const obs = this.observers[ev];
    if (obs !== undefined) this.observeAll(obs, ev, payload);
    const target = this.machines[to.id];
    if (target === undefined) throw new Error(`send to unknown machine ${to.name}`);
    if ((this.blocked !== null || this.linkRules !== null) && !this.crossLink(fromId, target, ev, payload)) return;
    if (target.failed || target.halted) {
      if (this.tracing) this.record('drop', this.nameOf(fromId), target.name, eventName(ev), `${describePayload(payload)} (${target.failed ? 'target failed' : 'target halted'})`);
      return;
    }
    if (this.tracing) this.record('send', this.nameOf(fromId), target.name, eventName(ev), describePayload(payload));
    this.enqueue(target, ev, payload);
  }

  private nameOf(id: number): string {
    return this.machines[id]?.name ?? 'env';
  }

  /**
   * A message crossing a link with a block or a fault rule: false when it is blocked, dropped or
   * delayed; true when it goes on (a duplicate is enqueued here, the original by the caller).
   */
  private crossLink(fromId: number, target: MachineInstance, ev: number, payload: unknown): boolean {
    const event = eventName(ev);
    const key = fromId * 65536 + target.id;
    if (this.blocked?.has(key)) {
      if (this.tracing) this.record('drop', this.nameOf(fromId), target.name, event, `${describePayload(payload)} (link blocked)`);
      return false;
    }
    const rule = this.linkRules?.get(key);
    if (rule === undefined || rule.used >= rule.maxFaults || this.chooseBool(0.2) !== 1) return true;
    const kinds: number[] = [];
    if (rule.drop) kinds.push(0);
    if (rule.duplicate) kinds.push(1);
    if (rule.delayMs > 0) kinds.push(2);
    const kind = kinds[this.chooseInt(kinds.length)];
    rule.used++;
    this.faultCount++;
    if (kind === 0) {
      if (this.tracing) this.record('drop', this.nameOf(fromId), target.name, event, `${describePayload(payload)} (link fault)`);
      return false;
    }
    if (kind === 2) {
      if (this.tracing) this.record('delay', this.nameOf(fromId), target.name, event, `${describePayload(payload)} (+${rule.delayMs}ms)`);
      if (!target.failed && !target.halted) this.startTimer(target, rule.delayMs, ev, payload);
      return false;
    }
    if (kind === 1 && !target.failed && !target.halted) {
      if (this.tracing) this.record('duplicate', this.nameOf(fromId), target.name, event, describePayload(payload));
      this.enqueue(target, ev, payload);
    }
    return true;
  }

  announce(fromName: string, event: string | EventId, payload: unknown): void {
    const ev = eventIdOf(event);
    if (this.tracing) this.record('announce', fromName, undefined, eventName(ev), describePayload(payload));
    const obs = this.observers[ev];
    if (obs !== undefined) this.observeAll(obs, ev, payload);
  }

  // ---------- monitors ----------

  private observeAll(monitors: readonly MonitorInstance[], ev: number, payload: unknown): void {
    for (const mon of monitors) this.observe(mon, ev, payload);
  }

  private observe(mon: MonitorInstance, ev: number, payload: unknown): void {
    const st = mon.cm.states[mon.state] as CompiledState;
    const h = st.handlers[ev];
    if (h === undefined) return;
    h(mon.ctx, payload);
    if (mon.nextState >= 0) this.applyMonitorTransitions(mon);
  }

  private applyMonitorTransitions(mon: MonitorInstance): void {
    for (let guard = 0; mon.nextState >= 0; guard++) {
      if (guard >= MAX_TRANSITIONS_PER_STEP) this.fail('exception', mon.name, `${mon.name}: too many transitions`);
      const from = mon.state;
      const to = mon.nextState;
      mon.nextState = -1;
      mon.state = to;
      const toState = mon.cm.states[to] as CompiledState;
      if (toState.hot) {
        if (mon.hotSince < 0) mon.hotSince = this.step;
      } else mon.hotSince = -1;
      if (mon.cov !== undefined) {
        bump(mon.cov.stateVisits, to);
        bump(mon.cov.transitions, from * mon.cm.states.length + to);
      }
      if (this.tracing) this.record('monitor', mon.name, undefined, undefined, `${(mon.cm.states[from] as CompiledState).name} -> ${toState.name}${toState.hot ? ' (hot)' : ''}`);
      if (toState.entry !== undefined) toState.entry(mon.ctx);
    }
  }

  private checkHotLimit(limit: number): void {
    for (const mon of this.monitors) {
      if (mon.hotSince >= 0 && this.step - mon.hotSince > limit) {
        this.fail('liveness', mon.name, `${mon.name} stayed in hot state ${(mon.cm.states[mon.state] as CompiledState).name} for more than ${limit} steps${this.pending(mon)}`);
      }
    }
  }

  private checkLivenessAtEnd(outcome: RunOutcome): void {
    for (const mon of this.monitors) {
      const st = mon.cm.states[mon.state] as CompiledState;
      if (st.hot) {
        const why = outcome === 'quiescent' ? 'the system went quiet' : outcome === 'stopped' ? 'the run was stopped' : `the run hit its ${outcome === 'max-steps' ? 'step' : 'time'} bound`;
        this.fail('liveness', mon.name, `${mon.name} ended in hot state ${st.name} (${why})${this.pending(mon)}`);
      }
    }
  }

  private pending(mon: MonitorInstance): string {
    return mon.cm.describePending !== undefined ? `: ${mon.cm.describePending(mon.vars)}` : '';
  }

  // ---------- choices ----------

  chooseInt(bound: number): number {
    if (bound <= 1) return 0;
    const v = this.strategy.chooseInt(bound);
    this.choices[this.choiceCount++] = v;
    return v;
  }

  chooseBool(probabilityTrue: number): number {
    const v = this.strategy.chooseBool(probabilityTrue);
    this.choices[this.choiceCount++] = v;
    return v;
  }

  chooseWeighted(weights: readonly number[]): number {
    if (weights.length <= 1) return 0;
    const v = this.strategy.chooseWeighted(weights);
    this.choices[this.choiceCount++] = v;
    return v;
  }

  // ---------- creation ----------

  createMachine(def: object, init: unknown, name: string | undefined): MachineRef<EventMap> {
    const cm = compile(def as Parameters<typeof compile>[0]);
    this.options.onDefine?.('machine', def);
    const id = this.machines.length;
    if (id >= ENV_ID) throw new Error('too many machines');
    const instanceName = name ?? `${cm.name}${id}`;
    const cov = this.options.coverage?.entryFor(cm, 'machine', cm.name, cm.states);
    const m = new MachineInstance(id, instanceName, cm, init, cov, this);
    this.machines.push(m);
    this.touch(m);
    this.strategy.onCreate(id);
    if (this.tracing) this.record('create', this.current?.name ?? 'setup', instanceName, undefined, cm.name);
    return { id, name: instanceName };
  }

  createMonitor(def: MonitorDef<EventMap, unknown, string>): void {
    const cm = compile(def as unknown as Parameters<typeof compile>[0]);
    this.options.onDefine?.('monitor', def);
    const cov = this.options.coverage?.entryFor(cm, 'monitor', cm.name, cm.states);
    const mon = new MonitorInstance(def.name, cm, cov, this);
    this.monitors.push(mon);
    const st = cm.states[cm.start] as CompiledState;
    if (st.hot) mon.hotSince = 0;
    if (cov !== undefined) bump(cov.stateVisits, cm.start);
    for (const s of cm.states) {
      s.handlers.forEach((h, ev) => {
        if (h === undefined) return;
        const list = this.observers[ev] ?? (this.observers[ev] = []);
        if (!list.includes(mon)) list.push(mon);
      });
    }
    if (st.entry !== undefined) st.entry(mon.ctx);
  }

  private setupContext(): SetupContext {
    return {
      create: (def, init, name) => this.createMachine(def, init, name) as never,
      monitor: (def) => this.createMonitor(def as unknown as MonitorDef<EventMap, unknown, string>),
      faults: this.faults,
    };
  }

  // ---------- faults (called through Faults) ----------

  machineOf(handle: MachineHandle): MachineInstance {
    const m = this.machines[handle.id];
    if (m === undefined) throw new Error(`unknown machine ${handle.name}`);
    return m;
  }

  actorName(): string {
    return this.current?.name ?? 'env';
  }

  noteFault(kind: 'fail' | 'recover' | 'crash-restart' | 'isolate' | 'partition' | 'heal', targetName: string, counts: boolean): void {
    if (counts) this.faultCount++;
    if (this.tracing) this.record('fault', this.actorName(), targetName, kind, undefined);
  }

  block(a: number, b: number): void {
    this.blocked ??= new Set();
    this.blocked.add(a * 65536 + b);
    this.blocked.add(b * 65536 + a);
  }

  unblockAll(): void {
    this.blocked = null;
  }

  setLinkRule(from: number, to: number, options: LinkFaultOptions): void {
    this.linkRules ??= new Map();
    this.linkRules.set(from * 65536 + to, {
      drop: options.drop === true,
      duplicate: options.duplicate === true,
      delayMs: options.delayMs ?? 0,
      maxFaults: options.maxFaults ?? 1,
      used: 0,
    });
  }

  machineCount(): number {
    return this.machines.length;
  }

  stop(): void {
    this.stopped = true;
  }

  // ---------- violations and trace ----------

  fail(kind: ViolationKind, source: string, message: string): never {
    throw new ViolationSignal({ kind, source, message, step: this.step, timeMs: this.nowMs });
  }

  get isTracing(): boolean {
    return this.tracing;
  }

  record(kind: TraceKind, machine: string, target: string | undefined, event: string | undefined, detail: string | undefined): void {
    if (this.traceEntries === undefined) return;
    const entry: { -readonly [K in keyof TraceEntry]: TraceEntry[K] } = { step: this.step, timeMs: this.nowMs, kind, machine };
    if (target !== undefined) entry.target = target;
    if (event !== undefined) entry.event = event;
    if (detail !== undefined && detail !== '') entry.detail = detail;
    this.traceEntries.push(entry);
  }
}

class Faults implements FaultControl {
  constructor(private readonly exec: Execution) {}
  fail(machine: MachineHandle): void {
    const m = this.exec.machineOf(machine);
    if (m.failed) return;
    m.failed = true;
    m.down = true;
    m.inbox.clear();
    m.incarnation++;
    this.exec.touch(m);
    this.exec.noteFault('fail', m.name, true);
  }
  recover(machine: MachineHandle): void {
    const m = this.exec.machineOf(machine);
    if (!m.failed) return;
    m.failed = false;
    m.down = m.halted;
    if (m.pendingHook === HOOK_NONE && m.cm.onRecover !== undefined) m.pendingHook = HOOK_RECOVER;
    this.exec.touch(m);
    this.exec.noteFault('recover', m.name, false);
  }
  crashRestart(machine: MachineHandle): void {
    const m = this.exec.machineOf(machine);
    m.inbox.clear();
    m.incarnation++;
    m.failed = false;
    m.halted = false;
    m.down = false;
    m.nextState = -1;
    m.vars = m.cm.restart !== undefined ? m.cm.restart(m.vars, m.init) : m.cm.vars(m.init);
    m.state = m.cm.start;
    m.deferring = (m.cm.states[m.cm.start] as CompiledState).hasDefer;
    m.pendingHook = HOOK_START;
    this.exec.touch(m);
    this.exec.noteFault('crash-restart', m.name, true);
  }
  isolate(machine: MachineHandle, others?: readonly MachineHandle[]): void {
    const m = this.exec.machineOf(machine);
    if (others === undefined) {
      for (let i = 0; i < this.exec.machineCount(); i++) if (i !== m.id) this.exec.block(m.id, i);
      this.exec.block(m.id, ENV_ID);
    } else for (const o of others) this.exec.block(m.id, o.id);
    this.exec.noteFault('isolate', m.name, true);
  }
  partition(a: readonly MachineHandle[], b: readonly MachineHandle[]): void {
    for (const x of a) for (const y of b) this.exec.block(x.id, y.id);
    this.exec.noteFault('partition', `${a.map((x) => x.name).join(',')} | ${b.map((x) => x.name).join(',')}`, true);
  }
  heal(): void {
    this.exec.unblockAll();
    this.exec.noteFault('heal', 'all links', false);
  }
  setLinkFaults(from: MachineHandle, to: MachineHandle, options: LinkFaultOptions): void {
    this.exec.setLinkRule(from.id, to.id, options);
  }
  isFailed(machine: MachineHandle): boolean {
    return this.exec.machineOf(machine).failed;
  }
}

class MachineCtx implements MachineContext<EventMap, unknown, string> {
  readonly self: MachineRef<EventMap>;
  constructor(
    private readonly exec: Execution,
    private readonly m: MachineInstance,
  ) {
    this.self = { id: m.id, name: m.name };
  }
  get vars(): unknown {
    return this.m.vars;
  }
  get state(): string {
    return (this.m.cm.states[this.m.state] as CompiledState).name;
  }
  get faults(): FaultControl {
    return this.exec.faults;
  }
  now(): number {
    return this.exec.nowMs;
  }
  send<F extends EventMap, K extends keyof F & string>(to: MachineRef<F>, event: K | EventId<K>, payload: F[K]): void {
    this.exec.send(this.m.id, to, event, payload);
  }
  goto(state: string): void {
    const idx = stateIndex(this.m.cm, state);
    if (idx < 0) this.exec.fail('exception', this.m.name, `${this.m.name}: goto unknown state '${state}'`);
    this.m.nextState = idx;
  }
  create<F extends EventMap, V2, S2 extends string, I2>(def: MachineDef<F, V2, S2, I2>, init: I2, name?: string): MachineRef<F> {
    return this.exec.createMachine(def, init, name) as unknown as MachineRef<F>;
  }
  choose(bound: number): number {
    return this.exec.chooseInt(bound);
  }
  chooseBool(probabilityTrue = 0.5): boolean {
    return this.exec.chooseBool(probabilityTrue) === 1;
  }
  chooseWeighted(weights: readonly number[]): number {
    return this.exec.chooseWeighted(weights);
  }
  startTimer(delayMs: number, event: string | EventId, payload: unknown): TimerId {
    return this.exec.startTimer(this.m, delayMs, eventIdOf(event), payload);
  }
  cancelTimer(timer: TimerId): void {
    this.exec.cancelTimer(timer);
  }
  halt(): void {
    this.m.halted = true;
    this.m.down = true;
    this.m.inbox.clear();
    this.exec.touch(this.m);
    if (this.exec.isTracing) this.exec.record('halt', this.m.name, undefined, undefined, undefined);
  }
  announce(event: string | EventId, payload: unknown): void {
    this.exec.announce(this.m.name, event, payload);
  }
  assert(condition: boolean, message: string | (() => string)): void {
    if (!condition) this.exec.fail('safety', this.m.name, typeof message === 'string' ? message : message());
  }
  log(message: () => string): void {
    if (this.exec.isTracing) this.exec.record('log', this.m.name, undefined, undefined, message());
  }
  stopRun(): void {
    this.exec.stop();
  }
}

class MonitorCtx implements MonitorContext<unknown, string> {
  constructor(
    private readonly exec: Execution,
    private readonly mon: MonitorInstance,
  ) {}
  get vars(): unknown {
    return this.mon.vars;
  }
  get state(): string {
    return (this.mon.cm.states[this.mon.state] as CompiledState).name;
  }
  goto(state: string): void {
    const idx = stateIndex(this.mon.cm, state);
    if (idx < 0) this.exec.fail('exception', this.mon.name, `${this.mon.name}: goto unknown state '${state}'`);
    this.mon.nextState = idx;
  }
  assert(condition: boolean, message: string | (() => string)): void {
    if (!condition) this.exec.fail('safety', this.mon.name, typeof message === 'string' ? message : message());
  }
  now(): number {
    return this.exec.nowMs;
  }
}

function bump(counts: Uint32Array, index: number): void {
  counts[index] = (counts[index] as number) + 1;
}

// ---------- binary min-heap of timers by (time, seq) ----------

function less(a: Timer, b: Timer): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

function heapPush(heap: Timer[], t: Timer): void {
  heap.push(t);
  let i = heap.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const parent = heap[p] as Timer;
    if (!less(t, parent)) break;
    heap[i] = parent;
    i = p;
  }
  heap[i] = t;
}

function heapPop(heap: Timer[]): void {
  const last = heap.pop();
  if (last === undefined || heap.length === 0) return;
  let i = 0;
  const n = heap.length;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const c = r < n && less(heap[r] as Timer, heap[l] as Timer) ? r : l;
    if (!less(heap[c] as Timer, last)) break;
    heap[i] = heap[c] as Timer;
    i = c;
  }
  heap[i] = last;
}

/** Runs one schedule of `model` under `strategy` (the strategy's `beginRun` must have been called). */
export function executeRun(model: ModelDef, strategy: Strategy, options: RunOptions): RunResult {
  return new Execution(model, strategy, options).run();
}

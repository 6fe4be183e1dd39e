import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkModel,
  defineMachine,
  defineMonitor,
  executeRun,
  ExhaustiveStrategy,
  RandomStrategy,
  replayChoices,
  replayFromSeed,
  toMermaid,
  formatTrace,
  type MachineRef,
  type ModelDef,
} from '../../../src/model/index.js';

// ---- a tiny model: two clients each send one Hello to a server; the server records the order ----

type ServerEvents = { Hello: { from: number } };
type ClientEvents = { Go: undefined };

function twoClients(onOrder: (order: number[]) => void, clients = 2): ModelDef {
  const Server = defineMachine<ServerEvents>()({
    name: 'Server',
    start: 'Up',
    vars: () => ({ order: [] as number[] }),
    states: {
      Up: {
        on: {
          Hello(ctx, p) {
            ctx.vars.order.push(p.from);
            if (ctx.vars.order.length === clients) onOrder(ctx.vars.order);
          },
        },
      },
    },
  });
  const Client = defineMachine<ClientEvents>()({
    name: 'Client',
    start: 'Init',
    vars: (init: { server: MachineRef<ServerEvents>; n: number }) => init,
    states: {
      Init: {
        entry(ctx) {
          ctx.send(ctx.vars.server, 'Hello', { from: ctx.vars.n });
        },
      },
    },
  });
  return {
    name: 'two-clients',
    description: '',
    maxSteps: 100,
    setup(ctx) {
      const server = ctx.create(Server, undefined, 'Server');
      for (let n = 0; n < clients; n++) ctx.create(Client, { server, n }, `Client${n}`);
    },
  };
}

test('exhaustive search enumerates every interleaving of a small model and reports completeness', () => {
  const orders = new Set<string>();
  const model = twoClients((o) => orders.add(o.join(',')), 3);
  const result = checkModel(model, { strategy: 'exhaustive', schedules: 10_000 });
  assert.equal(result.violation, undefined);
  assert.equal(result.complete, true);
  // 3 clients: all 3! delivery orders at the server are reachable.
  assert.deepEqual([...orders].sort(), ['0,1,2', '0,2,1', '1,0,2', '1,2,0', '2,0,1', '2,1,0']);
});

test('the same seed gives the same run; another seed explores another order', () => {
  const runOrder = (seed: number): string => {
    let order = '';
    const model = twoClients((o) => (order = o.join(',')), 5);
    const s = new RandomStrategy(seed);
    s.beginRun(0);
    const r = executeRun(model, s, { maxSteps: 100, trace: true });
    return order + '|' + formatTrace(r.trace ?? []);
  };
  assert.equal(runOrder(42), runOrder(42));
  const distinct = new Set([1, 2, 3, 4, 5, 6, 7, 8].map(runOrder));
  assert.ok(distinct.size > 1, 'different seeds should explore different interleavings');
});

// ---- defer, ignore, unhandled events ----

type LockEvents = { Acquire: undefined; Release: undefined; Ping: undefined; Done: undefined };

test('defer keeps events until a state handles them; ignore drops them; unhandled is a violation', () => {
  const log: string[] = [];
  const Lock = defineMachine<LockEvents>()({
    name: 'Lock',
    start: 'Free',
    vars: () => ({}),
    states: {
      Free: {
        on: {
          Acquire(ctx) {
            log.push('acquire');
            ctx.goto('Held');
          },
        },
        ignore: ['Ping'],
      },
      Held: {
        entry() {
          log.push('enter Held');
        },
        exit() {
          log.push('exit Held');
        },
        on: {
          Release(ctx) {
            log.push('release');
            ctx.goto('Free');
          },
        },
        defer: ['Acquire'],
        ignore: ['Ping'],
      },
    },
  });
  const model = (extra: boolean): ModelDef => ({
    name: 'lock',
    description: '',
    maxSteps: 100,
    setup(ctx) {
      const lock = ctx.create(Lock, undefined, 'Lock');
      const Env = defineMachine<{ Start: undefined }>()({
        name: 'Env',
        start: 'S',
        vars: () => ({}),
        states: {
          S: {
            entry(c) {
              c.send(lock, 'Acquire', undefined);
              c.send(lock, 'Acquire', undefined);
              c.send(lock, 'Ping', undefined);
              c.send(lock, 'Release', undefined);
              if (extra) c.send(lock, 'Done', undefined);
            },
          },
        },
      });
      ctx.create(Env, undefined, 'Env');
    },
  });
  const s = new RandomStrategy(1);
  s.beginRun(0);
  const ok = executeRun(model(false), s, { maxSteps: 100 });
  assert.equal(ok.violation, undefined);
  // The second Acquire waits (deferred) behind Release, then is handled in Free.
  assert.deepEqual(log, ['acquire', 'enter Held', 'release', 'exit Held', 'acquire', 'enter Held']);
  const bad = executeRun(model(true), s, { maxSteps: 100 });
  assert.equal(bad.violation?.kind, 'unhandled-event');
  assert.match(bad.violation.message, /Lock in state Held cannot handle event Done/);
});

test('typed handles: sending an event the target does not declare does not compile', () => {
  const M = defineMachine<ServerEvents>()({
    name: 'M',
    start: 'A',
    vars: () => ({}),
    states: {
      A: {
        entry(ctx) {
          // @ts-expect-error 'Bye' is not an event of ServerEvents
          ctx.send(ctx.self, 'Bye', { from: 1 });
          // @ts-expect-error wrong payload type
          ctx.send(ctx.self, 'Hello', { from: 'x' });
        },
      },
    },
  });
  assert.equal(M.name, 'M');
});

// ---- timers, faults, monitors ----

type WorkerEvents = { Job: { id: number }; Tick: undefined };
type SpecEvents = { Submitted: { id: number }; Finished: { id: number } };

/** Jobs are retried by a timer until the worker acknowledges; the spec wants every job finished. */
function jobsModel(options: { failWorker: boolean; recover: boolean; retry: boolean }): ModelDef {
  const Spec = defineMonitor<SpecEvents>()({
    name: 'AllJobsFinish',
    start: 'Idle',
    vars: () => ({ open: new Set<number>() }),
    describePending: (v) => `open jobs ${[...v.open].join(',')}`,
    states: {
      Idle: {
        on: {
          Submitted(ctx, p) {
            ctx.vars.open.add(p.id);
            ctx.goto('Waiting');
          },
        },
      },
      Waiting: {
        hot: true,
        on: {
          Submitted(ctx, p) {
            ctx.vars.open.add(p.id);
          },
          Finished(ctx, p) {
            ctx.assert(ctx.vars.open.has(p.id), `job ${p.id} finished twice or was never submitted`);
            ctx.vars.open.delete(p.id);
            if (ctx.vars.open.size === 0) ctx.goto('Idle');
          },
        },
      },
    },
  });
  type ClientEv = { Ack: { id: number }; Retry: { id: number }; Recover: undefined };
  const Worker = defineMachine<WorkerEvents>()({
    name: 'Worker',
    start: 'Up',
    vars: (init: { client: MachineRef<ClientEv> }) => ({ client: init.client, done: new Set<number>() }),
    states: {
      Up: {
        on: {
          Job(ctx, p) {
            if (!ctx.vars.done.has(p.id)) {
              ctx.vars.done.add(p.id);
              ctx.announce('Finished', { id: p.id });
            }
            ctx.send(ctx.vars.client, 'Ack', { id: p.id });
          },
        },
        ignore: ['Tick'],
      },
    },
  });
  const Client = defineMachine<ClientEv>()({
    name: 'Client',
    start: 'Run',
    vars: () => ({ worker: null as MachineRef<WorkerEvents> | null, acked: new Set<number>() }),
    states: {
      Run: {
        entry(ctx) {
          const worker = ctx.create(Worker, { client: ctx.self }, 'Worker');
          ctx.vars.worker = worker;
          for (let id = 0; id < 3; id++) {
            ctx.announce('Submitted', { id });
            ctx.send(worker, 'Job', { id });
            ctx.startTimer(10, 'Retry', { id });
          }
          if (options.failWorker) ctx.faults.fail(worker);
          if (options.recover) ctx.startTimer(50, 'Recover', undefined);
        },
        on: {
          Ack(ctx, p) {
            ctx.vars.acked.add(p.id);
          },
          Retry(ctx, p) {
            if (!options.retry || ctx.vars.acked.has(p.id) || ctx.now() > 200) return;
            ctx.send(ctx.vars.worker as MachineRef<WorkerEvents>, 'Job', { id: p.id });
            ctx.startTimer(10, 'Retry', { id: p.id });
          },
          Recover(ctx) {
            ctx.faults.recover(ctx.vars.worker as MachineRef<WorkerEvents>);
          },
        },
      },
    },
  });
  return {
    name: 'jobs',
    description: '',
    maxSteps: 1000,
    setup(ctx) {
      ctx.monitor(Spec);
      ctx.create(Client, undefined, 'Client');
    },
  };
}

test('virtual time: a failed worker loses messages, retries after recovery finish every job', () => {
  const r = checkModel(jobsModel({ failWorker: true, recover: true, retry: true }), { strategy: 'random', schedules: 200, seed: 3 });
  assert.equal(r.violation, undefined);
  assert.equal(r.outcomes.quiescent, 200);
});

test('liveness: a run that ends in a hot state is a violation, with what is pending', () => {
  const r = checkModel(jobsModel({ failWorker: true, recover: false, retry: true }), { strategy: 'random', schedules: 10, seed: 3 });
  assert.equal(r.violation?.violation.kind, 'liveness');
  assert.match(r.violation.violation.message, /AllJobsFinish ended in hot state Waiting .*open jobs 0,1,2/);
  // The trace marks the fault, in text and in the Mermaid diagram.
  assert.match(r.violation.traceText, /FAULT fail Worker/);
  assert.match(r.violation.mermaid, /^sequenceDiagram/);
  assert.match(r.violation.mermaid, /Note over p\d+: FAULT fail Worker/);
  assert.match(r.violation.mermaid, /-x/);
});

test('link faults chosen by the scheduler: drops are survived with retries, duplicates are caught by the spec', () => {
  const withLinkFaults = (base: ModelDef, faults: { drop?: boolean; duplicate?: boolean }): ModelDef => ({
    ...base,
    setup(ctx) {
      base.setup(ctx);
      // Client is machine 0, the worker machine 1 (created by the client's entry).
      ctx.faults.setLinkFaults({ id: 0, name: 'Client' }, { id: 1, name: 'Worker' }, { ...faults, maxFaults: 3 });
    },
  });
  const dropped = checkModel(withLinkFaults(jobsModel({ failWorker: false, recover: false, retry: true }), { drop: true }), { strategy: 'random', schedules: 300, seed: 5 });
  assert.equal(dropped.violation, undefined);
  const noRetry = checkModel(withLinkFaults(jobsModel({ failWorker: false, recover: false, retry: false }), { drop: true }), { strategy: 'random', schedules: 300, seed: 5 });
  assert.equal(noRetry.violation?.violation.kind, 'liveness');
  // The shrunk schedule keeps the one drop it needs.
  assert.equal(noRetry.violation.shrunk?.faults, 1);
});

test('link faults: duplicates and delays are chosen by the scheduler, traced, and survived by an idempotent worker', () => {
  const base = jobsModel({ failWorker: false, recover: false, retry: true });
  const model: ModelDef = {
    ...base,
    setup(ctx) {
      base.setup(ctx);
      ctx.faults.setLinkFaults({ id: 0, name: 'Client' }, { id: 1, name: 'Worker' }, { duplicate: true, delayMs: 25, maxFaults: 2 });
    },
  };
  const r = checkModel(model, { strategy: 'random', schedules: 300, seed: 9 });
  assert.equal(r.violation, undefined);
  const kinds = new Set<string>();
  for (let seed = 1; seed <= 40; seed++) {
    for (const e of replayFromSeed(model, seed).trace ?? []) kinds.add(e.kind);
  }
  assert.ok(kinds.has('duplicate') && kinds.has('delay'), [...kinds].join(','));
});

test('liveness: staying hot longer than the hot-step limit is a violation even if the run goes on', () => {
  const base = jobsModel({ failWorker: true, recover: true, retry: true });
  const r = checkModel({ ...base, hotStepLimit: 3 }, { strategy: 'random', schedules: 5, seed: 1 });
  assert.equal(r.violation?.violation.kind, 'liveness');
  assert.match(r.violation.violation.message, /stayed in hot state Waiting for more than 3 steps/);
});

test('safety assertions in machines stop the run at that step', () => {
  const M = defineMachine<{ X: number }>()({
    name: 'M',
    start: 'A',
    vars: () => ({ sum: 0 }),
    states: {
      A: {
        entry(ctx) {
          for (let i = 1; i <= 5; i++) ctx.send(ctx.self, 'X', i);
        },
        on: {
          X(ctx, n) {
            ctx.vars.sum += n;
            ctx.assert(ctx.vars.sum < 6, () => `sum reached ${ctx.vars.sum}`);
          },
        },
      },
    },
  });
  const model: ModelDef = { name: 'm', description: '', maxSteps: 50, setup: (ctx) => void ctx.create(M, undefined) };
  const r = checkModel(model, { strategy: 'random', schedules: 1 });
  assert.equal(r.violation?.violation.kind, 'safety');
  assert.equal(r.violation.violation.message, 'sum reached 6');
  assert.equal(r.violation.violation.step, 4);
});

test('PCT finds an ordering bug that needs one preemption', () => {
  // Bug: the server expects client 0 first; under PCT with depth 2 this is found quickly.
  const model = twoClients(() => undefined, 4);
  const buggy: ModelDef = {
    ...model,
    setup(ctx) {
      const Server = defineMachine<ServerEvents>()({
        name: 'Server',
        start: 'Up',
        vars: () => ({ n: 0 }),
        states: {
          Up: {
            on: {
              Hello(c, p) {
                c.assert(!(c.vars.n === 0 && p.from === 3), 'client 3 arrived first');
                c.vars.n++;
              },
            },
          },
        },
      });
      const server = ctx.create(Server, undefined, 'Server');
      const Client = defineMachine<ClientEvents>()({
        name: 'Client',
        start: 'Init',
        vars: (n: number) => ({ n }),
        states: { Init: { entry: (c) => c.send(server, 'Hello', { from: c.vars.n }) } },
      });
      for (let n = 0; n < 4; n++) ctx.create(Client, n, `Client${n}`);
    },
  };
  for (const strategy of ['random', 'pct', 'exhaustive'] as const) {
    const r = checkModel(buggy, { strategy, schedules: 2000, seed: 11, pctDepth: 2 });
    assert.equal(r.violation?.violation.message, 'client 3 arrived first', strategy);
    const replayed = replayChoices(buggy, r.violation.shrunk?.choices ?? [], 100);
    assert.equal(replayed.violation?.message, 'client 3 arrived first');
  }
});

test('exhaustive strategy: deviation bound limits the search', () => {
  const r = checkModel(twoClients(() => undefined, 3), { strategy: 'exhaustive', schedules: 100, maxDeviations: 0 });
  assert.equal(r.schedulesRun, 1);
  assert.equal(r.complete, false);
  const s = new ExhaustiveStrategy(1);
  const r1 = checkModel(twoClients(() => undefined, 3), { strategy: 'exhaustive', schedules: 100, maxDeviations: 1 });
  assert.ok(r1.schedulesRun > 1 && r1.schedulesRun < 100);
  assert.equal(s.exhausted, false);
});

test('the Mermaid renderer marks drops and faults', () => {
  const text = toMermaid([
    { step: 1, timeMs: 0, kind: 'create', machine: 'setup', target: 'A', detail: 'A' },
    { step: 1, timeMs: 0, kind: 'create', machine: 'setup', target: 'B', detail: 'B' },
    { step: 2, timeMs: 0, kind: 'send', machine: 'A', target: 'B', event: 'Hi', detail: 'x=1; y#2' },
    { step: 3, timeMs: 5, kind: 'fault', machine: 'A', target: 'B', event: 'fail' },
    { step: 4, timeMs: 5, kind: 'drop', machine: 'A', target: 'B', event: 'Hi' },
  ]);
  assert.equal(
    text,
    [
      'sequenceDiagram',
      '    participant p0 as A',
      '    participant p1 as B',
      '    p0->>p1: Hi x=1, y,2',
      '    rect rgb(255, 210, 210)',
      '    Note over p1: FAULT fail B (step 3, 5ms)',
      '    end',
      '    p0-xp1: Hi (dropped)',
    ].join('\n'),
  );
});

test("timeAdvance 'any' lets a timeout fire before a pending reply; 'idle' never does", () => {
  type ClientEv = { Reply: undefined; Timeout: undefined };
  const build = (timeAdvance: 'idle' | 'any'): ModelDef => {
    const Server = defineMachine<{ Request: { from: MachineRef<ClientEv> } }>()({
      name: 'Server',
      start: 'Up',
      vars: () => ({}),
      states: { Up: { on: { Request: (ctx, p) => ctx.send(p.from, 'Reply', undefined) } } },
    });
    const Client = defineMachine<ClientEv>()({
      name: 'Client',
      start: 'Waiting',
      vars: () => ({ timer: 0 }),
      states: {
        Waiting: {
          entry(ctx) {
            const server = ctx.create(Server, undefined, 'Server');
            ctx.send(server, 'Request', { from: ctx.self });
            ctx.vars.timer = ctx.startTimer(10, 'Timeout', undefined);
          },
          on: {
            Reply(ctx) {
              ctx.cancelTimer(ctx.vars.timer);
              ctx.goto('Done');
            },
            Timeout(ctx) {
              ctx.assert(false, 'timed out although the server answers at once');
            },
          },
        },
        // A timeout already delivered when the reply is handled: cancelling comes too late.
        Done: { ignore: ['Timeout'] },
      },
    });
    return { name: 'timeout', description: '', maxSteps: 50, timeAdvance, setup: (ctx) => void ctx.create(Client, undefined, 'Client') };
  };
  const idle = checkModel(build('idle'), { strategy: 'exhaustive', schedules: 1000 });
  assert.equal(idle.violation, undefined);
  assert.equal(idle.complete, true);
  const any = checkModel(build('any'), { strategy: 'exhaustive', schedules: 1000 });
  assert.equal(any.violation?.violation.message, 'timed out although the server answers at once');
});
